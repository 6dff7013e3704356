"""CPU per analysis stage, this checkout beside a baseline commit: where the scan's time goes, and where it grew.

Run from the repository root:

    python -m bench.stage_times                       # the interpreter's stdlib, Python files, vs semantics_bench's base
    python -m bench.stage_times --quick 300 --repeat 3 --base HEAD~1

Each tree scans the same files in process (`codescan scan -j 1`) in a child process of its own, alternately; the
scanner's entry points are wrapped so that each stage's *exclusive* CPU time (time.process_time, robust on a busy
machine) is summed: a stage nested in another (the parse of a comment's code inside "embedded") counts for itself
only. Per stage the lowest of --repeat runs is shown. Stages a tree does not have show as 0 (the baseline has no
semantic layer). `other` is what is left of Analyzer.analyze; `outside` is rule loading, output and the pipeline.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent
if __package__ in (None, ""):  # `python bench/stage_times.py`
    sys.path.insert(0, str(HERE))

from bench.semantics_bench import arguments, baseline, default_base, python_files  # noqa: E402

# (stage, module, attribute, class or None); wrapped when the tree has it
STAGES = (
    ("parse", "codescan.analyze.document", "_parse", None),
    ("rule queries", "codescan.analyze.treesitter", "_run_query", None),
    ("rule gates", "codescan.analyze.gate_index", "admitted", "GateIndex"),
    ("rule gates", "codescan.analyze.gate_index", "admitted_edited", "GateIndex"),
    ("rule gates", "codescan.analyze.rule_gate", "spans", "Gate"),
    ("rule compile", "codescan.analyze.treesitter", "compile_rule", None),
    ("fold", "codescan.analyze.deobfuscate", "fold", None),
    ("semantic rules", "codescan.analyze.semantics.engine", "run", "FactRules"),
    ("payloads", "codescan.analyze.payloads", "find", None),
    ("code in comments", "codescan.analyze.embedded", "fragments", None),
    ("text detectors", "codescan.analyze.text", "detect", None),
    ("other", "codescan.analyze.document", "analyze", "Analyzer"),
)
GENERATORS = {"_run_query", "find", "fragments"}  # consumed inside the wrapper, so their time is theirs

CHILD = r"""
import collections, functools, importlib, json, sys, time
stages, listing = json.loads(sys.argv[1]), sys.argv[2]
clock, totals, stack = time.process_time, collections.Counter(), []

def enter(name):
    now = clock()
    if stack:
        totals[stack[-1][0]] += now - stack[-1][1]
    stack.append([name, now])

def leave():
    now = clock()
    name, start = stack.pop()
    totals[name] += now - start
    if stack:
        stack[-1][1] = now

def wrapped(f, name, generator):
    @functools.wraps(f)
    def call(*args, **kwargs):
        enter(name)
        try:
            return iter(list(f(*args, **kwargs))) if generator else f(*args, **kwargs)
        finally:
            leave()
    return call

for name, module, attr, owner, generator in stages:
    try:
        holder = importlib.import_module(module)
    except ImportError:
        continue
    holder = getattr(holder, owner, None) if owner else holder
    if holder is not None and hasattr(holder, attr):
        setattr(holder, attr, wrapped(getattr(holder, attr), name, generator))
from codescan.cli import main
files = open(listing).read().split("\n")
enter("outside")
try:
    main(["scan", *files, "--format", "json", "-o", "/dev/null", "--no-progress", "-j", "1", "--fail-on", "critical"])
except SystemExit:
    pass
leave()
print(json.dumps(dict(totals)))
"""


def measure(tree: Path, listing: Path) -> dict[str, float]:
    """Exclusive CPU seconds per stage of one in-process scan of the listed files with `tree`'s code."""
    stages = [(*s, s[2] in GENERATORS) for s in STAGES]
    proc = subprocess.run([sys.executable, "-c", CHILD, json.dumps(stages), str(listing)], cwd=tree,
                          env=dict(os.environ, PYTHONPATH=str(tree)), capture_output=True, text=True)
    if proc.returncode != 0 or not proc.stdout.strip():
        raise SystemExit(f"stage_times: scan with {tree} failed: {proc.stderr[-300:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    args = arguments(__doc__.split("\n")[0], "per stage the lowest counts").parse_args(argv)
    files = python_files(args)
    base = args.base or default_base()
    best: dict[str, dict[str, float]] = {"baseline": {}, "this checkout": {}}
    with baseline(base, files) as (base_tree, listing):
        for _ in range(max(args.repeat, 1)):
            for name, tree in (("baseline", base_tree), ("this checkout", HERE)):
                for stage, secs in measure(tree, listing).items():
                    best[name][stage] = min(secs, best[name].get(stage, secs))
    size = sum(p.stat().st_size for p in files) / 1e6
    print(f"{len(files)} Python files, {size:.2f} MB; baseline {base}; lowest of {args.repeat} per stage, CPU s")
    names = sorted(set(best["baseline"]) | set(best["this checkout"]), key=lambda s: -best["this checkout"].get(s, 0))
    print(f"{'stage':<18} {'baseline':>9} {'this':>9} {'change':>8}")
    for stage in names:
        a, b = best["baseline"].get(stage, 0.0), best["this checkout"].get(stage, 0.0)
        print(f"{stage:<18} {a:>9.2f} {b:>9.2f} {b - a:>+8.2f}")
    total_a, total_b = sum(best["baseline"].values()), sum(best["this checkout"].values())
    print(f"{'total':<18} {total_a:>9.2f} {total_b:>9.2f} {total_b - total_a:>+8.2f} ({total_b / total_a:.2f}x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
