"""One command for codescan's numbers: labelled sets, clean-code false positives, planted poison, speed.

    python -m bench.evaluate                          # everything, peers side by side (~20-40 min, 2 cores)
    python -m bench.evaluate --quick                  # samples of each part, a few minutes
    python -m bench.evaluate --sets trojan-source,guarddog --no-peers --no-clean --no-planted --no-speed
    python -m bench.evaluate --quick --write BENCHMARKS.md --json eval.json
    python -m bench.evaluate --no-sets --no-clean --no-speed --no-peers   # planted poison + campaign harness only

Labelled sets live in ../shared/eval-data (beside the checkout; --data to point elsewhere); a missing
set is skipped with a note. Peers: Bandit, semgrep with codescan's own rules/semgrep/, GuardDog
(its own venv under .cache/, installed by `python -m bench.clean_code --guarddog`) on the GuardDog
fixtures, the clean packages and the planted repositories. Every tool runs in its own process group
with a hard timeout; a missing or failing tool becomes a note, never a crash.
"""
from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

if __package__ in (None, ""):  # `python bench/evaluate.py`
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import corpus as corpora  # noqa: E402
from bench import eval_campaigns, eval_clean, eval_peers, eval_planted, eval_report, tools  # noqa: E402
from bench.eval_core import DEFAULT_DATA, write_items  # noqa: E402
from bench.eval_score import FindingIndex, Item  # noqa: E402
from bench.eval_sets import FOLDERS, SETS  # noqa: E402
from bench.eval_truth import SCOPED, TRUTH, Summary, in_rule_languages, summarize  # noqa: E402

QUICK_ITEMS = 200  # items per set in --quick, spread evenly over the set
GUARDDOG_SETS = {"guarddog": ("pypi", "npm")}


def _quick(items: list[Item], n: int) -> list[Item]:
    return list(corpora.sample(tuple(items), n))


def run_set(name: str, items: list[Item], use_peers: bool, timeout: float, jobs: int | None) -> list[Summary]:
    """Write one set's items, run every tool once on them, score each tool the same way."""
    targets = TRUTH[name](items)
    with tempfile.TemporaryDirectory(prefix=f"codescan-eval-{name}-") as tmp:
        folder = Path(tmp) / "items"
        folder.mkdir()
        write_items(items, folder)
        runs = [eval_peers.codescan(folder, timeout, jobs)]
        if use_peers:
            runs += [eval_peers.bandit(folder, timeout), eval_peers.semgrep(folder, timeout)]
            for eco in GUARDDOG_SETS.get(name, ()):
                gd = eval_peers.guarddog(folder, timeout, eco)
                if runs[-1].tool == "guarddog":
                    runs[-1].findings += gd.findings
                    runs[-1].seconds = round((runs[-1].seconds or 0) + (gd.seconds or 0), 2)
                else:
                    runs.append(gd)
    rows = []
    for run in runs:
        if not run.ran:
            rows.append(Summary(name, run.tool, "-", 0, 0, 0, 0, 0, 0, 0, 0, run.seconds, run.note))
            continue
        index = FindingIndex(run.findings)
        rows.append(summarize(name, run.tool, targets, index, run.seconds, run.note))
        if name in SCOPED:
            scoped = [t for t in targets if in_rule_languages(t)]
            rows.append(summarize(f"[{name} py/js/ts]", run.tool, scoped, index, None, ""))
    return rows


def run_sets(args: argparse.Namespace, notes: list[str]) -> list[Summary]:
    wanted = args.sets.split(",") if args.sets else list(SETS)
    rows: list[Summary] = []
    for name in wanted:
        folder = args.data / FOLDERS.get(name, name)
        if not folder.is_dir():
            notes.append(f"set {name}: not present under {args.data}, skipped")
            continue
        items, _ = SETS[name](folder)
        if args.quick and len(items) > args.quick_items:
            notes.append(f"set {name}: --quick scores {args.quick_items} of {len(items)} items")
            items = _quick(items, args.quick_items)
        print(f"[evaluate] {name}: {len(items)} items ...", file=sys.stderr)
        rows += run_set(name, items, not args.no_peers, args.timeout, args.jobs)
    return rows


def run_speed(args: argparse.Namespace) -> dict:
    from bench import scan_bench
    ns = argparse.Namespace(corpus=None, quick=True, quick_files=150 if args.quick else 1000, exclude=[],
                            single_runs=3, timeout=args.timeout, jobs=args.jobs or os.cpu_count() or 1,
                            no_semgrep_engine=False)
    return scan_bench.run_bench(ns)


def _versions(peers: bool) -> dict[str, str]:
    found = {"codescan": tools.version(tools.codescan())}
    if peers:
        found.update(bandit=tools.version(tools.bandit()), semgrep=tools.version(tools.semgrep()),
                     guarddog=tools.version(eval_peers.guarddog_command()))
    return {name: v.removeprefix(name + " ") for name, v in found.items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="samples of every part (minutes)")
    parser.add_argument("--sets", help="comma-separated subset of: " + ", ".join(SETS))
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="folder holding the eval sets")
    parser.add_argument("--no-peers", action="store_true", help="codescan only")
    parser.add_argument("--no-clean", action="store_true", help="skip the clean-code packages")
    parser.add_argument("--no-sets", action="store_true", help="skip the labelled sets (with --no-clean --no-speed: "
                        "only the planted poison and campaign harness)")
    parser.add_argument("--no-planted", action="store_true", help="skip the planted-poison repositories")
    parser.add_argument("--no-speed", action="store_true", help="skip the speed bench")
    parser.add_argument("--quick-items", type=int, default=QUICK_ITEMS, metavar="N", help="items per set in --quick")
    parser.add_argument("--jobs", "-j", type=int, default=None, help="codescan worker processes")
    parser.add_argument("--timeout", type=float, default=1800, metavar="S", help="per tool run")
    parser.add_argument("--write", metavar="FILE", help="write the tables as Markdown (BENCHMARKS.md)")
    parser.add_argument("--json", metavar="FILE", help="also write the figures as JSON")
    args = parser.parse_args(argv)
    unknown = [s for s in (args.sets.split(",") if args.sets else []) if s not in SETS]
    if unknown:
        parser.error(f"unknown set(s): {', '.join(unknown)}")
    if tools.codescan() is None:
        parser.error("codescan is not installed (pip install -e .)")
    start = time.perf_counter()
    notes: list[str] = []
    if not args.no_peers and not eval_peers.semgrep_rules_present():
        notes.append("semgrep: rules/semgrep/ holds no rules yet, semgrep rows are empty")
    if not args.no_peers and eval_peers.guarddog_command() is None:
        notes.append("guarddog: not installed (python -m bench.clean_code --guarddog)")
    result: dict = {"sets": [] if args.no_sets else run_sets(args, notes)}
    if not args.no_clean:
        print("[evaluate] clean code ...", file=sys.stderr)
        result["clean"] = eval_clean.evaluate(args.quick, not args.no_peers, args.timeout)
        notes += [f"clean code: {n}" for n in result["clean"]["notes"]]
    if not args.no_planted:
        print("[evaluate] planted poison ...", file=sys.stderr)
        result["planted"] = eval_planted.evaluate(args.quick, not args.no_peers, args.timeout)
        print("[evaluate] campaign harness ...", file=sys.stderr)
        with tempfile.TemporaryDirectory(prefix="codescan-eval-campaigns-") as tmp:
            result["planted"]["harness"] = eval_campaigns.evaluate(Path(tmp), args.timeout)
    if not args.no_speed:
        print("[evaluate] speed ...", file=sys.stderr)
        result["speed"] = run_speed(args)
    cmd = ["python -m bench.evaluate", *(["--quick"] if args.quick else []), *(["--no-sets"] if args.no_sets else []),
           *([f"--sets {args.sets}"] if args.sets else []), *(["--no-peers"] if args.no_peers else [])]
    result.update(notes=notes, quick=args.quick, command=" ".join(cmd), seconds=time.perf_counter() - start,
                  date=datetime.date.today().isoformat(),
                  machine={"cores": os.cpu_count(), "python": platform.python_version(),
                           "platform": f"{platform.system()} {platform.machine()}"},
                  versions=_versions(not args.no_peers))
    print(eval_report.text(result))
    if args.write:
        Path(args.write).write_text(eval_report.markdown(result), encoding="utf-8")
    if args.json:
        payload = {**result, "sets": [s.as_dict() for s in result["sets"]]}
        if "planted" in payload:
            payload["planted"] = {**payload["planted"], "rows": [s.as_dict() for s in payload["planted"]["rows"]]}
        Path(args.json).write_text(json.dumps(payload, indent=2, default=str) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
