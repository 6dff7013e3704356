"""Rules that matched nothing in a file's previous version are queried only on the statements that changed
(quiet_rules.py): fewer whole-tree queries, the same findings as a fresh analysis, version by version."""
from __future__ import annotations

import os
import pickle
from pathlib import Path

import pytest

from codescan.analyze import treesitter
from codescan.analyze.document import Analyzer
from codescan.analyze.quiet_rules import pattern_roots
from codescan.config import Config
from codescan.records import Document
from codescan.rules import load_rules

SOURCE = Path(os.__file__).parent / "subprocess.py"  # a real module many rules are admitted for


def _versions() -> list[str]:
    v1 = SOURCE.read_text()
    v2 = v1.replace("def list2cmdline(seq):", "def list2cmdline(seq):\n    seq = list(seq)", 1)
    v3 = v2 + "\n\ndef _handler(request):\n    return eval(request.args['expr'])\n"
    return [v1, v2, v3]


def test_pattern_roots():
    assert pattern_roots("(call) @c", 1) == {"call"}
    assert pattern_roots('((call function: (identifier) @f) @c (#eq? @f "eval"))', 1) == {"call"}
    assert pattern_roots("(call) @a\n(attribute) @b", 2) == {"call", "attribute"}
    assert pattern_roots("(module (expression_statement) @e)", 1) == {"module"}  # the run leaves it out
    for query in ("(_ (call) @c)", "[(call) (attribute)] @x", "((comment) . (function_definition)) @f",
                  "(call)* @c", '"eval" @e'):
        assert pattern_roots(query, 1) is None, query
    assert pattern_roots("(call) @c", 2) is None  # not the pattern count tree-sitter compiled


def _whole_runs(monkeypatch) -> list[str]:
    runs: list[str] = []
    real = treesitter._run_query

    def counting(query, pattern_rule, root, budget, rows, spans=None, start_depth=None, over=None):
        if rows is None and root.parent is None:
            runs.append(pattern_rule[0].id)
        return real(query, pattern_rule, root, budget, rows, spans, start_depth, over)

    monkeypatch.setattr(treesitter, "_run_query", counting)
    return runs


@pytest.mark.skipif(not SOURCE.is_file(), reason="no stdlib source")
def test_quiet_rules_skip_the_whole_tree_and_findings_stay_those_of_a_fresh_analysis(monkeypatch):
    ruleset = load_rules()
    reused = Analyzer(ruleset, Config(), units=True)
    fresh = Analyzer(ruleset, Config(), units=True, reuse=False)
    runs = _whole_runs(monkeypatch)
    counts, found = [], []
    for number, text in enumerate(_versions()):
        doc = Document(path="app/sp.py", content=text.encode(), repo="r", blob=str(number))
        start = len(runs)
        a = reused.analyze(doc)
        counts.append(len(runs) - start)
        b = fresh.analyze(doc)
        assert pickle.dumps((a.findings, a.skips, a.units)) == pickle.dumps((b.findings, b.skips, b.units)), number
        found.append({f.rule_id for f in a.findings})
    assert counts[0] > 10
    assert counts[1] <= counts[0] * 2 // 3, counts  # the quiet rules were queried on the changed function only
    assert found[2] - found[1] == {"exec-of-request-input"}  # a match in a changed statement is still found

