"""Per-process fixed costs of a worker-pool scan: analyzers built and rule queries compiled in each process.

Run from the repository root:

    python -m bench.process_costs --base <rev>              # 300 stdlib files, -j 2, this checkout vs <rev>
    python -m bench.process_costs --base <rev> --quick 0 --jobs 4   # the whole stdlib, four workers

Each tree scans the same files with `codescan scan -j JOBS` in a child process whose tree-sitter query compiles
and Analyzer() builds are logged per process id (the logging is inherited by the forked workers). Counts are
deterministic for a given corpus and batch order; the milliseconds are CPU time and move with the machine's load,
which is printed beside them. The baseline is checked out with `git worktree add` into a temporary folder.
"""
from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent
if __package__ in (None, ""):  # `python bench/process_costs.py`
    sys.path.insert(0, str(HERE))

from bench import corpus as corpora  # noqa: E402

# Run in the child (its cwd and PYTHONPATH are the tree measured): log, then hand over to the CLI.
CHILD = r"""
import os, sys, time
from codescan.analyze import document, treesitter
LOG = os.environ["CODESCAN_COST_LOG"]

def note(kind, ms):
    with open(LOG, "a") as fh:
        fh.write(f"{os.getpid()} {kind} {ms:.3f}\n")

real_compile = treesitter.compile_rule
def compile_rule(rule, language):
    start = time.process_time()
    try:
        return real_compile(rule, language)
    finally:
        note("query", (time.process_time() - start) * 1000)
treesitter.compile_rule = compile_rule

real_init = document.Analyzer.__init__
def init(self, *args, **kwargs):
    start = time.process_time()
    real_init(self, *args, **kwargs)
    note("analyzer", (time.process_time() - start) * 1000)
document.Analyzer.__init__ = init

from codescan.cli import main
files = open(os.environ["CODESCAN_COST_FILES"]).read().split("\n")
sys.exit(main(["scan", *files, "--format", "json", "--no-progress", "-j", os.environ["CODESCAN_COST_JOBS"],
               "--fail-on", "none"]))
"""


def measure(tree: Path, listing: Path, jobs: int, log: Path) -> dict:
    log.unlink(missing_ok=True)
    env = dict(os.environ, PYTHONPATH=str(tree), CODESCAN_COST_LOG=str(log), CODESCAN_COST_FILES=str(listing),
               CODESCAN_COST_JOBS=str(jobs))
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    proc = subprocess.run([sys.executable, "-c", CHILD], cwd=tree, env=env, capture_output=True, text=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        raise SystemExit(f"process_costs: scan with {tree} failed: {proc.stderr[-300:]}")
    per: dict[str, dict] = defaultdict(lambda: {"query": [0, 0.0], "analyzer": [0, 0.0]})
    for line in log.read_text().splitlines() if log.exists() else ():
        pid, kind, ms = line.split()
        per[pid][kind][0] += 1
        per[pid][kind][1] += float(ms)
    return {"cpu": (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), "per": dict(per)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--base", required=True, help="revision to compare this checkout with")
    parser.add_argument("--corpus", metavar="DIR", help="folder (default: the interpreter's stdlib)")
    parser.add_argument("--quick", type=int, default=300, metavar="N", help="N Python files of it (0: all)")
    parser.add_argument("--jobs", type=int, default=2, help="worker processes (-j)")
    args = parser.parse_args(argv)
    root = Path(args.corpus) if args.corpus else corpora.default_root()
    files = list(corpora.collect(root).python)
    if args.quick:
        files = list(corpora.sample(tuple(files), args.quick))
    with tempfile.TemporaryDirectory(prefix="codescan-costs-") as tmp:
        base_tree = Path(tmp) / "base"
        subprocess.run(["git", "-C", str(HERE), "worktree", "add", "--detach", "-f", str(base_tree), args.base],
                       check=True, capture_output=True)
        try:
            listing = Path(tmp) / "files.txt"
            listing.write_text("\n".join(str(p) for p in files))
            results = {name: measure(tree, listing, args.jobs, Path(tmp) / f"{name}.log")
                       for name, tree in (("baseline", base_tree), ("this checkout", HERE))}
        finally:
            subprocess.run(["git", "-C", str(HERE), "worktree", "remove", "--force", str(base_tree)],
                           capture_output=True)
    load = open("/proc/loadavg").read().split()[:3] if os.path.exists("/proc/loadavg") else ["?"]
    print(f"{len(files)} Python files, -j {args.jobs}; baseline {args.base}; load average {' '.join(load)}")
    print(f"{'tree':<14} {'processes':>9} {'analyzers':>9} {'queries':>8} {'query ms':>9} {'cpu s (all)':>12}")
    for name, res in results.items():
        per = res["per"].values()
        print(f"{name:<14} {len(res['per']):>9} {sum(p['analyzer'][0] for p in per):>9} "
              f"{sum(p['query'][0] for p in per):>8} {sum(p['query'][1] for p in per):>9.0f} {res['cpu']:>12.2f}")
        for pid, p in sorted(res["per"].items()):
            print(f"  pid {pid}: {p['analyzer'][0]} analyzer(s) built, {p['query'][0]} queries compiled "
                  f"({p['query'][1]:.0f} ms)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
