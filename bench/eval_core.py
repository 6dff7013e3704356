"""Quick evaluation of the scanner core on the labelled sets in /work/shared/eval-data.

Run from the repository root:

    python -m bench.eval_core                        # every set present, one table
    python bench/eval_core.py --sets trojan-source,guarddog --json eval.json
    python -m bench.eval_core --data DIR --jobs 2

For each set, its items are written as files (original extensions kept, so languages are
detected) into a temp folder, `codescan scan DIR --format json --no-progress -o out.json` runs once,
and the figures are computed from the findings' path + line. Samples are never executed.
What each set's rows mean (labels as documented in each set's README):
  trojan-source   share of the 51 files with a hidden-unicode finding (all are positives)
  trojanpuzzle    poisoned / clean files flagged (any, high+) per attack SIMPLE/COVERT/TROJANPUZZLE
  codebreaker     originals and transformed variants flagged (any, high+); variants still flagged
                  when their original is
  guarddog        recall on `ruleid` lines, hits on `ok` lines, yara-positive files flagged,
                  benign files flagged (the last two rows of each kind: lower is better)
  poisonpy        unsafe snippets vs safe twins flagged; pairs where only the unsafe one is
  bandit-examples files flagged, split by whether Bandit's own tests expect issues
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

if __package__ in (None, ""):  # `python bench/eval_core.py`
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import tools  # noqa: E402
from bench.eval_score import FindingIndex, Item, Metric  # noqa: E402
from bench.eval_sets import FOLDERS, SETS, Scorer  # noqa: E402

# ../shared/eval-data beside the checkout, as in CI and the developers' machines.
DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "eval-data"


def write_items(items: list[Item], folder: Path) -> None:
    """Write each item's text at its relative path under folder (UTF-8, newlines kept as they are)."""
    for item in items:
        dest = folder / item.path
        if folder.resolve() not in dest.resolve().parents:
            raise ValueError(f"item path leaves the scan folder: {item.path}")
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_text(item.content, encoding="utf-8", newline="")


def scan(folder: Path, out: Path, jobs: int | None = None, extra: list[str] | None = None) -> dict:
    """Run codescan once over folder and return its JSON report."""
    cmd = tools.codescan()
    if cmd is None:
        raise RuntimeError("codescan is not installed (pip install -e .)")
    argv = [*cmd, "scan", str(folder), "--format", "json", "--no-progress", "-o", str(out), "--fail-on", "none",
            "--include-ignored"]
    if jobs:
        argv += ["-j", str(jobs)]
    proc = subprocess.run([*argv, *(extra or [])], capture_output=True, text=True)
    if proc.returncode not in (0, 1) or not out.exists():
        raise RuntimeError(f"codescan failed (exit {proc.returncode}): {proc.stderr.strip()[-500:]}")
    return json.loads(out.read_text())


def evaluate(name: str, items: list[Item], score: Scorer, jobs: int | None = None) -> tuple[list[Metric], dict]:
    """Write, scan once and score one set; also returns run facts (files, skipped, seconds)."""
    with tempfile.TemporaryDirectory(prefix=f"codescan-eval-{name}-") as tmp:
        folder = Path(tmp) / "items"
        folder.mkdir()
        write_items(items, folder)
        start = time.perf_counter()
        report = scan(folder, Path(tmp) / "out.json", jobs)
        seconds = time.perf_counter() - start
    reasons = Counter(s.get("reason", "")[:70] for s in report.get("skipped", []))
    facts = {"items": len(items), "findings": len(report.get("findings", [])),
             "skipped": len(report.get("skipped", [])), "skip_reasons": dict(reasons.most_common(3)),
             "seconds": round(seconds, 2)}
    return score(items, FindingIndex.from_report(report)), facts


def print_table(metrics: list[Metric], facts: dict[str, dict], stream=sys.stdout) -> None:
    width = max((len(m.metric) for m in metrics), default=20)
    head = f"{'set':<16} {'metric':<{width}} {'hits':>5} {'total':>5} {'rate':>6}"
    print(head, file=stream)
    print("-" * len(head), file=stream)
    for m in metrics:
        rate = "-" if m.rate is None else f"{m.rate:.1%}"
        print(f"{m.set:<16} {m.metric:<{width}} {m.hits:>5} {m.total:>5} {rate:>6}", file=stream)
    for name, f in facts.items():
        why = "; ".join(f"{n}x {r}" for r, n in f.get("skip_reasons", {}).items())
        print(f"{name}: {f['items']} files, {f['findings']} findings, {f['skipped']} skipped"
              f"{' (' + why + ')' if why else ''}, {f['seconds']}s", file=stream)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="folder holding the eval sets")
    parser.add_argument("--sets", help="comma-separated subset of: " + ", ".join(SETS))
    parser.add_argument("--jobs", "-j", type=int, default=None, help="codescan worker processes")
    parser.add_argument("--json", metavar="FILE", help="also write the table here")
    args = parser.parse_args(argv)
    wanted = args.sets.split(",") if args.sets else list(SETS)
    unknown = [s for s in wanted if s not in SETS]
    if unknown:
        parser.error(f"unknown set(s): {', '.join(unknown)}")
    metrics: list[Metric] = []
    facts: dict[str, dict] = {}
    for name in wanted:
        folder = args.data / FOLDERS.get(name, name)
        if not folder.is_dir():
            print(f"[eval] {name}: not present under {args.data}, skipped", file=sys.stderr)
            continue
        print(f"[eval] {name} ...", file=sys.stderr)
        items, score = SETS[name](folder)
        rows, facts[name] = evaluate(name, items, score, args.jobs)
        metrics += rows
    print_table(metrics, facts)
    if args.json:
        payload = {"rows": [{"set": m.set, "metric": m.metric, "hits": m.hits, "total": m.total, "rate": m.rate}
                            for m in metrics], "runs": facts, "cores": os.cpu_count()}
        Path(args.json).write_text(json.dumps(payload, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
