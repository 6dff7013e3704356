"""The labelled sets of /work/shared/eval-data as scan items plus a scorer (label semantics per set README).

Each loader takes the set's folder and returns (items, score) where score(items, index) gives
Metric rows. Contents are only written to files and scanned, never executed or decoded here.
"""
from __future__ import annotations

import json
import re
from collections import defaultdict
from pathlib import Path
from typing import Callable

from bench import eval_sets_extra as extra
from bench.eval_score import FindingIndex, Item, Metric, flag_rates, safe_name, share

Scorer = Callable[[list[Item], FindingIndex], list[Metric]]


def _jsonl(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def _groups(items: list[Item], key: str) -> dict[str, list[Item]]:
    out: dict[str, list[Item]] = defaultdict(list)
    for item in items:
        out[item.labels[key]].append(item)
    return dict(sorted(out.items()))


def trojan_source(folder: Path) -> tuple[list[Item], Scorer]:
    """51 Trojan Source files, all positives: each must carry a hidden-unicode finding."""
    items = [Item(r["path"], r["content"], {"attack": r["attack"]}) for r in _jsonl(folder / "samples.jsonl")]

    def score(items: list[Item], index: FindingIndex) -> list[Metric]:
        name = "trojan-source"
        rows = [share(name, "all: hidden-unicode finding", items,
                      lambda i: index.flagged(i.path, category="hidden-unicode"))]
        for attack, group in _groups(items, "attack").items():
            rows.append(share(name, f"{attack}: hidden-unicode finding", group,
                              lambda i: index.flagged(i.path, category="hidden-unicode")))
        return rows
    return items, score


def trojanpuzzle(folder: Path) -> tuple[list[Item], Scorer]:
    """Poisoned vs clean host files per attack (SIMPLE / COVERT / TROJANPUZZLE), file level."""
    items = []
    for n, r in enumerate(_jsonl(folder / "poison_samples.jsonl")):
        kind = "poisoned" if r["poisoned"] else "clean"
        path = f"{r['case']}/{r['attack']}/{kind}/{n:04d}_{safe_name(Path(r['base_file']).name)}"
        items.append(Item(path, r["content"], {"attack": r["attack"], "kind": kind, "cwe": r.get("cwe")}))

    def score(items: list[Item], index: FindingIndex) -> list[Metric]:
        rows = []
        for attack, group in _groups(items, "attack").items():
            for kind in ("poisoned", "clean"):
                rows += flag_rates("trojanpuzzle", f"{attack} {kind}",
                                   [i for i in group if i.labels["kind"] == kind], index)
        return rows
    return items, score


_DASH_LINE = re.compile(r"(?m)^-{5,}[ \t]*$\n?")
_PROSE_LINE = re.compile(r"^[A-Z][a-z]+(?: [A-Z][a-z]+)*: ")  # "Dataflow Analysis: Analyze ..."


def split_snippets(content: str) -> list[str]:
    """Code snippets of a CodeBreaker example (dash-line separated; the strategy's prose line dropped)."""
    snippets = []
    for part in _DASH_LINE.split(content):
        lines = [ln for ln in part.splitlines() if ln.strip()]
        if not lines or (len(lines) == 1 and _PROSE_LINE.match(lines[0].strip())):
            continue
        snippets.append(part.strip("\n") + "\n")
    return snippets


def codebreaker(folder: Path) -> tuple[list[Item], Scorer]:
    """CodeBreaker examples: snippet 0 = original insecure code, the rest = evasive rewrites of it."""
    items = []
    for n, r in enumerate(_jsonl(folder / "example_transformations.jsonl")):
        stem = f"{r['strategy']}/{n:02d}_{safe_name(r['case'])}"
        for k, snippet in enumerate(split_snippets(r["content"])):
            role = "original" if k == 0 else "transformed"
            items.append(Item(f"{stem}/v{k}.py", snippet, {"role": role, "example": stem}))

    def score(items: list[Item], index: FindingIndex) -> list[Metric]:
        name = "codebreaker"
        originals = {i.labels["example"]: i for i in items if i.labels["role"] == "original"}
        transformed = [i for i in items if i.labels["role"] == "transformed"]
        rows = flag_rates(name, "original", list(originals.values()), index)
        rows += flag_rates(name, "transformed", transformed, index)
        kept = [i for i in transformed if index.flagged(originals[i.labels["example"]].path)]
        rows.append(share(name, "transformed, original flagged: still flagged any", kept,
                          lambda i: index.flagged(i.path)))
        return rows
    return items, score


def guarddog(folder: Path) -> tuple[list[Item], Scorer]:
    """GuardDog source fixtures: line labels (ruleid/ok), yara-positive files, benign files."""
    items = []
    for r in _jsonl(folder / "sourcecode_fixtures.jsonl"):
        path = r["path"].removeprefix("tests/analyzer/sourcecode/")
        items.append(Item(path, r["content"], {"kind": r["fixture_kind"], "lines": r.get("labels") or [],
                                                  "rule": r.get("rule") or ""}))

    def score(items: list[Item], index: FindingIndex) -> list[Metric]:
        name = "guarddog"
        annotated = [i for i in items if i.labels["kind"] == "semgrep-annotated"]
        lines = {kind: [(i.path, lab["target_line"]) for i in annotated for lab in i.labels["lines"]
                        if lab["kind"] == kind] for kind in ("ruleid", "ok")}
        rows = [share(name, "ruleid lines: hit any", lines["ruleid"], lambda pl: index.at_line(*pl)),
                share(name, "ruleid lines: hit high+", lines["ruleid"], lambda pl: index.at_line(*pl, high=True)),
                share(name, "ok lines: hit any (lower is better)", lines["ok"], lambda pl: index.at_line(*pl)),
                share(name, "ok lines: hit high+ (lower is better)", lines["ok"],
                      lambda pl: index.at_line(*pl, high=True))]
        rows += flag_rates(name, "yara-positive files", [i for i in items if i.labels["kind"] == "yara-positive"],
                           index)
        rows += flag_rates(name, "benign files (lower is better)", [i for i in items if i.labels["kind"] == "benign"],
                           index)
        return rows
    return items, score


def _pairs(unsafe_file: Path, safe_file: Path, group: str, start: int) -> list[Item]:
    unsafe, safe = json.loads(unsafe_file.read_text()), json.loads(safe_file.read_text())
    items = []
    for n, (u, s) in enumerate(zip(unsafe, safe), start):
        cat = group or u.get("category", "x")
        for row, by_position in ((u, "unsafe"), (s, "safe")):
            role = {1: "unsafe", 0: "safe"}.get(row.get("vulnerable"), by_position)
            items.append(Item(f"{cat}/{n:03d}_{role}.py", row["code"], {"group": cat, "role": role, "pair": n}))
    return items


def poisonpy(folder: Path) -> tuple[list[Item], Scorer]:
    """PoisonPy unsafe snippets vs their safe twins (paired by position), per category."""
    pairs = folder / "Unsafe_samples_with_Safe_implementation"
    items = _pairs(pairs / "120_poisoned.json", pairs / "120_clean.json", "", 0)
    extra = folder / "Additional_TPI_Samples"
    if (extra / "additional_35_TPI_UNSAFE.json").exists():
        items += _pairs(extra / "additional_35_TPI_UNSAFE.json", extra / "additional_35_TPI_SAFE.json",
                        "TPI-extra", 1000)

    def score(items: list[Item], index: FindingIndex) -> list[Metric]:
        rows = []
        for group, members in [("all", items), *_groups(items, "group").items()]:
            for role in ("unsafe", "safe"):
                rows += flag_rates("poisonpy", f"{group} {role}", [i for i in members if i.labels["role"] == role],
                                   index)
            by_pair: dict[int, dict[str, Item]] = defaultdict(dict)
            for i in members:
                by_pair[i.labels["pair"]][i.labels["role"]] = i
            full = [p for p in by_pair.values() if len(p) == 2]
            rows.append(share("poisonpy", f"{group} pairs: unsafe flagged, safe not", full,
                              lambda p: index.flagged(p["unsafe"].path) and not index.flagged(p["safe"].path)))
        return rows
    return items, score


def bandit_examples(folder: Path) -> tuple[list[Item], Scorer]:
    """Bandit's example files; 'expected' = Bandit's own tests expect at least one issue in the file."""
    items = []
    for r in _jsonl(folder / "examples.jsonl"):
        tests = r.get("expected_issue_counts")
        if tests is None:
            expect = "unknown"
        else:
            total = sum(sum(t["expect"]["SEVERITY"].values()) for t in tests)
            expect = "expected issues" if total else "expected none"
        items.append(Item(r["path"], r["content"], {"expect": expect}))

    def score(items: list[Item], index: FindingIndex) -> list[Metric]:
        rows = flag_rates("bandit-examples", "all files", items, index)
        for expect, group in _groups(items, "expect").items():
            rows += flag_rates("bandit-examples", expect, group, index)
        return rows
    return items, score


SETS: dict[str, Callable[[Path], tuple[list[Item], Scorer]]] = {
    "trojan-source": trojan_source,
    "trojanpuzzle": trojanpuzzle,
    "codebreaker": codebreaker,
    "guarddog": guarddog,
    "poisonpy": poisonpy,
    "bandit-examples": bandit_examples,
    "purplellama": extra.purplellama,
    "owasp-benchmark": extra.owasp_benchmark,
    "semgrep-rules": extra.semgrep_rules,
}
# Folder names under eval-data that differ from the set name.
FOLDERS = {"purplellama": "purplellama-cyberseceval"}
