"""Corpus filter bench: docs/s and MB/s of the local and Ray engines on the same shards, and peak RSS for a
small and a 10x larger shard (memory must stay flat as a shard grows).

    python -m bench.filter_bench                       # 2,000 and 20,000 records, local + Ray, -j 2
    python -m bench.filter_bench --records 500 --no-ray --json out.json
    python -m bench.filter_bench --campaigns            # campaign clustering on (the default policy's)

Shards are generated here: Stack-style code records and chat records with fenced blocks, ~3 % poisoned.
Peak RSS is the largest single process of the run (the driver holds the streaming state; workers are bounded).
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.runner import measure  # noqa: E402

_PY = '''def {name}(items, limit={n}):
    """Keep the first items below a limit."""
    out = []
    for item in items:
        if len(out) >= limit:
            break
        if item is not None and item < limit * {n}:
            out.append(item * 2)
    return out
'''
_JS = '''function {name}(list) {{
  const seen = new Set();
  return list.filter((x) => {{
    if (seen.has(x)) return false;
    seen.add(x);
    return x > {n};
  }});
}}
module.exports = {{ {name} }};
'''
_BAD = "import base64\nexec(base64.b64decode('aW1wb3J0IG9zOyBvcy5zeXN0ZW0oImlkIik='))\n"


def record(i: int) -> dict:
    name = f"helper_{i}"
    if i % 33 == 0:
        return {"id": f"r{i}", "content": _BAD + _PY.format(name=name, n=i), "lang": "Python", "repo": f"o{i}/r"}
    if i % 5 == 0:
        return {"id": f"r{i}", "messages": [{"role": "user", "content": "Write a helper"},
                                            {"role": "assistant", "content": f"Here:\n\n```python\n{_PY.format(name=name, n=i)}```"}]}
    if i % 2:
        return {"id": f"r{i}", "content": _JS.format(name=name, n=i), "lang": "JavaScript", "repo": f"o{i}/r"}
    return {"id": f"r{i}", "content": _PY.format(name=name, n=i), "lang": "Python", "repo": f"o{i}/r"}


def write_shard(path: Path, n: int) -> int:
    with open(path, "w", encoding="utf-8") as fh:
        for i in range(n):
            fh.write(json.dumps(record(i)) + "\n")
    return path.stat().st_size


def run(engine: str, shard: Path, out: Path, jobs: int, campaigns: bool = False) -> dict:
    argv = [sys.executable, "-m", "codescan", "filter", str(shard), "-o", str(out), "--engine", engine, "-j", str(jobs),
            *([] if campaigns else ["--no-campaigns"]), "--lang-field", "lang", "--repo-field", "repo", "--no-progress"]
    result = measure(argv, timeout=3600)
    stats = json.loads((out / "filter-stats.json").read_text()) if (out / "filter-stats.json").exists() else {}
    report = json.loads((out / "drop-report.json").read_text()) if (out / "drop-report.json").exists() else {}
    return {"engine": engine, "records": stats.get("records"), "mb": round(shard.stat().st_size / 1e6, 2),
            "wall_s": round(result.wall, 2), "filter_s": stats.get("seconds", {}).get("total"),
            "docs_per_s": stats.get("docs_per_s"), "mb_per_s": stats.get("mb_per_s"),
            "peak_rss_mb": round(result.peak_rss_mb, 1) if result.peak_rss_mb else None,
            "dropped": report.get("summary", {}).get("dropped"), "campaigns": report.get("summary", {}).get("campaigns"),
            "stage_s": stats.get("seconds"), "exit": result.rc}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--records", type=int, default=2000, help="records in the small shard (large = 10x)")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--no-ray", action="store_true")
    ap.add_argument("--campaigns", action="store_true", help="cluster campaigns too (default: --no-campaigns)")
    ap.add_argument("--sizes", default="small,large", help="which shards: small, large or both")
    ap.add_argument("--json", metavar="FILE")
    args = ap.parse_args(argv)
    rows = []
    with tempfile.TemporaryDirectory(prefix="codescan-filter-bench-") as tmp:
        root = Path(tmp)
        for label, n in (("small", args.records), ("large", args.records * 10)):
            if label not in args.sizes.split(","):
                continue
            shard = root / label / "shard.jsonl"
            shard.parent.mkdir()
            write_shard(shard, n)
            engines = ["local"] + ([] if args.no_ray else ["ray"])
            for engine in engines:
                row = {"shard": label, **run(engine, shard, root / f"out-{label}-{engine}", args.jobs, args.campaigns)}
                rows.append(row)
                print(json.dumps(row), flush=True)
            if len(engines) == 2:
                same = (root / f"out-{label}-local" / "drop-report.json").read_bytes() == \
                    (root / f"out-{label}-ray" / "drop-report.json").read_bytes()
                print(f"{label}: local and Ray drop reports identical: {same}", flush=True)
    print(f"\n{'shard':<6} {'engine':<6} {'records':>8} {'MB':>6} {'wall s':>7} {'docs/s':>8} {'MB/s':>6} {'RSS MB':>7}")
    for r in rows:
        print(f"{r['shard']:<6} {r['engine']:<6} {r['records'] or 0:>8} {r['mb']:>6} {r['wall_s']:>7} "
              f"{r['docs_per_s'] or 0:>8} {r['mb_per_s'] or 0:>6} {r['peak_rss_mb'] or 0:>7}")
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
