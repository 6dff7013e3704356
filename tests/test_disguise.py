"""A medium insecure choice spelled to hide it (CodeBreaker-style: '0.0' + '.0.0', flag[1], __dict__[...]) is high;
the same choice written plainly, through a named constant, a configuration default or an alias stays medium."""
from __future__ import annotations

import re

import pytest

from codescan.analyze.disguise import folded_disguise
from codescan.analyze.document import Analyzer
from codescan.config import Config
from codescan.records import Document
from codescan.rules import load_rules

from fixture_marks import FIXTURES

CASES = ("bind-all-interfaces", "ssh-auto-accept-host-key", "flask-debug-mode", "ssl-wrap-socket",
         "csrf-protection-disabled")
TAG = re.compile(r"expect: ([\w-]+) \((disguised|plain): (high|medium)\)")


@pytest.fixture(scope="module")
def analyzer():
    return Analyzer(load_rules(), Config(honour_suppressions=False))


@pytest.mark.parametrize("rule_id", CASES)
def test_disguised_choice_is_high_plain_choice_medium(analyzer, rule_id):
    # the folder's fixture that carries the disguised/plain tags (it may hold other fixtures of the rule)
    path = next(p for p in sorted((FIXTURES / "python" / rule_id).glob("*.py")) if TAG.search(p.read_text()))
    text = path.read_text()
    wanted = {n: m.group(3) for n, line in enumerate(text.splitlines(), 1) if (m := TAG.search(line))}
    assert "high" in wanted.values() and "medium" in wanted.values()
    found = analyzer.analyze(Document(path=f"app/{rule_id}.py", content=text.encode()))
    got = {f.line: f.severity for f in found.findings if f.rule_id == rule_id}
    assert got == wanted


def test_disguised_findings_say_so(analyzer):
    source = b"import socket\ns = socket.socket()\ns.bind(('0.0' + '.0.0', 80))\n"
    (finding,) = [f for f in analyzer.analyze(Document(path="a.py", content=source)).findings
                  if f.rule_id == "bind-all-interfaces"]
    assert finding.severity == "high" and "disguised" in finding.message


@pytest.mark.parametrize("before,after,hidden", [
    (b"app.run(debug=flag[1])", b"app.run(debug=True   )", True),
    (b"c.__dict__['set_policy'](p)", b"c.set_policy          (p)", True),
    (b"app.run(debug=bool(1))", b"app.run(debug=True   )", True),
    (b"return loads(self._meta)", b"return marshal.loads(self._meta)", False),  # an alias followed
    (b"s.bind((HOST, int(port)))", b"s.bind(('0.0.0.0', int(port)))", False),  # a named constant
])
def test_folded_disguise_tells_spelling_from_alias(before, after, hidden):
    assert folded_disguise(before, after) is hidden
