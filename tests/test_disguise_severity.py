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
