"""Evaluate the Ruby, PHP, shell, Dockerfile and manifest rules on the labelled sets in ../shared/eval-data.

Run from the repository root:

    python -m bench.eval_scripts                 # every set present, one table per language
    python bench/eval_scripts.py --json out.json

Rows (each set's items are written to a temp folder and scanned once with `codescan scan`; samples are
never executed):
  trojan-source  <lang>  files with any finding (all are Trojan Source positives; only Bash exists here)
  guarddog       <lang>  recall on `ruleid` lines / hits on `ok` lines of the line-annotated fixtures;
                         yara-positive files flagged / benign files flagged (package.json fixtures are
                         written as <stem>/package.json so the manifest detectors read them)
  semgrep        <lang>  recall on `ruleid` lines of rules whose CWE is one codescan covers (listed in
                         COVERED_CWES), hits on those rules' `ok` lines, and recall on every ruleid line
  purplellama    php     flagged lines per CWE class (ICD's labels; read misses critically)
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from collections import defaultdict
from pathlib import Path, PurePosixPath

if __package__ in (None, ""):  # `python bench/eval_scripts.py`
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.eval_core import DEFAULT_DATA, evaluate, print_table  # noqa: E402
from bench.eval_score import Item, Metric, safe_name  # noqa: E402

LANGUAGES = {"ruby": "ruby", "php": "php", "bash": "shell", "dockerfile": "dockerfile", "Bash": "shell"}
# CWE classes the rules of this area address (command/code injection, download-exec, deserialization,
# crypto, TLS, SQL injection, secrets, malicious code, file inclusion, permissions).
COVERED_CWES = frozenset({77, 78, 94, 95, 98, 200, 259, 269, 295, 321, 326, 327, 328, 494, 502, 506, 522, 538,
                          693, 732, 798, 829, 89, 916})
_CWE = re.compile(r"CWE-(\d+)")


def _jsonl(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def _line_rows(set_name: str, language: str, items: list[Item], index, kinds=("ruleid", "ok")) -> list[Metric]:
    hits = {k: 0 for k in kinds}
    totals = {k: 0 for k in kinds}
    for item in items:
        for kind, lines in item.labels.get("lines", {}).items():
            if kind in totals:
                totals[kind] += len(lines)
                hits[kind] += sum(1 for ln in lines if index.at_line(item.path, ln))
    rows = []
    for kind in kinds:
        label = {"ruleid": "recall on ruleid lines", "ok": "hits on ok lines (lower is better)",
                 "all": "recall on every ruleid line"}.get(kind, kind)
        rows.append(Metric(set_name, f"{language}: {label}", hits[kind], totals[kind]))
    return rows


def trojan_source(folder: Path):
    items = [Item(f"{i:03d}_{safe_name(PurePosixPath(r['path']).name)}", r["content"], {"language": r["language"]})
             for i, r in enumerate(_jsonl(folder / "samples.jsonl")) if r["language"] in LANGUAGES]

    def score(items, index):
        return [Metric("trojan-source", f"{LANGUAGES[i.labels['language']]}: files flagged",
                       sum(index.flagged(j.path) for j in items), len(items)) for i in items[:1]]
    return items, score


def guarddog(folder: Path):
    items = []
    for i, r in enumerate(_jsonl(folder / "sourcecode_fixtures.jsonl")):
        if r["language"] not in ("ruby", "json"):
            continue
        stem = safe_name(PurePosixPath(r["path"]).stem)
        path = f"{i:03d}_{stem}/package.json" if r["language"] == "json" else f"{i:03d}_{stem}.rb"
        lines = defaultdict(list)
        for label in r.get("labels") or ():
            lines[label["kind"]].append(label["target_line"])
        lang = "package.json" if r["language"] == "json" else "ruby"
        items.append(Item(path, r["content"], {"lines": dict(lines), "kind": r["fixture_kind"], "lang": lang}))

    def score(items, index):
        rows = []
        for lang in ("ruby", "package.json"):
            group = [i for i in items if i.labels["lang"] == lang]
            annotated = [i for i in group if i.labels["kind"] == "semgrep-annotated"]
            if annotated:
                rows += _line_rows("guarddog", lang, annotated, index)
            for kind, label in (("yara-positive", "positive files flagged"), ("benign", "benign files flagged")):
                files = [i for i in group if i.labels["kind"] == kind]
                if files:
                    rows.append(Metric("guarddog", f"{lang}: {label}", sum(index.flagged(i.path) for i in files),
                                       len(files)))
        return rows
    return items, score


def _rule_cwes(folder: Path) -> dict[str, set[int]]:
    out: dict[str, set[int]] = defaultdict(set)
    for record in _jsonl(folder / "rule_metadata.jsonl"):
        for definition in record.get("defs", []):
            for cwe in definition.get("cwe") or ():
                out[record["rule_id"]].update(int(n) for n in _CWE.findall(cwe))
    return out


def semgrep(folder: Path):
    cwes = _rule_cwes(folder)
    items = []
    for record in _jsonl(folder / "test_files.jsonl"):
        if record["language"] not in LANGUAGES:
            continue
        lines = defaultdict(list)
        for label in record["labels"]:
            covered = any(cwes.get(r, set()) & COVERED_CWES for r in label["rule_ids"])
            if label["kind"] == "ruleid":
                lines["all"].append(label["target_line"])
            if covered and label["kind"] in ("ruleid", "ok"):
                lines[label["kind"]].append(label["target_line"])
        items.append(Item(record["path"], record["content"],
                          {"lines": dict(lines), "lang": LANGUAGES[record["language"]]}))

    def score(items, index):
        rows = []
        for lang in ("ruby", "php", "shell", "dockerfile"):
            group = [i for i in items if i.labels["lang"] == lang]
            if group:
                rows += _line_rows("semgrep", lang, group, index, kinds=("ruleid", "ok", "all"))
        return rows
    return items, score


def purplellama(folder: Path):
    items = []
    for i, r in enumerate(_jsonl(folder / "autocomplete_insecure_lines.jsonl")):
        if r["language"] != "php":
            continue
        code = r["origin_code"]
        target = r["line_text"].strip()
        line = next((n for n, text in enumerate(code.splitlines(), 1) if text.strip() == target), None)
        if line is not None:
            items.append(Item(f"{i:04d}.php", code, {"line": line, "cwe": r["cwe_identifier"]}))

    def score(items, index):
        by_cwe = defaultdict(list)
        for item in items:
            by_cwe[item.labels["cwe"]].append(item)
        rows = [Metric("purplellama", "php: flagged lines (all CWEs)",
                       sum(index.at_line(i.path, i.labels["line"]) for i in items), len(items))]
        for cwe, group in sorted(by_cwe.items(), key=lambda kv: -len(kv[1])):
            rows.append(Metric("purplellama", f"php: {cwe}",
                               sum(index.at_line(i.path, i.labels["line"]) for i in group), len(group)))
        return rows
    return items, score


SETS = {"trojan-source": ("trojan-source", trojan_source), "guarddog": ("guarddog", guarddog),
        "semgrep": ("semgrep-rules", semgrep), "purplellama": ("purplellama-cyberseceval", purplellama)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="folder holding the eval sets")
    parser.add_argument("--sets", help="comma-separated subset of: " + ", ".join(SETS))
    parser.add_argument("--jobs", "-j", type=int, default=None)
    parser.add_argument("--json", metavar="FILE", help="also write the table here")
    args = parser.parse_args(argv)
    wanted = args.sets.split(",") if args.sets else list(SETS)
    metrics, facts = [], {}
    for name in wanted:
        sub, loader = SETS[name]
        if not (args.data / sub).is_dir():
            print(f"[eval] {name}: not present under {args.data}, skipped", file=sys.stderr)
            continue
        items, score = loader(args.data / sub)
        rows, facts[name] = evaluate(name, items, score, args.jobs)
        metrics += rows
    print_table(metrics, facts)
    if args.json:
        Path(args.json).write_text(json.dumps([m.__dict__ for m in metrics], indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
