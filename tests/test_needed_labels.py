"""engine._needed_labels: a sink rule whose case names no label of its own but tests another argument's labels
(`also`: the handle written to must name a startup file) is left out of files where that label cannot arise;
findings on every Python fixture are those of running it everywhere."""
from __future__ import annotations

from pathlib import Path

from codescan.analyze.document import Analyzer
from codescan.analyze.semantics import engine
from codescan.config import Config
from codescan.records import Document
from codescan.rules import load_rules

ROOT = Path(__file__).resolve().parent.parent
RULES = load_rules()


def _labels_of_own_cases_only(rule):
    """The gate before: only the labels a case's own argument must carry."""
    spec = rule.facts
    if spec.sink is None or not spec.cases:
        return None
    needed: set = set()
    for case in spec.cases:
        if not case.when.label:
            return None
        needed.update(case.when.label)
    return frozenset(needed)


def _rule(rule_id):
    return next(r for r in RULES.rules if r.id == rule_id)


def test_a_case_gated_by_another_arguments_label():
    assert engine._needed_labels(_rule("shell-startup-file-write")) == {"fetch-and-run", "startup-file", "ssh-config"}
    assert _labels_of_own_cases_only(_rule("shell-startup-file-write")) is None


def test_a_case_without_any_label_keeps_the_rule_everywhere():
    # pickle-load fires on any unpickling; yaml-load-without-loader on a constant condition
    assert engine._needed_labels(_rule("pickle-load")) is None
    assert engine._needed_labels(_rule("yaml-load-without-loader")) is None


def _findings(monkeypatch, gate):
    monkeypatch.setattr(engine, "_needed_labels", gate)
    analyzer = Analyzer(RULES, Config(honour_suppressions=False))
    out = []
    for path in sorted((ROOT / "fixtures" / "rules").rglob("*.py")):
        result = analyzer.analyze(Document(path=str(path), content=path.read_bytes()))
        out.extend((path.name, f.rule_id, f.line, f.severity) for f in result.findings)
    return sorted(out)


def test_fixture_findings_as_without_the_gate(monkeypatch):
    gated = _findings(monkeypatch, engine._needed_labels)
    assert any(rule == "shell-startup-file-write" for _p, rule, _l, _s in gated)
    assert gated == _findings(monkeypatch, _labels_of_own_cases_only)
