"""Does reuse between versions change any result? Every blob of the history bench (bench/history_mirror.py: stdlib
packages, release by release, `--steps` commits each) analyzed as a crawl worker analyzes it — one analyzer, a file's
versions in order, its trees, quiet rules, fragment trees and process memos warm — and again from nothing: an analyzer
without reuse, every process memo emptied first. Findings, skips, units and line counts must be equal, blob by blob.

    python bench/reuse_check.py                   # QUICK packages, 4 steps (the history bench's --quick)
    python bench/reuse_check.py --plant           # also with rule fixtures planted, moving from version to version

The standard library's history holds no finding at all, so `--plant` inserts the positive lines of the Python rule
fixtures into every other file, a few lines at a time at a place that moves with each version (each version keeps the
ones before it): rules then match, stop matching and move between versions. Exit 1 when any blob differs.
"""
from __future__ import annotations

import argparse
import os
import sys
import time
import zlib
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent
if __package__ in (None, ""):  # `python bench/reuse_check.py`
    sys.path.insert(0, str(HERE))

from bench import history_mirror  # noqa: E402
from bench.semantic_reuse_bound import versions  # noqa: E402
from codescan.analyze import languages  # noqa: E402
from codescan.analyze.document import Analyzer  # noqa: E402
from codescan.config import load as load_config  # noqa: E402
from codescan.records import Document  # noqa: E402
from codescan.rules import load_rules  # noqa: E402

FIXTURES = HERE / "fixtures" / "rules" / "python"


def forget(fresh: Analyzer) -> None:
    """Empty every process memo that outlives one analysis (all keyed by content: a new process starts with none),
    and the from-nothing analyzer's own (its rule gates' word memo)."""
    from codescan.analyze import rule_gate
    from codescan.cluster import embedded, minhash, tokenwalk, unit_memo, units

    for memo in (tokenwalk._memo, units._def_memo, units._line_memo, minhash._memo, embedded._memo,
                 embedded._walks, unit_memo._memo):
        memo.clear()
    rule_gate._LAST_PRESENCE.clear()
    for compiled in fresh._compiled.values():
        index = getattr(compiled, "_index", None)
        for case in getattr(index, "_cases", ()):
            case[1]._memo.clear()


def planted(docs: list[tuple[str, bytes]], every: int = 2, picks: int = 4) -> list[tuple[str, bytes]]:
    """`docs` with Python rule fixtures planted into one file in `every`: `picks` fixtures per file, each one's
    look-alike lines (`ok:`) in every version and its positive line (`expect:`) from version k on (version n holds
    the first n + 1 positives), the k-th fixture at row 7k + 3n of the original (moving with each version). A rule
    then has its tokens in the file before it matches: it is quiet in one version and matches in the next."""
    fixtures = []
    for path in sorted(FIXTURES.glob("*.py")):
        top = [line for line in path.read_bytes().splitlines() if line[:1].strip() and b"\\" not in line[-1:]]
        positive = [line for line in top if b"# expect:" in line]
        if positive:
            fixtures.append((positive[0], [line for line in top if b"# ok:" in line][:2]))
    parser = languages.parser("python")
    out, seen = [], {}
    for path, content in docs:
        n = seen[path] = seen.get(path, -1) + 1
        if zlib.crc32(path.encode()) % every:
            out.append((path, content))
            continue
        lines = content.split(b"\n")
        size = len(lines)
        starts = [node.start_point[0] for node in parser.parse(content).root_node.children] + [size]
        for k in reversed(range(picks)):  # from the bottom: earlier rows stay where they were
            row = next(r for r in starts if r >= min(size, 7 * k + 3 * n))  # before a top-level statement
            positive, lookalikes = fixtures[(zlib.crc32(path.encode()) + k) % len(fixtures)]
            lines[row:row] = lookalikes + ([positive] if k <= n else [])
        out.append((path, b"\n".join(lines)))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--steps", type=int, default=4)
    parser.add_argument("--packages", default=",".join(history_mirror.QUICK))
    parser.add_argument("--plant", action="store_true", help="rule fixtures planted into every other file")
    args = parser.parse_args(argv)
    docs = versions(tuple(p for p in args.packages.split(",") if p), args.steps)
    if args.plant:
        docs = planted(docs)
    config = load_config(None, None)
    rules = load_rules(config.rules).select(config.select, config.ignore)
    warm = Analyzer(rules, config, units=True, reuse=True)
    fresh = Analyzer(rules, config, units=True, reuse=False)
    differ, findings, units, spent = [], 0, 0, [0.0, 0.0]
    load = os.getloadavg()[0]
    for number, (path, content) in enumerate(docs):
        doc = Document(path=path, content=content, repo="r", blob=str(number), trusted=False)
        start = time.process_time()
        a = warm.analyze(doc)
        middle = time.process_time()
        saved = _memos()
        forget(fresh)
        b = fresh.analyze(Document(path=path, content=bytes(bytearray(content)), repo="r", blob=str(number),
                                   trusted=False))
        spent[0] += middle - start
        spent[1] += time.process_time() - middle
        _restore(saved)  # the warm analyzer goes on with what it had built
        # repr, not pickle: the same values, types told apart (1, 1.0, True), whether or not two units share one
        # signature object (a remembered span's does; pickle writes a shared object once)
        if repr((a.findings, a.skips, a.units, a.lines)) != repr((b.findings, b.skips, b.units, b.lines)):
            differ.append(f"{path} (version {number})")
        findings += len(a.findings)
        units += len(a.units)
    print(f"{len(docs)} blobs ({sum(len(c) for _, c in docs) / 1e6:.2f} MB), {findings} findings, {units} units"
          f"{' (planted)' if args.plant else ''}; load average {load:.1f} -> {os.getloadavg()[0]:.1f}")
    print(f"analysis with reuse {spent[0]:.1f} CPU-s, from nothing {spent[1]:.1f} CPU-s")
    print(f"blobs whose analysis differs: {len(differ)}" + "".join(f"\n  {d}" for d in differ[:20]))
    return 1 if differ else 0


def _memos() -> list:
    from codescan.analyze import rule_gate
    from codescan.cluster import embedded, minhash, tokenwalk, unit_memo, units

    return [(memo, type(memo)(memo)) for memo in (tokenwalk._memo, units._def_memo, units._line_memo, minhash._memo,
                                                  embedded._memo, embedded._walks, unit_memo._memo,
                                                  rule_gate._LAST_PRESENCE)]


def _restore(saved: list) -> None:
    for memo, content in saved:
        memo.clear()
        if isinstance(memo, list):
            memo.extend(content)
        else:
            memo.update(content)


if __name__ == "__main__":
    raise SystemExit(main())
