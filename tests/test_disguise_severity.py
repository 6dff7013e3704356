"""Severities of names spelled in pieces: a hidden capability is high, a data-only module spelled so is low."""
from __future__ import annotations

from test_fact_severity import _by_line


def test_data_only_module_spelled_in_pieces_is_low_a_capability_stays_high():
    text = ("import importlib\n"
            "codec = importlib.import_module('js' + 'on')\n"
            "runner = importlib.import_module('sub' + 'process')\n"
            "packer = __import__('pic' + 'kle')\n"
            "clock = __import__(''.join(['date', 'time']))\n"
            "shell = __import__('so'[::-1])\n")
    assert _by_line("obfuscated-import-name", "m.py", text) == {2: "low", 3: "high", 4: "high", 5: "low", 6: "high"}


def test_a_hex_literal_of_binary_bytes_is_how_binary_is_written_hex_of_text_stays_disguise():
    # PyCryptodome's test vectors write a nonce as bytes.fromhex("0706050403020100"): no disguise, the rule's own
    # medium; hex that spells printable text ("0123456789abcdef") is a value hidden from a reader: raised to high
    text = ("from Crypto.Cipher import AES, ChaCha20_Poly1305\n"
            "class TestOriginal:\n"
            "    nonce = bytes.fromhex('0706050403020100')\n"
            "def seal(key, data):\n"
            "    iv = bytes.fromhex('30313233343536373839616263646566')\n"
            "    return AES.new(key, AES.MODE_CBC, iv).encrypt(data)\n")
    assert _by_line("static-cipher-iv", "vectors.py", text) == {3: "medium", 5: "high", 6: "high"}
