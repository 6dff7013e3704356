"""The quick-evaluation scoring works: a tiny synthetic set, scanned for real, scores as expected."""
from __future__ import annotations

from bench.eval_core import evaluate
from bench.eval_score import FindingIndex, Item, flag_rates, share
from bench.eval_sets import split_snippets


def _score(items, index):
    return flag_rates("synthetic", "positives", items, index)


def test_one_of_two_files_flagged_gives_half_recall():
    bidi = "\u202e"  # RIGHT-TO-LEFT OVERRIDE, a hidden-unicode finding whatever the rule set
    items = [Item("a/flagged.py", f'access = "user{bidi} admin"\n'),
             Item("a/plain.py", "def add(a, b):\n    return a + b\n")]
    rows, facts = evaluate("synthetic", items, _score, jobs=1)
    any_row = next(r for r in rows if r.metric == "positives: flagged any")
    assert (any_row.hits, any_row.total, any_row.rate) == (1, 2, 0.5)
    assert facts["items"] == 2 and facts["findings"] >= 1


def test_line_hits_use_the_finding_span():
    index = FindingIndex([{"path": "x.py", "line": 3, "end_line": 5, "severity": "medium", "category": "injection"},
                          {"path": "x.py", "line": 9, "end_line": 9, "severity": "critical", "category": "backdoor"}])
    lines = [("x.py", 4), ("x.py", 9), ("x.py", 7), ("y.py", 3)]
    assert share("s", "any", lines, lambda pl: index.at_line(*pl)).hits == 2
    assert share("s", "high", lines, lambda pl: index.at_line(*pl, high=True)).hits == 1
    assert index.flagged("x.py", category="backdoor") and not index.flagged("y.py")


def test_codebreaker_snippets_drop_the_strategy_line():
    content = "import os\nos.system(x)\n" + "-" * 40 + "\nf = os.system\nf(x)\n" + "-" * 40 + \
              "\n\tDataflow Analysis: Analyze data flow within the code.\n"
    assert split_snippets(content) == ["import os\nos.system(x)\n", "f = os.system\nf(x)\n"]
