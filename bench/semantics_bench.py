"""CPU per MB of this checkout vs a baseline commit (default: the one before the semantic layer), one run.

Run from the repository root:

    python -m bench.semantics_bench                   # the interpreter's stdlib, Python files
    python -m bench.semantics_bench --quick 300 --repeat 3
    python bench/semantics_bench.py --base <rev> --corpus DIR

Both trees scan the same files with `codescan scan -j 1` in a child process, alternately, best of
--repeat; `cpu s` is the child's user+system time (robust on a busy machine). The baseline is
checked out with `git worktree add` into a temporary folder and removed afterwards. Also prints the
high+ findings per kLOC each tree reports on the same files (a clean-code figure for the stdlib).
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

HERE = Path(__file__).resolve().parent.parent
if __package__ in (None, ""):  # `python bench/semantics_bench.py`
    sys.path.insert(0, str(HERE))

from bench import corpus as corpora  # noqa: E402

FIRST = "codescan/analyze/semantics/facts.py"


def default_base() -> str:
    """The commit before the one that added the semantic layer."""
    out = subprocess.run(["git", "-C", str(HERE), "log", "--diff-filter=A", "--format=%H", "--", FIRST],
                         capture_output=True, text=True, check=True).stdout.split()
    if not out:
        raise SystemExit("semantics_bench: cannot find the commit that added the semantic layer; pass --base")
    return out[-1] + "^"


def run_scan(tree: Path, listing: Path) -> tuple[float, dict]:
    """(child CPU seconds, JSON report) of one `codescan scan` of the listed files with `tree`'s code."""
    env = dict(os.environ, PYTHONPATH=str(tree))
    files = listing.read_text().split("\n")
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    proc = subprocess.run([sys.executable, "-m", "codescan", "scan", *files, "--format", "json", "--no-progress",
                           "-j", "1", "--fail-on", "critical"], cwd=tree, env=env, capture_output=True, text=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode not in (0, 1):
        raise SystemExit(f"semantics_bench: scan with {tree} failed: {proc.stderr[-300:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return cpu, json.loads(proc.stdout)


def high_plus(report: dict) -> int:
    return sum(1 for f in report.get("findings", []) if f["severity"] in ("high", "critical"))


def arguments(description: str, best: str) -> argparse.ArgumentParser:
    """The options both tree-beside-baseline benches take (this one and bench.stage_times)."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--corpus", metavar="DIR", help="folder (default: the interpreter's stdlib)")
    parser.add_argument("--quick", type=int, metavar="N", help="only N Python files spread over the tree")
    parser.add_argument("--base", help="baseline revision (default: the commit before the semantic layer)")
    parser.add_argument("--repeat", type=int, default=2, help=f"runs per tree; {best}")
    return parser


def python_files(args: argparse.Namespace) -> list[Path]:
    root = Path(args.corpus) if args.corpus else corpora.default_root()
    files = list(corpora.collect(root).python)
    return list(corpora.sample(tuple(files), args.quick)) if args.quick else files


@contextmanager
def baseline(base: str, files: list[Path]) -> Iterator[tuple[Path, Path]]:
    """(`base` checked out with `git worktree add` into a temporary folder, a listing of `files` beside it); both
    removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="codescan-bench-base-") as tmp:
        base_tree = Path(tmp) / "base"
        subprocess.run(["git", "-C", str(HERE), "worktree", "add", "--detach", "-f", str(base_tree), base],
                       check=True, capture_output=True)
        try:
            listing = Path(tmp) / "files.txt"
            listing.write_text("\n".join(str(p) for p in files))
            yield base_tree, listing
        finally:
            subprocess.run(["git", "-C", str(HERE), "worktree", "remove", "--force", str(base_tree)],
                           capture_output=True)


def main(argv: list[str] | None = None) -> int:
    args = arguments(__doc__.split("\n")[0], "the best CPU time counts").parse_args(argv)
    files = python_files(args)
    size = sum(p.stat().st_size for p in files)
    lines = sum(p.read_bytes().count(b"\n") for p in files)
    base = args.base or default_base()
    with baseline(base, files) as (base_tree, listing):
        best: dict[str, tuple[float, dict]] = {}
        for _ in range(max(args.repeat, 1)):
            for name, tree in (("baseline", base_tree), ("this checkout", HERE)):
                cpu, report = run_scan(tree, listing)
                if name not in best or cpu < best[name][0]:
                    best[name] = (cpu, report)
    mb = size / 1e6
    print(f"{len(files)} Python files, {mb:.2f} MB, {lines / 1000:.1f} kLOC; baseline {base}; best of {args.repeat}")
    print(f"{'tree':<14} {'cpu s':>7} {'cpu s/MB':>9} {'high+':>6} {'high+/kLOC':>11}")
    for name, (cpu, report) in best.items():
        print(f"{name:<14} {cpu:>7.2f} {cpu / mb:>9.3f} {high_plus(report):>6} {high_plus(report) / (lines / 1000):>11.3f}")
    ratio = best["this checkout"][0] / best["baseline"][0]
    print(f"CPU per MB, this checkout / baseline: {ratio:.2f}x (budget 1.20x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
