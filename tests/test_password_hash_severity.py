"""One pass of a fast digest over a password: unsalted high, salted medium, a file checksum not reported."""
from __future__ import annotations

from codescan.analyze.document import Analyzer
from codescan.config import Config
from codescan.records import Document
from codescan.rules import load_rules

RULES = load_rules()


def _by_line(text: str) -> dict[int, str]:
    analyzer = Analyzer(RULES.select(("weak-hash-of-password",), ()), Config(honour_suppressions=False))
    found = analyzer.analyze(Document(path="accounts.py", content=text.encode())).findings
    return {f.line: f.severity for f in found if f.rule_id == "weak-hash-of-password"}


def test_sha2_of_a_password_is_high_salted_medium_and_a_file_digest_is_not_reported():
    text = ("import hashlib\n"
            "def store(password, salt, path):\n"
            "    a = hashlib.sha256(password.encode()).hexdigest()\n"
            "    b = hashlib.blake2b(salt + password.encode()).hexdigest()\n"
            "    c = hashlib.sha256(open(path, 'rb').read()).hexdigest()\n"
            "    d = hashlib.sha256(password.encode(), usedforsecurity=False).hexdigest()\n"
            "    return a, b, c, d\n")
    assert _by_line(text) == {3: "high", 4: "medium"}
