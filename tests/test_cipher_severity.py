"""ECB and broken ciphers are graded alike in every language: high in code, medium in a test suite, one finding."""
from __future__ import annotations

import pytest

from codescan.analyze.document import Analyzer
from codescan.config import Config
from codescan.records import Document
from codescan.rules import load_rules

RULES = load_rules()


def found(path: str, code: str) -> list[tuple[int, str, str]]:
    analyzer = Analyzer(RULES, Config(honour_suppressions=False))
    return sorted((f.line, f.rule_id, f.severity)
                  for f in analyzer.analyze(Document(path=path, content=code.encode())).findings
                  if f.category == "insecure-crypto")


CASES = [
    ("Enc.java", 'import javax.crypto.Cipher;\nclass E { Object f() throws Exception {\n'
                 '  return Cipher.getInstance("AES/ECB/PKCS5Padding"); } }\n', "java-cipher-ecb-mode"),
    ("enc.kt", 'import javax.crypto.Cipher\nfun f() =\n  Cipher.getInstance("AES/ECB/PKCS5Padding")\n',
     "kt-cipher-ecb-mode"),
    ("enc.php", "<?php\n$k = 1;\n$c = openssl_encrypt($d, 'aes-256-ecb', $k);\n", "php-weak-cipher"),
    ("enc.rb", "require 'openssl'\nk = 1\nc = OpenSSL::Cipher.new('aes-256-ecb')\n", "rb-weak-cipher"),
    ("Enc.cs", "using System.Security.Cryptography;\nclass E { void F(Aes a) {\n  a.Mode = CipherMode.ECB; } }\n",
     "cs-weak-cipher"),
    # a random key: a constant one is a second behaviour (constant-cipher-key)
    ("enc.py", "import os\nfrom Crypto.Cipher import AES\nc = AES.new(os.urandom(16), AES.MODE_ECB)\n", "cipher-ecb-mode"),
]


@pytest.mark.parametrize("path, code, rule", CASES)
def test_ecb_is_one_high_finding_in_code_and_medium_in_tests(path, code, rule):
    assert found(f"src/{path}", code) == [(3, rule, "high")]
    assert found(f"src/test/{path}", code) == [(3, rule, "medium")]


@pytest.mark.parametrize("path, code", [
    ("E.java", 'import javax.crypto.Cipher;\nclass E { static final String M = "AES/ECB/NoPadding";\n'
               '  Object f() throws Exception { return Cipher.getInstance(M); } }\n'),
    ("e.rb", "require 'openssl'\nALG = 'des-ede3-cbc'\nc = OpenSSL::Cipher.new(ALG)\n"),
])
def test_a_broken_cipher_named_through_a_variable_is_graded_as_written_at_the_call(path, code):
    assert found(path, code) == [(3, "weak-crypto-chosen-by-name", "high")]
    assert found(f"test/{path}", code) == [(3, "weak-crypto-chosen-by-name", "medium")]


def test_rsa_ecb_is_only_a_name_and_a_weak_hash_by_name_stays_medium():
    code = ('import javax.crypto.Cipher;\nimport java.security.MessageDigest;\nclass E {\n'
            '  static final String R = "RSA/ECB/OAEPWithSHA-256AndMGF1Padding"; static final String H = "MD5";\n'
            '  void f() throws Exception { Cipher.getInstance(R); MessageDigest.getInstance(H); } }\n')
    assert found("E.java", code) == [(5, "weak-crypto-chosen-by-name", "medium")]


def test_yield_to_names_existing_rules():
    ids = {r.id for r in RULES.rules}
    for rule in RULES.rules:
        if rule.facts is not None:
            assert set(rule.facts.yield_to) <= ids, (rule.id, set(rule.facts.yield_to) - ids)


def test_ssl2_and_ssl3_are_high_tls10_stays_medium():
    code = ("import ssl\nfrom OpenSSL import SSL\nctx = ssl.SSLContext(ssl.PROTOCOL_TLSv1)\n"
            "legacy = ssl.SSLContext(ssl.PROTOCOL_SSLv2)\nold = SSL.Context(SSL.SSLv3_METHOD)\n")
    analyzer = Analyzer(RULES, Config(honour_suppressions=False))
    got = sorted((f.line, f.severity) for f in analyzer.analyze(Document(path="a.py", content=code.encode())).findings
                 if f.rule_id == "deprecated-tls-protocol")
    assert got == [(3, "medium"), (4, "high"), (5, "high")]


# Python's broken ciphers and small keys are graded as the other languages' (PyCryptodome's own SelfTest suite runs
# ARC4/DES/Blowfish known-answer vectors and makes 1024-bit RSA/DSA keys to run fast: 92 high on a fresh corpus).
@pytest.mark.parametrize("name, code, rule", [
    ("test_arc4.py", "from Crypto.Cipher import ARC4\n\nclass TestDrop:\n    def test_drop(self):\n"
                     "        cipher = ARC4.new(self.key, 256)\n", "weak-cipher-algorithm"),
    ("test_pkcs1.py", "from Crypto.PublicKey import RSA\n\nclass TestSign:\n    def setup_method(self):\n"
                      "        self.key = RSA.generate(1024)\n", "small-asymmetric-key"),
])
def test_python_broken_cipher_and_small_key_are_high_in_code_and_medium_in_tests(name, code, rule):
    assert found(f"src/app/{name.removeprefix('test_')}", code) == [(5, rule, "high")]
    assert found(f"tests/{name}", code) == [(5, rule, "medium")]
    assert found(f"Crypto/SelfTest/Cipher/{name}", code) == [(5, rule, "medium")]
