"""Where codescan's time goes: cProfile of one in-process scan (-j 1), split into scanner phases.

Run from the repository root:

    python -m bench.profile_core                              # the interpreter's stdlib, Python files
    python -m bench.profile_core --quick 300 --exclude topics.py --top 20
    python bench/profile_core.py --corpus DIR --pstats out.prof   # keep the raw profile (snakeviz etc.)

Phases are cumulative times of the scanner's own entry points (read, parse, rule queries, fold,
payloads, embedded code, text detectors, suppressions, output), as a share of the whole run; they do
not overlap, the remainder is walking, pipeline and start-up. Then the functions with the most
self time. With -j 1 nothing is pickled, so the cost of shipping documents to worker processes is
measured apart: a pickle round trip of every document read.
"""
from __future__ import annotations

import argparse
import cProfile
import io
import pickle
import pstats
import sys
import time
from pathlib import Path

if __package__ in (None, ""):  # `python bench/profile_core.py`
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import corpus as corpora  # noqa: E402

# (label, path suffix of the defining file, function name); cumulative time of each.
PHASES = (
    ("file reading", "codescan/sources/paths.py", "_read"),
    ("parse (tree-sitter)", "codescan/analyze/document.py", "_parse"),
    ("rule queries", "codescan/analyze/treesitter.py", "_run_query"),
    ("rule gating (tokens, spans)", "codescan/analyze/gate_index.py", "admitted"),
    ("", "codescan/analyze/rule_gate.py", "spans"),
    ("fold (deobfuscate)", "codescan/analyze/deobfuscate.py", "fold"),
    ("payloads (find + decode)", "codescan/analyze/payloads.py", "find"),
    ("embedded code in comments", "codescan/analyze/embedded.py", "fragments"),
    ("text detectors", "codescan/analyze/text.py", "detect"),
    ("suppressions", "codescan/analyze/suppressions.py", "apply"),
    ("rule compile", "codescan/analyze/treesitter.py", "compile_rule"),
    ("", "codescan/analyze/treesitter.py", "_combined"),
    ("output", "codescan/outputs/json.py", "write"),
)


def phase_times(stats: pstats.Stats) -> tuple[float, list[tuple[str, float]]]:
    """(total seconds, [(phase, cumulative seconds)]) from a profile."""
    raw = stats.stats  # type: ignore[attr-defined]
    total = max(ct for (_cc, _nc, _tt, ct, _callers) in raw.values())
    out: list[tuple[str, float]] = []
    for label, suffix, name in PHASES:  # an empty label adds to the phase above it
        cum = sum(v[3] for (file, _line, func), v in raw.items() if func == name and file.endswith(suffix))
        if label:
            out.append((label, cum))
        else:
            out[-1] = (out[-1][0], out[-1][1] + cum)
    return total, out


def top_self(stats: pstats.Stats, n: int) -> list[tuple[str, float, int]]:
    """The n functions with the most self time: (where, seconds, calls)."""
    raw = stats.stats  # type: ignore[attr-defined]
    rows = sorted(raw.items(), key=lambda kv: kv[1][2], reverse=True)[:n]
    out = []
    for (file, line, func), (_cc, nc, tt, _ct, _callers) in rows:
        where = func if file == "~" else f"{_short(file)}:{line} {func}"
        out.append((where, tt, nc))
    return out


def _short(file: str) -> str:
    for marker in ("/codescan/", "/site-packages/", "/lib/python3"):
        if marker in file:
            return file[file.index(marker) + 1:]
    return file


def pickle_round_trip(paths: list[Path]) -> tuple[float, int]:
    """Seconds to pickle and unpickle every document of paths (what -j N ships to workers), bytes."""
    from codescan.records import Document
    docs = [Document(path=str(p), content=p.read_bytes()) for p in paths]
    start = time.perf_counter()
    blob = pickle.dumps(docs, protocol=pickle.HIGHEST_PROTOCOL)
    pickle.loads(blob)
    return time.perf_counter() - start, len(blob)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", metavar="DIR", help="folder (default: the interpreter's stdlib)")
    parser.add_argument("--quick", type=int, metavar="N", help="only N Python files spread over the tree")
    parser.add_argument("--exclude", action="append", default=[], metavar="NAME",
                        help="leave out Python files with this name (repeatable)")
    parser.add_argument("--top", type=int, default=15, help="functions listed by self time")
    parser.add_argument("--pstats", metavar="FILE", help="also dump the raw profile here")
    args = parser.parse_args(argv)
    root = Path(args.corpus) if args.corpus else corpora.default_root()
    files = [p for p in corpora.collect(root).python if p.name not in set(args.exclude)]
    if args.quick:
        files = list(corpora.sample(tuple(files), args.quick))
    from codescan.cli import main as codescan_main
    argv_scan = ["scan", *map(str, files), "--format", "json", "-o", "/dev/null", "--no-progress", "-j", "1"]
    profiler = cProfile.Profile(time.process_time)  # CPU time: robust on a busy machine
    start = time.perf_counter()
    profiler.runcall(codescan_main, argv_scan)
    wall = time.perf_counter() - start
    if args.pstats:
        profiler.dump_stats(args.pstats)
    stats = pstats.Stats(profiler, stream=io.StringIO())
    total, phases = phase_times(stats)
    size = sum(p.stat().st_size for p in files)
    print(f"{len(files)} Python files, {size / 1e6:.2f} MB, {wall:.1f}s wall under the profiler "
          f"(profiled CPU total {total:.1f}s)")
    print(f"{'phase':<28} {'seconds':>8} {'share':>7}")
    for label, secs in phases:
        print(f"{label:<28} {secs:>8.2f} {secs / total:>7.1%}")
    rest = total - sum(s for _l, s in phases)
    print(f"{'(rest: walk, pipeline)':<28} {rest:>8.2f} {rest / total:>7.1%}")
    print(f"\ntop {args.top} by self time")
    for where, secs, calls in top_self(stats, args.top):
        print(f"{secs:>8.2f}s {secs / total:>6.1%} {calls:>9}  {where}")
    secs, nbytes = pickle_round_trip(files)
    print(f"\npickle round trip of all documents: {secs:.3f}s for {nbytes / 1e6:.1f} MB "
          f"({secs / total:.1%} of the profiled scan)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
