"""Worker recycling bench (issue 21): the same files through pipeline.analyze_all with pools never recycled
(the previous behaviour) and with recycling, in one run; prints wall time, pools started and the largest
resident memory a worker reported after a batch.

    python -m bench.recycle_bench --files 3000 --every 8
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--files", type=int, default=3000)
    ap.add_argument("--every", type=int, default=8, help="batches per pool in the recycled run")
    ap.add_argument("--jobs", type=int, default=2)
    args = ap.parse_args(argv)

    from codescan import pipeline, worker_pool
    from codescan.config import Config
    from codescan.records import Document
    from codescan.rules import load_rules

    site = Path(os.__file__).parent / "site-packages"
    paths = sorted(p for p in site.rglob("*.py") if p.stat().st_size < 200_000)[: args.files]
    docs = [Document(path=str(p.relative_to(site)), content=p.read_bytes()) for p in paths]
    ruleset = load_rules()
    seen: list[int] = []
    real_note = worker_pool.RecyclingPool.note

    def note(self, rss, broken=False):
        seen.append(rss)
        return real_note(self, rss, broken)

    worker_pool.RecyclingPool.note = note
    real_pool = pipeline.RecyclingPool
    print(f"{len(docs)} files, {sum(len(d.content) for d in docs) / 1e6:.1f} MB, {args.jobs} workers")
    print(f"{'run':<28}{'wall s':>8}{'pools':>7}{'max worker RSS MB':>19}{'findings':>10}")
    for label, every, mark in (("never recycled (before)", 1 << 30, 0), (f"recycled every {args.every} batches", args.every, 0)):
        made: list = []

        def factory(*a, every=every, mark=mark, **kw):
            kw["memory_mark"] = mark
            pool = real_pool(*a, recycle_batches=every, **kw)
            made.append(pool)
            return pool

        pipeline.RecyclingPool = factory
        seen.clear()
        start = time.monotonic()
        found = sum(len(a.findings) for a in pipeline.analyze_all(iter(docs), ruleset, Config(jobs=args.jobs))
                    if hasattr(a, "findings"))
        wall = time.monotonic() - start
        pools = sum(p.recycled + 1 for p in made)
        print(f"{label:<28}{wall:>8.1f}{pools:>7}{max(seen or [0]) / 1e6:>19.0f}{found:>10}")
    pipeline.RecyclingPool = real_pool
    return 0


if __name__ == "__main__":
    sys.exit(main())
