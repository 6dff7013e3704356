"""A rule's `in_tests` grading: a hard-coded password in a test suite's own files is low, elsewhere high."""
from __future__ import annotations

import pytest

from codescan.analyze.document import Analyzer
from codescan.config import Config
from codescan.records import Document
from codescan.rules import RuleError, load_rules, parse_rule

RULES = load_rules()
TEXT = ('import paramiko\n'
        'client = paramiko.SSHClient()\n'
        'client.connect("10.0.0.5", username="deploy", password="pygmalion42")\n'
        'password = "television9"\n')


def _by_line(path: str) -> dict[int, str]:
    analyzer = Analyzer(RULES.select(("hardcoded-password-assignment",), ()), Config(honour_suppressions=False))
    found = analyzer.analyze(Document(path=path, content=TEXT.encode())).findings
    return {f.line: f.severity for f in found if f.rule_id == "hardcoded-password-assignment"}


@pytest.mark.parametrize("path", ["tests/test_client.py", "pkg/tests/_util.py", "test/conftest.py",
                                  "src/test_login.py", "web/__tests__/auth_test.py"])
def test_password_in_a_test_suite_file_is_low(path):
    assert _by_line(path) == {3: "low", 4: "low"}


@pytest.mark.parametrize("path", ["src/client.py", "attestations/login.py", "latest/deploy.py", "contest.py",
                                  "tests_helper.py", "deploy/testing_notes/run.py"])
def test_password_outside_a_test_suite_stays_high(path):
    assert _by_line(path) == {3: "high", 4: "high"}


def test_in_tests_message_says_why():
    analyzer = Analyzer(RULES.select(("hardcoded-password-assignment",), ()), Config(honour_suppressions=False))
    found = analyzer.analyze(Document(path="tests/test_a.py", content=TEXT.encode())).findings
    assert all("test" in f.message for f in found) and found


def test_bad_in_tests_is_a_rule_error():
    import yaml
    raw = yaml.safe_load(open("rules/python/hardcoded-password-assignment.yaml").read())
    raw["in_tests"] = {"severity": "tiny", "message": "x"}
    with pytest.raises(RuleError):
        parse_rule(raw, "x.yaml")
