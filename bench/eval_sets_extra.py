"""Loaders for purplellama (CyberSecEval), owasp-benchmark (Python) and semgrep-rules test files.

Same contract as eval_sets.py: loader(folder) -> (items, score). These loaders also attach their
ground truth as `labels["targets"]` (eval_truth.Target), since their labels are lines and CWEs.
"""
from __future__ import annotations

import ast
import json
from collections import defaultdict
from pathlib import Path, PurePosixPath

from bench import eval_labels as labels
from bench.eval_score import FindingIndex, Item, Metric, flag_rates, safe_name, share
from bench.eval_truth import Target

EXTENSIONS = {"c": ".c", "cpp": ".cpp", "csharp": ".cs", "javascript": ".js", "java": ".java", "rust": ".rs",
              "php": ".php", "python": ".py", "swift": ".swift", "objective_c": ".m", "xml": ".xml",
              "ruby": ".rb", "typescript": ".ts", "go": ".go", "kotlin": ".kt"}
# semgrep-rules languages that are configuration, not code (left out).
IAC = {"terraform", "yaml", "json", "dockerfile", "text", "generic", "hcl", "regex", "none", "html", "xml"}


def _jsonl(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def _as_list(value) -> list:
    """Some exported columns are Python-repr strings of lists."""
    if isinstance(value, str):
        try:
            return ast.literal_eval(value)
        except (ValueError, SyntaxError):
            return []
    return value or []


def locate(code: str, line_text: str) -> int | None:
    """1-based line of code equal to line_text (stripped), else the first line containing it."""
    want = line_text.strip()
    if not want:
        return None
    lines = code.splitlines()
    for n, line in enumerate(lines, 1):
        if line.strip() == want:
            return n
    for n, line in enumerate(lines, 1):
        if want in line:
            return n
    return None


def _language_rows(name: str, items: list[Item], index: FindingIndex) -> list[Metric]:
    """Per language: positive lines hit (any, high+), negative items flagged."""
    rows = []
    by_lang: dict[str, list[Item]] = defaultdict(list)
    for i in items:
        by_lang[i.labels["lang"]].append(i)
    for lang, group in sorted(by_lang.items()):
        pos = [t for i in group for t in i.labels["targets"] if t.positive]
        neg = [t for i in group for t in i.labels["targets"] if not t.positive]
        rows.append(share(name, f"{lang} positive: hit any", pos, lambda t: bool(index.findings_at(t.path, t.line))))
        rows.append(share(name, f"{lang} positive: hit high+", pos,
                          lambda t: bool(index.findings_at(t.path, t.line, high=True))))
        if neg:
            rows.append(share(name, f"{lang} negative: hit any (lower is better)", neg,
                              lambda t: bool(index.findings_at(t.path, t.line))))
    return rows


def purplellama(folder: Path) -> tuple[list[Item], "Scorer"]:
    """ICD-flagged insecure lines (positives, line level) + ICD unit cases (0 expected = negative file)."""
    items = []
    for n, r in enumerate(_jsonl(folder / "autocomplete_insecure_lines.jsonl")):
        ext = EXTENSIONS.get(r["language"])
        line = locate(r["origin_code"], r["line_text"])
        if ext is None or line is None:
            continue
        path = f"insecure/{r['language']}/{n:04d}_{safe_name(PurePosixPath(r['file_path']).stem, 40)}{ext}"
        target = Target(path, line, True, labels.for_cwe(r["cwe_identifier"]))
        items.append(Item(path, r["origin_code"], {"lang": r["language"], "targets": [target]}))
    icd = folder / "icd_unit_cases.jsonl"
    for n, r in enumerate(_jsonl(icd) if icd.exists() else []):
        lang = r["list"].split("_TEST_CASES")[0].replace("_REGEX", "").replace("_SEMGREP", "").lower()
        ext = EXTENSIONS.get(lang)
        if ext is None:
            continue
        path = f"icd/{lang}/{n:03d}{ext}"
        positive = int(r["expected_matches"]) > 0
        items.append(Item(path, r["snippet"] + "\n", {"lang": lang, "targets": [Target(path, None, positive)]}))

    def score(items: list[Item], index: FindingIndex) -> list[Metric]:
        return _language_rows("purplellama", items, index)
    return items, score


def owasp_benchmark(folder: Path) -> tuple[list[Item], "Scorer"]:
    """OWASP Benchmark Python test cases: vulnerable (positive) vs safe look-alike (negative), file level."""
    items = []
    for r in _jsonl(folder / "python_testcases.jsonl"):
        vulnerable = r["vulnerable"] in (True, "true", "True", 1)
        cats = labels.OWASP.get(r["category"], labels.NONE) or labels.for_cwe(r.get("cwe"))
        target = Target(r["path"], None, vulnerable, cats)
        items.append(Item(r["path"], r["content"], {"category": r["category"], "vulnerable": vulnerable,
                                                     "targets": [target]}))

    def score(items: list[Item], index: FindingIndex) -> list[Metric]:
        rows = []
        by_cat: dict[str, list[Item]] = defaultdict(list)
        for i in items:
            by_cat[i.labels["category"]].append(i)
        for cat, group in sorted(by_cat.items()):
            rows += flag_rates("owasp-benchmark", f"{cat} vulnerable", [i for i in group if i.labels["vulnerable"]],
                               index)
            rows += flag_rates("owasp-benchmark", f"{cat} safe (lower is better)",
                               [i for i in group if not i.labels["vulnerable"]], index)
        return rows
    return items, score


def _security_rules(folder: Path) -> dict[str, frozenset[str]]:
    """Rule id -> accepted categories, for semgrep-rules' security rules only."""
    rules = {}
    for r in _jsonl(folder / "rule_metadata.jsonl"):
        defs = [d for d in _as_list(r.get("defs")) if d.get("category") == "security"]
        if defs:
            rules[r["rule_id"]] = frozenset().union(*(labels.for_cwe(*_as_list(d.get("cwe"))) for d in defs))
    return rules


def semgrep_rules(folder: Path) -> tuple[list[Item], "Scorer"]:
    """semgrep-rules test files (code languages): `ruleid` lines of security rules must be hit, `ok` lines not."""
    security = _security_rules(folder)
    items = []
    for r in _jsonl(folder / "test_files.jsonl"):
        if r["language"] in IAC:
            continue
        targets = []
        for lab in _as_list(r.get("labels")):
            ids = [i for i in lab.get("rule_ids") or () if i in security]
            if ids and lab["kind"] in ("ruleid", "ok"):
                cats = frozenset().union(*(security[i] for i in ids))
                targets.append(Target(r["path"], lab["target_line"], lab["kind"] == "ruleid", cats))
        if targets:
            items.append(Item(r["path"], r["content"], {"lang": r["language"], "targets": targets}))

    def score(items: list[Item], index: FindingIndex) -> list[Metric]:
        return _language_rows("semgrep-rules", items, index)
    return items, score
