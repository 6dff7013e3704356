"""Crawl bench on real history: standard-library packages of every installed Python, committed release by release
(bench/history_mirror.py), crawled by this checkout and by a baseline commit in the same run.

    python bench/history_bench.py                 # 10 packages, every release; baseline = last schema-2 commit
    python bench/history_bench.py --quick         # 4 small packages
    python bench/history_bench.py --base REV --json out.json
    python bench/history_bench.py --quick --repeat 3   # before/after crawled 3 times, alternately: lowest CPU counts

Prints per side: content MB read, state MB (and its share of the content), wall, CPU, CPU-s per MB, peak RSS
(largest process), then `git cat-file --batch` reading the same blobs, the state's biggest tables, and whether
`codescan campaigns --state` gives the same campaigns on both states (and on the baseline state upgraded in place).
With --repeat, a side's figures are its run with the least CPU, every run's CPU printed beside them: on a shared
machine one run a side compares two different loads, and rounds alternate the sides so both meet the same ones.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

if __package__ in (None, ""):  # `python bench/history_bench.py`
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import history_mirror  # noqa: E402
from bench.crawl_bench import cat_file_reference  # noqa: E402
from bench.runner import measure  # noqa: E402

HERE = Path(__file__).resolve().parent.parent


def default_base() -> str:
    """The last commit before units were stored once per distinct content."""
    out = subprocess.run(["git", "-C", str(HERE), "log", "--format=%H", "-S", 'SCHEMA_VERSION = "3"', "--",
                          "codescan/state/schema.py"], capture_output=True, text=True, check=True).stdout.split()
    rev = (out[-1] + "^") if out else "HEAD"
    return subprocess.run(["git", "-C", str(HERE), "rev-parse", "--short=12", rev], capture_output=True, text=True,
                          check=True).stdout.strip()


def checkout(rev: str, where: Path) -> Path:
    subprocess.run(["git", "-C", str(HERE), "worktree", "add", "--detach", "-f", str(where), rev],
                   capture_output=True, check=True)
    return where


def codescan(code: Path, *args: str, stdout_path: str | None = None):
    env = {**os.environ, "PYTHONPATH": str(code)}
    run = measure([sys.executable, "-m", "codescan", *args], cwd=str(code), env=env, stdout_path=stdout_path)
    if run.rc not in (0, 1):
        raise SystemExit(f"codescan {args[0]} failed ({code}): {run.stderr_tail}")
    return run


def state_mb(path: Path) -> float:
    return sum(p.stat().st_size for p in path.parent.glob(path.name + "*")) / 1e6


def tables(path: Path) -> list[tuple[str, float]]:
    """The biggest tables and indexes (MB), from SQLite's dbstat when it is compiled in."""
    conn = sqlite3.connect(path)
    try:
        rows = conn.execute("SELECT name, SUM(pgsize) FROM dbstat GROUP BY name ORDER BY 2 DESC LIMIT 8").fetchall()
    except sqlite3.OperationalError:
        rows = []
    conn.close()
    return [(name, size / 1e6) for name, size in rows]


def side(code: Path, mirror: Path, state: Path, jobs: int) -> dict:
    for old in state.parent.glob(state.name + "*"):  # a repeated run crawls into a fresh state
        old.unlink()
    out = state.with_suffix(".crawl.json")
    run = codescan(code, "crawl", str(mirror), "--state", str(state), "--json", "--no-progress", "-j", str(jobs),
                   stdout_path=str(out))
    stats = json.loads(out.read_text())
    mb = stats["bytes_read"] / 1e6
    figures = {"content_mb": round(mb, 2), "blobs": stats["blobs_read"], "state_mb": round(state_mb(state), 2),
               "wall_s": round(run.wall, 2), "cpu_s": round(run.cpu or 0, 2),
               "peak_rss_mb": round(run.peak_rss_mb or 0, 1), "findings": stats["findings"]}
    figures["state_share"] = round(figures["state_mb"] / mb, 4) if mb else None
    figures["cpu_s_per_mb"] = round(figures["cpu_s"] / mb, 3) if mb else None
    return figures


def campaigns(code: Path, state: Path, out: Path) -> dict:
    run = codescan(code, "campaigns", "--state", str(state), "--format", "json", "-o", str(out))
    found = json.loads(out.read_text())["campaigns"]
    return {"wall_s": round(run.wall, 2), "cpu_s": round(run.cpu or 0, 2),
            "peak_rss_mb": round(run.peak_rss_mb or 0, 1), "campaigns": len(found)}


def same(a: Path, b: Path) -> bool:
    return json.loads(a.read_text())["campaigns"] == json.loads(b.read_text())["campaigns"]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="4 small packages")
    ap.add_argument("--base", default=None, help="baseline revision (default: the last schema-2 commit)")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--steps", type=int, default=4,
                    help="commits from one release to the next, each applying a share of the diff hunks (default 4)")
    ap.add_argument("--repeat", type=int, default=1,
                    help="crawl each side this many times, alternately; the run with the least CPU is reported")
    ap.add_argument("--no-campaigns", action="store_true", help="crawl only")
    ap.add_argument("--json", metavar="FILE")
    args = ap.parse_args(argv)
    if not history_mirror.releases():
        print("no installed Python releases found (pyenv versions or /usr/lib/python3.*): nothing to bench")
        return 2
    packages = history_mirror.QUICK if args.quick else history_mirror.FIRST
    base_rev = args.base or default_base()
    with tempfile.TemporaryDirectory(prefix="history-bench-") as tmp:
        tmp = Path(tmp)
        t = time.perf_counter()
        commits = history_mirror.build(tmp / "mirror", packages, args.steps)
        built = time.perf_counter() - t
        base_code = checkout(base_rev, tmp / "base")
        try:
            result = {"base": base_rev, "steps": args.steps, "packages": list(packages), "commits": commits,
                      "build_s": round(built, 1),
                      "releases": [".".join(map(str, v)) for v, _ in history_mirror.releases()]}
            runs: dict[str, list[dict]] = {"before": [], "after": []}
            for _round in range(max(args.repeat, 1)):
                for name, code in (("before", base_code), ("after", HERE)):
                    runs[name].append(side(code, tmp / "mirror", tmp / f"{name}.db", args.jobs))
            for name, done in runs.items():  # every run's state is the same (rows do not depend on timing)
                result[name] = {**min(done, key=lambda s: s["cpu_s"]), "cpu_runs": [s["cpu_s"] for s in done]}
            cat_s, cat_bytes, cat_blobs = cat_file_reference(tmp / "after.db")
            result["cat_file"] = {"s": round(cat_s, 2), "mb": round(cat_bytes / 1e6, 2), "blobs": cat_blobs}
            result["tables_after"] = [(n, round(mb, 2)) for n, mb in tables(tmp / "after.db")]
            if not args.no_campaigns:
                shutil.copy(tmp / "before.db", tmp / "upgraded.db")
                result["upgraded"] = {}
                for name, code, db in (("before", base_code, "before.db"), ("after", HERE, "after.db"),
                                       ("upgraded", HERE, "upgraded.db")):
                    result[name]["campaigns"] = campaigns(code, tmp / db, tmp / f"{name}.campaigns.json")
                result["upgraded_mb"] = round(state_mb(tmp / "upgraded.db"), 2)
                result["same_campaigns"] = same(tmp / "before.campaigns.json", tmp / "after.campaigns.json")
                result["same_after_upgrade"] = same(tmp / "before.campaigns.json", tmp / "upgraded.campaigns.json")
        finally:
            subprocess.run(["git", "-C", str(HERE), "worktree", "remove", "--force", str(base_code)],
                           capture_output=True)
    report(result)
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=2) + "\n")
    return 0


def report(r: dict) -> None:
    print(f"mirror: {len(r['packages'])} repositories ({', '.join(r['packages'])}), {r['commits']} commits = releases "
          f"{r['releases'][0]} .. {r['releases'][-1]} ({r['steps']} commits from one to the next), "
          f"built in {r['build_s']} s; "
          f"baseline {r['base']}")
    print(f"{'':8} {'content MB':>10} {'blobs':>6} {'state MB':>9} {'state/content':>13} {'wall s':>7} {'CPU s':>7} "
          f"{'CPU s/MB':>8} {'peak RSS MB':>11}")
    for name in ("before", "after"):
        s = r[name]
        print(f"{name:8} {s['content_mb']:10.2f} {s['blobs']:6d} {s['state_mb']:9.2f} {s['state_share']:13.1%} "
              f"{s['wall_s']:7.1f} {s['cpu_s']:7.1f} {s['cpu_s_per_mb']:8.3f} {s['peak_rss_mb']:11.0f}")
    b, a = r["before"], r["after"]
    if len(a.get("cpu_runs", ())) > 1:
        print(f"CPU s of each run (alternated, least reported): before {b['cpu_runs']}, after {a['cpu_runs']}")
    print(f"state {b['state_mb'] / a['state_mb']:.1f}x smaller; "
          f"CPU per MB {b['cpu_s_per_mb'] / a['cpu_s_per_mb']:.2f}x "
          f"better")
    c = r["cat_file"]
    print(f"git cat-file --batch: {c['s']:.2f} s for the same {c['blobs']} blobs ({c['mb']} MB)")
    print("biggest tables after: " + ", ".join(f"{n} {mb:.2f} MB" for n, mb in r["tables_after"]))
    if "same_campaigns" in r:
        for name in ("before", "after", "upgraded"):
            s = r[name]["campaigns"]
            print(f"campaigns {name:8}: {s['campaigns']} campaigns, wall {s['wall_s']} s, CPU {s['cpu_s']} s, "
                  f"peak RSS {s['peak_rss_mb']:.0f} MB")
        print(f"baseline state upgraded in place: {r['upgraded_mb']} MB; campaigns identical before/after: "
              f"{r['same_campaigns']}, after upgrade: {r['same_after_upgrade']}")


if __name__ == "__main__":
    sys.exit(main())
