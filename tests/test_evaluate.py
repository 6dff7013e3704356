"""The evaluation harness: scoring is tool-neutral, labels map to categories, the command writes BENCHMARKS."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench import clean_code, eval_labels, evaluate
from bench.eval_core import DEFAULT_DATA
from bench.eval_score import FindingIndex
from bench.eval_truth import Target, summarize


def test_summary_counts_recall_false_positives_and_category():
    findings = [{"path": "a.py", "line": 3, "end_line": 4, "severity": "critical", "category": "code-execution"},
                {"path": "b.py", "line": 1, "end_line": 1, "severity": "medium", "category": "injection"},
                {"path": "c.py", "line": 9, "end_line": 9, "severity": "high", "categories": ["exfiltration"]}]
    targets = [Target("a.py", 4, True, frozenset({"code-execution"})),   # hit high, right category
               Target("b.py", None, True, frozenset({"insecure-crypto"})),  # hit any, wrong category
               Target("a.py", 7, True),                                  # missed
               Target("c.py", None, False),                              # false positive at high
               Target("d.py", None, False)]                              # clean, not flagged
    s = summarize("toy", "tool", targets, FindingIndex(findings))
    assert (s.positives, s.hit_high, s.hit_any) == (3, 1, 2)
    assert (s.negatives, s.fp_any, s.fp_high) == (2, 1, 1)
    assert (s.cat_total, s.cat_right) == (2, 1)
    assert s.unit == "file+line"


def test_labels_map_cwes_and_rule_names_to_categories():
    assert eval_labels.for_cwe("CWE-502: Deserialization") >= {"insecure-deserialization"}
    assert "injection" in eval_labels.for_cwe("CWE79_direct-use-of-jinja2")
    assert eval_labels.for_cwe("CWE-1333") == frozenset()
    assert "hidden-unicode" in eval_labels.for_guarddog_rule("unicode")
    assert "install-hook" in eval_labels.for_guarddog_rule("npm-install-script")
    assert eval_labels.bandit_category("B501") == "insecure-transport"


def test_cached_clean_package_is_reused_without_fetching(tmp_path, monkeypatch):
    pin = clean_code.Pin("pypi", "example", "1.0")
    folder = tmp_path / "pypi" / pin.key
    folder.mkdir(parents=True)
    (folder / ".complete").write_text("0" * 64 + "\n")
    monkeypatch.setattr(clean_code, "_download", lambda *a: pytest.fail("fetched a cached package"))
    assert clean_code.fetch(pin, tmp_path) == folder
    assert {p.name for p in clean_code.selected(True)} == set(clean_code.QUICK)


@pytest.mark.skipif(not (DEFAULT_DATA / "trojan-source").is_dir(), reason="../shared/eval-data not present")
def test_command_scores_a_tiny_subset_and_writes_benchmarks(tmp_path, capsys):
    out = tmp_path / "BENCHMARKS.md"
    rc = evaluate.main(["--quick", "--quick-items", "6", "--sets", "trojan-source",
                        "--no-peers", "--no-clean", "--no-planted", "--no-speed", "--write", str(out), "-j", "1"])
    assert rc == 0
    text = out.read_text()
    assert "| trojan-source | codescan | file |" in text and "Machine:" in text
    row = next(line for line in text.splitlines() if line.startswith("| trojan-source | codescan"))
    assert "(6/6)" in row.split("|")[5]  # recall at any severity: all six hidden-unicode files
    assert "trojan-source" in capsys.readouterr().out


def test_missing_set_is_skipped_with_a_note(tmp_path):
    notes: list[str] = []
    args = evaluate.argparse.Namespace(sets="poisonpy", data=tmp_path, quick=True, quick_items=5, no_peers=True,
                                       timeout=60, jobs=1)
    assert evaluate.run_sets(args, notes) == []
    assert notes and "not present" in notes[0]


def test_no_sets_skips_the_labelled_sets(tmp_path, monkeypatch):
    monkeypatch.setattr(evaluate, "run_sets", lambda *a: pytest.fail("labelled sets ran"))
    out = tmp_path / "eval.json"
    assert evaluate.main(["--no-sets", "--no-peers", "--no-clean", "--no-planted", "--no-speed", "--json", str(out)]) == 0
    data = json.loads(out.read_text())
    assert data["sets"] == [] and "--no-sets" in data["command"]
