"""The folded view's rule gate: the original's tokens plus the changed lines', never the folded source's words."""
from __future__ import annotations

import random
from pathlib import Path

import pytest

from codescan.analyze import deobfuscate, document, rule_gate
from codescan.analyze.document import Analyzer
from codescan.analyze.gate_index import GateIndex
from codescan.analyze.rule_gate import Presence, gate_for_query
from codescan.config import Config
from codescan.records import Document
from codescan.rules import load_rules

ROOT = Path(__file__).resolve().parent.parent
BOTH = '((call function: (attribute object: (identifier) @o attribute: (identifier) @a)) ' \
       '(#eq? @o "pickle") (#eq? @a "loads"))'
WHOLE = '((assignment left: (identifier) @n) (#any-of? @n "iv" "IV"))'
TEXT = '((string) @s (#match? @s "http://evil"))'
FOLDED = '((identifier) @n (#match? @n "(?i)^secret_key$"))'


def _gates():
    gates = [gate_for_query(q) for q in (BOTH, WHOLE, TEXT, FOLDED)]
    assert all(g is not None for g in gates)
    return gates


def _edit(lines: list[bytes], rows: dict[int, bytes]) -> tuple[bytes, bytes]:
    after = [rows.get(i, line) for i, line in enumerate(lines)]
    return b"\n".join(after), b"\n".join(rows[i] for i in sorted(rows))


def test_a_gate_met_by_a_kept_line_and_a_changed_line_together_is_admitted():
    index = GateIndex(_gates())
    lines = [b"import pickle", b"x = 1", b"y = 2"]
    edited, changed = _edit(lines, {2: b"y = loads(d)"})
    unchanged = b"\n".join(lines)
    assert index.admitted(Presence(unchanged))[0] is False and index.admitted(Presence(changed))[0] is False
    assert index.admitted(Presence(edited))[0] is True
    assert index.admitted_edited(Presence(unchanged), Presence(changed))[0] is True


def test_the_edited_gate_admits_every_rule_the_edited_source_does():
    index = GateIndex(_gates())
    pieces = [b"import pickle", b"pickle", b".loads(x)", b"iv = 0", b"div", b"IV", b"'http://evil.example'",
              b"Secret_Key = 1", b"secret_keys", "\u0131".encode(), b"x = y", b"loads", b"# iv"]
    rng = random.Random(7)
    for _ in range(400):
        lines = [b" ".join(rng.sample(pieces, rng.randint(0, 3))) for _ in range(rng.randint(1, 5))]
        rows = {i: b" ".join(rng.sample(pieces, rng.randint(0, 3))) for i in range(len(lines)) if rng.random() < .4}
        edited, changed = _edit(lines, rows)
        exact = index.admitted(Presence(edited))
        union = index.admitted_edited(Presence(b"\n".join(lines)), Presence(changed))
        assert all(u or not e for e, u in zip(exact, union)), (lines, rows)


def test_a_token_holding_a_line_break_is_taken_as_present():
    gate = gate_for_query('((string) @s (#match? @s "a\\nb"))')
    if gate is None:
        pytest.skip("such a regex does not gate")
    index = GateIndex([gate])
    assert index.admitted_edited(Presence(b"x = 'a"), Presence(b"b'")) == [True]


def _analyze_all(paths):
    analyzer = Analyzer(load_rules(), Config())
    out = {}
    for path in paths:
        found = analyzer.analyze(Document(path=str(path), content=path.read_bytes()))
        out[path.name] = [(f.rule_id, f.line, f.column, f.severity, f.message, f.context) for f in found.findings]
    return out


def test_the_folded_source_words_are_not_listed(monkeypatch):
    listed, folds = [], []
    original, fold = rule_gate.Presence.word_set, deobfuscate.fold

    def word_set(self):
        listed.append(self.source)
        return original(self)

    def folding(source, tree, language):
        folds.append(fold(source, tree, language))
        return folds[-1]

    monkeypatch.setattr(rule_gate.Presence, "word_set", word_set)
    monkeypatch.setattr(deobfuscate, "fold", folding)
    source = b"import os\n\ndef run(cmd):\n    getattr(os, 'sys' + 'tem')(cmd)\n" + b"x = 1\n" * 50
    Analyzer(load_rules(), Config()).analyze(Document(path="a.py", content=source))
    assert folds and folds[0] is not None and b"os.system(cmd)" in folds[0]
    assert folds[0] not in listed and source in listed


def test_findings_are_the_same_with_the_edited_gate_off(monkeypatch):
    paths = sorted((ROOT / "fixtures" / "rules" / "python").rglob("*.py"))
    assert paths
    on = _analyze_all(paths)
    monkeypatch.setattr(document, "EDITED_GATE", False)
    off = _analyze_all(paths)
    assert on == off
    assert sum(1 for found in on.values() for f in found if f[5] == "folded") >= 3
