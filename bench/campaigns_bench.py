"""Campaigns on real crawl states, this checkout against a baseline commit in the same run.

    python bench/campaigns_bench.py            # planted harness + history mirrors, then the mirrors doubled
    python bench/campaigns_bench.py --quick    # planted harness (small) + 4 small history repositories
    python bench/campaigns_bench.py --base REV --json out.json

1. bench.evaluate's planted harness (bench/plant.py: repositories with planted campaigns) is crawled and
   `codescan campaigns --state` run by both, and both are scored. The baseline's state is also read by this
   checkout (upgraded in place): on the same state the campaigns must be identical (a crawl by this checkout can
   differ only by what the rules found, when the baseline's rules differ).
2. The history bench's mirrors (bench/history_mirror.py) plus a fork of each (the fork adds one commit), crawled
   by both; then the same with the second half of the packages added (about twice the state). `campaigns` runs
   on each state: wall, CPU and peak RSS (largest process) per side and size.
   --one-crawl: each state is crawled once (by the baseline) and both sides run `campaigns` on copies of it (this
   checkout upgrades older schemas in place); the JSON of both must be byte-identical. Prefix with `nice -n 10`.
   --doubling mixed: the doubled state is the first half with its forks plus the second half's repositories
   WITHOUT forks: the state doubles while the campaigns found stay about the same (with forks of every repository
   every unit is a campaign candidate, so the output doubles with the state); `both` runs the two doublings.
   --states DIR: mirrors and crawled states kept in DIR and reused by later runs (crawled by the baseline the
   first time; implies --one-crawl).
"""
from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

if __package__ in (None, ""):  # `python bench/campaigns_bench.py`
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import history_mirror, plant  # noqa: E402
from bench.eval_planted import campaign_scores  # noqa: E402
from bench.history_bench import HERE, checkout, codescan, default_base, state_mb  # noqa: E402
from codescan.sources.git_safety import safe_env  # noqa: E402


def fork_all(root: Path) -> None:
    """A fork of every repository under root (a copy of the bare repository plus one commit touching one file)."""
    for gitdir in sorted(root.glob("*.git")):
        fork = root / f"fork-{gitdir.name}"
        shutil.copytree(gitdir, fork)
        files = subprocess.run(["git", f"--git-dir={fork}", "ls-tree", "-r", "--name-only", "main"], env=safe_env(),
                               check=True, capture_output=True, text=True).stdout.split()
        if not files:
            continue
        head = subprocess.run(["git", f"--git-dir={fork}", "rev-parse", "main"], env=safe_env(), check=True,
                              capture_output=True, text=True).stdout.strip()
        path = files[0]
        text = subprocess.run(["git", f"--git-dir={fork}", "show", f"main:{path}"], env=safe_env(), check=True,
                              capture_output=True).stdout + b"\n# fork\n"
        stream = (f"commit refs/heads/main\nauthor Fork Owner <fork@example.org> 1700000000 +0000\n"
                  f"committer Fork Owner <fork@example.org> 1700000000 +0000\ndata 5\nfork\nfrom {head}\n"
                  f"M 100644 inline {path}\ndata {len(text)}\n").encode() + text + b"\n\n"
        subprocess.run(["git", f"--git-dir={fork}", "fast-import", "--quiet", "--force"], input=stream,
                       env=safe_env(), check=True)


def crawl_and_campaigns(code: Path, root: Path, state: Path, out: Path, jobs: int) -> dict:
    crawl = codescan(code, "crawl", str(root), "--state", str(state), "--no-progress", "-j", str(jobs))
    shutil.copy(state, state.with_suffix(".copy.db"))  # for the other side to read as it is
    run = codescan(code, "campaigns", "--state", str(state), "--format", "json", "-o", str(out))
    found = json.loads(out.read_text())["campaigns"]
    return {"crawl_s": round(crawl.wall, 1), "state_mb": round(state_mb(state.with_suffix(".copy.db")), 2),
            "wall_s": round(run.wall, 2), "cpu_s": round(run.cpu or 0, 2),
            "peak_rss_mb": round(run.peak_rss_mb or 0, 1), "campaigns": len(found)}


def untimed(path: Path) -> list:
    """Campaigns from a JSON file without their findings' first_seen: the start time of the crawl that stored the
    finding, which differs between two crawls of the same mirror."""
    found = json.loads(path.read_text())["campaigns"]
    for campaign in found:
        for finding in campaign.get("findings", ()):
            finding.pop("first_seen", None)
    return found


def campaigns_only(code: Path, state: Path, out: Path) -> dict:
    run = codescan(code, "campaigns", "--state", str(state), "--format", "json", "-o", str(out))
    found = json.loads(out.read_text())["campaigns"]
    return {"crawl_s": 0.0, "state_mb": round(state_mb(state), 2), "wall_s": round(run.wall, 2),
            "cpu_s": round(run.cpu or 0, 2), "peak_rss_mb": round(run.peak_rss_mb or 0, 1), "campaigns": len(found)}


def one_crawl(base_code: Path, mirror: Path, tmp: Path, name: str, jobs: int, kept: Path | None = None) -> dict:
    """Crawl once with the baseline (this checkout reads older schemas), then `campaigns` by both sides on copies
    of that state. kept: a state crawled before (by a baseline) to use instead."""
    state = tmp / f"{name}.db"
    crawl_s = 0.0
    if kept is None:
        crawl_s = codescan(base_code, "crawl", str(mirror), "--state", str(state), "--no-progress", "-j",
                           str(jobs)).wall
    else:
        state = kept
    row = {}
    for side, code in (("before", base_code), ("after", HERE)):
        copy = tmp / f"{name}-{side}.db"
        shutil.copy(state, copy)
        row[side] = campaigns_only(code, copy, tmp / f"{name}-{side}.json")
        row[side]["crawl_s"] = round(crawl_s, 1)
    same = (tmp / f"{name}-before.json").read_bytes() == (tmp / f"{name}-after.json").read_bytes()
    row["same_state"] = {"identical": same, **row["after"]}
    return row


def same_state(tmp: Path, name: str) -> dict:
    """This checkout's campaigns on the baseline's state (upgraded in place) against the baseline's own."""
    run = codescan(HERE, "campaigns", "--state", str(tmp / f"{name}-before.copy.db"), "--format", "json", "-o",
                   str(tmp / f"{name}-upgraded.json"))
    before = json.loads((tmp / f"{name}-before.json").read_text())["campaigns"]
    after = json.loads((tmp / f"{name}-upgraded.json").read_text())["campaigns"]
    return {"identical": before == after, "wall_s": round(run.wall, 2), "cpu_s": round(run.cpu or 0, 2),
            "peak_rss_mb": round(run.peak_rss_mb or 0, 1), "campaigns": len(after)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--base", default=None, help="baseline revision (default: the last schema-2 commit)")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--steps", type=int, default=2, help="commits from one release to the next (history mirrors)")
    ap.add_argument("--planted-only", action="store_true", help="only the planted harness")
    ap.add_argument("--no-planted", action="store_true", help="only the history mirrors")
    ap.add_argument("--one-crawl", action="store_true",
                    help="crawl each state once (the baseline); both sides run campaigns on copies of it")
    ap.add_argument("--doubling", choices=("forks", "mixed", "both"), default="forks",
                    help="the doubled state: the second half forked too (forks), or added without forks (mixed)")
    ap.add_argument("--states", metavar="DIR", help="keep mirrors and crawled states here, reuse them next time")
    ap.add_argument("--json", metavar="FILE")
    args = ap.parse_args(argv)
    args.one_crawl = args.one_crawl or bool(args.states)
    base_rev = args.base or default_base()
    result: dict = {"base": base_rev, "one_crawl": args.one_crawl}
    with tempfile.TemporaryDirectory(prefix="campaigns-bench-") as tmp:
        tmp = Path(tmp)
        base_code = checkout(base_rev, tmp / "base")
        try:
            repos, files, camps, spread = (9, 4, 3, 3) if args.quick else (40, 10, 8, 4)
            if args.no_planted:
                repos = 0
            truth = None if not repos else plant.generate(tmp / "planted", repos, files, None, seed=7, campaigns=camps, spread=spread)
            planted = {}
            if truth and args.one_crawl:
                planted = one_crawl(base_code, tmp / "planted", tmp, "planted", args.jobs)
                for name in ("before", "after"):
                    found = json.loads((tmp / f"planted-{name}.json").read_text())["campaigns"]
                    planted[name]["score"] = campaign_scores(found, truth)
            for name, code in (("before", base_code), ("after", HERE)) if truth and not args.one_crawl else ():
                out = tmp / f"planted-{name}.json"
                planted[name] = crawl_and_campaigns(code, tmp / "planted", tmp / f"planted-{name}.db", out, args.jobs)
                planted[name]["score"] = campaign_scores(json.loads(out.read_text())["campaigns"], truth)
            if truth and not args.one_crawl:
                planted["same_state"] = same_state(tmp, "planted")
                planted["same_crawls"] = all(  # each side's campaigns on the state it crawled itself
                    untimed(tmp / f"planted-{name}.json") == untimed(tmp / "planted-before.json") for name in ("after",))
            result["planted"] = planted
            result["history"] = []
            for variant, forked, plain in [] if args.planted_only else variants(args.quick, args.doubling):
                packages = forked + plain
                where = Path(args.states) if args.states else tmp
                mirror = where / f"m-{variant}-s{args.steps}"
                kept = where / f"{variant}-s{args.steps}.db" if args.states else None
                t = time.perf_counter()
                if kept is None or not kept.exists():
                    shutil.rmtree(mirror, ignore_errors=True)
                    mirror.mkdir(parents=True)
                    history_mirror.build(mirror, forked, args.steps)
                    fork_all(mirror)
                    history_mirror.build(mirror, plain, args.steps)
                row = {"repos": 2 * len(forked) + len(plain), "forked": len(forked),
                       "build_s": round(time.perf_counter() - t, 1)}
                if args.one_crawl:
                    if kept is not None and not kept.exists():
                        codescan(base_code, "crawl", str(mirror), "--state", str(kept), "--no-progress", "-j",
                                 str(args.jobs))
                    row.update(one_crawl(base_code, mirror, tmp, f"h-{variant}", args.jobs, kept))
                    result["history"].append(row)
                    continue
                for name, code in (("before", base_code), ("after", HERE)):
                    row[name] = crawl_and_campaigns(code, mirror, tmp / f"h{len(packages)}-{name}.db",
                                                    tmp / f"h{len(packages)}-{name}.json", args.jobs)
                row["same_state"] = same_state(tmp, f"h{len(packages)}")
                result["history"].append(row)
        finally:
            subprocess.run(["git", "-C", str(HERE), "worktree", "remove", "--force", str(base_code)],
                           capture_output=True)
    report(result)
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=2) + "\n")
    return 0


def variants(quick: bool, doubling: str) -> list[tuple[str, tuple, tuple]]:
    """(name, packages forked, packages not forked) of each history state, smallest first."""
    if quick:
        return [("quick", history_mirror.QUICK, ())]
    first, second = history_mirror.FIRST, history_mirror.SECOND
    out = [("fork10", first, ())]
    if doubling in ("forks", "both"):
        out.append(("fork21", first + second, ()))
    if doubling in ("mixed", "both"):
        out.append(("mixed21", first, second))
    return out


def report(r: dict) -> None:
    print(f"baseline {r['base']}")
    p = r["planted"]
    for name in ("before", "after") if p else ():
        s = p[name]
        print(f"planted harness {name:6}: {s['campaigns']} campaigns, score {s['score']}, "
              f"campaigns wall {s['wall_s']} s, CPU {s['cpu_s']} s, peak RSS {s['peak_rss_mb']:.0f} MB")
    if "same_crawls" in p:
        print(f"planted harness, each side on the state it crawled itself: campaigns identical (but for the findings' "
              f"first_seen, the crawl's start time): {p['same_crawls']}")
    u = p.get("same_state")
    if u and r.get("one_crawl"):
        print(f"planted harness, one state read by both: JSON byte-identical: {u['identical']}")
    elif u:
        print(f"planted harness, the baseline's state read by this checkout (upgraded in place): {u['campaigns']} "
              f"campaigns, identical to the baseline's: {u['identical']} (wall {u['wall_s']} s, CPU {u['cpu_s']} s, "
              f"peak RSS {u['peak_rss_mb']:.0f} MB)")
    print(f"{'state':28} {'side':6} {'state MB':>9} {'crawl s':>8} {'campaigns':>9} {'wall s':>7} {'CPU s':>7} "
          f"{'peak RSS MB':>11}")
    for row in r["history"]:
        for name in ("before", "after"):
            s = row[name]
            forked = row.get("forked", row["repos"] // 2)
            label = (f"{row['repos']} repos (with forks)" if 2 * forked == row["repos"] else
                     f"{row['repos']} repos ({forked} forked)")
            print(f"{label:28} {name:6} {s['state_mb']:9.1f} {s['crawl_s']:8.1f} {s['campaigns']:9d} "
                  f"{s['wall_s']:7.1f} {s['cpu_s']:7.1f} {s['peak_rss_mb']:11.0f}")
        u = row["same_state"]
        if r.get("one_crawl"):
            print(f"{'':28} one state read by both: JSON byte-identical: {u['identical']}")
            continue
        print(f"{'':24} baseline's state read by this checkout: {u['campaigns']} campaigns, identical: "
              f"{u['identical']}, wall {u['wall_s']} s, CPU {u['cpu_s']} s, peak RSS {u['peak_rss_mb']:.0f} MB")


if __name__ == "__main__":
    sys.exit(main())
