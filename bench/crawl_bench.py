"""Crawl bench: a mirror built from the standard library (several repositories with several commits, plus forks
that share most blobs), crawled with the real CLI.

    python bench/crawl_bench.py              # 19 stdlib packages (~9 MB), 3 commits each, 8 forks
    python bench/crawl_bench.py --quick      # 4 packages, 2 forks: well under a minute
    python bench/crawl_bench.py --jobs 2 --json crawl.json

Prints: first crawl (seconds, MB/s of blob content read), an unchanged re-crawl (target <= 5 % of the
first), a re-crawl after one new commit in one repository, the blob-dedup saving on forks (blob
occurrences vs distinct blobs read), and `git cat-file --batch` reading the same distinct blobs
(the physical reference for object reads).
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import sqlite3
import subprocess
import sys
import sysconfig
import tempfile
import time
from pathlib import Path

if __package__ in (None, ""):  # `python bench/crawl_bench.py`
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from codescan.sources.git_safety import READ_CONFIG, config_args, safe_env  # noqa: E402

FULL = ("json", "email", "http", "asyncio", "xml", "logging", "unittest", "importlib", "urllib", "concurrent",
        "multiprocessing", "idlelib", "lib2to3", "ctypes", "distutils", "tkinter", "wsgiref", "xmlrpc", "html")
QUICK = ("json", "email", "http", "logging")
MAX_FILE = 400_000


def _files(package: str) -> dict[str, bytes]:
    base = Path(sysconfig.get_paths()["stdlib"]) / package
    out = {}
    for path in sorted(base.rglob("*.py")):
        if "__pycache__" in path.parts or not path.is_file():
            continue
        data = path.read_bytes()
        if len(data) <= MAX_FILE:
            out[path.relative_to(base).as_posix()] = data
    return out


def _fast_import(gitdir: Path, commits: list[tuple[str, int, dict[str, bytes]]], parent: str | None = None) -> None:
    """Append commits (author, unix time, {path: content}) to refs/heads/main in one fast-import stream."""
    if not gitdir.exists():
        subprocess.run(["git", "init", "-q", "--bare", "--initial-branch=main", str(gitdir)], env=safe_env(),
                       check=True)
    out = bytearray()
    for number, (author, when, files) in enumerate(commits, 1):
        email = author.lower().replace(" ", ".") + "@example.org"
        out += f"commit refs/heads/main\nmark :{number}\n".encode()
        out += f"author {author} <{email}> {when} +0000\ncommitter {author} <{email}> {when} +0000\n".encode()
        out += b"data 7\nchange\n"
        if number > 1:
            out += f"from :{number - 1}\n".encode()
        elif parent:
            out += f"from {parent}\n".encode()
        for rel, data in files.items():
            out += f"M 100644 inline {rel}\n".encode() + b"data %d\n" % len(data) + data + b"\n"
        out += b"\n"
    subprocess.run(["git", f"--git-dir={gitdir}", "fast-import", "--quiet", "--force"], input=bytes(out),
                   env=safe_env(), check=True)


def _head(gitdir: Path) -> str:
    return subprocess.run(["git", f"--git-dir={gitdir}", "rev-parse", "refs/heads/main"], env=safe_env(),
                          capture_output=True, check=True, text=True).stdout.strip()


def build(root: Path, packages: tuple[str, ...], forks: int) -> None:
    """Each package: commit 1 = half its files, 2 = the rest, 3 = a line appended to every fifth file.
    Forks of the first packages add one commit touching a single file."""
    t0 = 1_600_000_000
    for index, package in enumerate(packages):
        files = _files(package)
        names = sorted(files)
        half = {n: files[n] for n in names[: len(names) // 2]}
        rest = {n: files[n] for n in names[len(names) // 2:]}
        edited = {n: files[n] + b"\n# maintenance edit\n" for n in names[::5]}
        gitdir = root / "upstream" / f"{package}.git"
        _fast_import(gitdir, [("Ann Maintainer", t0 + index * 86400, half),
                              ("Bo Contributor", t0 + index * 86400 + 3600, rest),
                              ("Ann Maintainer", t0 + index * 86400 + 7200, edited)])
        if index < forks:
            fork = root / f"fork{index}" / f"{package}.git"
            _fast_import(fork, [("Ann Maintainer", t0 + index * 86400, half),
                                ("Bo Contributor", t0 + index * 86400 + 3600, rest),
                                ("Ann Maintainer", t0 + index * 86400 + 7200, edited),
                                ("Fork Owner", t0 + 10 * 86400, {names[0]: files[names[0]] + b"\n# fork\n"})])


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def crawl(root: Path, state: Path, jobs: int, extra: tuple[str, ...] = ()) -> tuple[float, dict]:
    """Wall seconds and the crawl's summary (with its CPU seconds, process tree, as "cpu_s")."""
    cpu = _children_cpu()
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "codescan", "crawl", str(root), "--state", str(state), "--json",
                           "--no-progress", "-j", str(jobs), *extra], capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"crawl failed: {proc.stderr.strip()[-500:]}")
    stats = json.loads(proc.stdout)
    stats["cpu_s"] = round(_children_cpu() - cpu, 3)
    return seconds, stats


def cat_file_reference(state: Path) -> tuple[float, int, int]:
    """`git cat-file --batch` over each distinct blob once (from the repository the crawl read it in)."""
    conn = sqlite3.connect(state)
    rows = conn.execute("SELECT o.blob, r.gitdir FROM occurrences o JOIN repos r ON r.repo = o.repo").fetchall()
    conn.close()
    by_repo: dict[str, list[str]] = {}
    seen: set[str] = set()
    for blob, gitdir in rows:
        if blob not in seen:
            seen.add(blob)
            by_repo.setdefault(gitdir, []).append(blob)
    total = 0
    start = time.perf_counter()
    for gitdir, blobs in by_repo.items():
        proc = subprocess.run(["git", *config_args(READ_CONFIG), f"--git-dir={gitdir}", "cat-file", "--batch"],
                              input=("\n".join(blobs) + "\n").encode(), capture_output=True, env=safe_env(), check=True)
        total += len(proc.stdout)
    return time.perf_counter() - start, total, len(seen)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="4 packages and 2 forks")
    ap.add_argument("--jobs", type=int, default=0, help="worker processes for the crawl (default: cores)")
    ap.add_argument("--no-units", action="store_true", help="crawl without campaign units")
    ap.add_argument("--json", metavar="FILE", help="also write the figures here")
    args = ap.parse_args(argv)
    packages, forks = (QUICK, 2) if args.quick else (FULL, 8)
    extra = ("--no-units",) if args.no_units else ()
    with tempfile.TemporaryDirectory(prefix="crawl-bench-") as tmp:
        root, state = Path(tmp) / "mirror", Path(tmp) / "state.db"
        t = time.perf_counter()
        build(root, packages, forks)
        built = time.perf_counter() - t
        first_s, first = crawl(root, state, args.jobs, extra)
        again_s, again = crawl(root, state, args.jobs, extra)
        target = root / "upstream" / f"{packages[0]}.git"
        _fast_import(target, [("New Person", 1_700_000_000, {"new_module.py": b"import os\nos.system('id')\n"})],
                     parent=_head(target))
        one_s, one = crawl(root, state, args.jobs, extra)
        conn = sqlite3.connect(state)
        per_repo = conn.execute("SELECT COUNT(*) FROM (SELECT DISTINCT repo, blob FROM occurrences)").fetchone()[0]
        distinct = conn.execute("SELECT COUNT(DISTINCT blob) FROM occurrences").fetchone()[0]
        conn.close()
        cat_s, cat_bytes, cat_blobs = cat_file_reference(state)
    mb = first["bytes_read"] / 1e6
    figures = {
        "repos": first["repos"], "commits": first["new_commits"], "build_s": round(built, 2),
        "first_crawl_s": round(first_s, 2), "first_cpu_s": first["cpu_s"], "first_blobs_read": first["blobs_read"],
        "first_mb": round(mb, 2), "first_mb_per_s": round(mb / first_s, 3),
        "first_mb_per_cpu_s": round(mb / first["cpu_s"], 3) if first["cpu_s"] else None,
        "first_findings": first["findings"],
        "unchanged_recrawl_s": round(again_s, 3), "unchanged_cpu_s": again["cpu_s"],
        "unchanged_ratio": round(again_s / first_s, 4), "unchanged_blobs_read": again["blobs_read"],
        "one_commit_recrawl_s": round(one_s, 3), "one_commit_cpu_s": one["cpu_s"],
        "one_commit_blobs_read": one["blobs_read"], "one_commit_new_commits": one["new_commits"],
        "blob_occurrences": per_repo,
        "distinct_blobs": distinct,
        "dedup_saving": round(1 - distinct / per_repo, 4) if per_repo else 0.0,
        "cat_file_s": round(cat_s, 3),
        "cat_file_mb": round(cat_bytes / 1e6, 2),
        "cat_file_mb_per_s": round(cat_bytes / 1e6 / cat_s, 1) if cat_s else None,
        "cat_file_blobs": cat_blobs,
        "jobs": args.jobs or os.cpu_count(), "units": not args.no_units,
    }
    print(f"mirror: {figures['repos']} repos, {figures['commits']} commits, {figures['distinct_blobs']} distinct blobs "
          f"({figures['first_mb']} MB), built in {figures['build_s']} s")
    print(f"first crawl:          {figures['first_crawl_s']:8.2f} s  {figures['first_mb_per_s']:.2f} MB/s  "
          f"cpu {figures['first_cpu_s']} s = {figures['first_mb_per_cpu_s']} MB/cpu-s "
          f"({figures['first_blobs_read']} blobs read, {figures['first_findings']} findings, -j {figures['jobs']}, "
          f"units {'on' if figures['units'] else 'off'})")
    print(f"unchanged re-crawl:   {figures['unchanged_recrawl_s']:8.3f} s  = {figures['unchanged_ratio']:.1%} of the "
          f"first (target <= 5 %), cpu {figures['unchanged_cpu_s']} s, {figures['unchanged_blobs_read']} blobs read")
    print(f"one new commit:       {figures['one_commit_recrawl_s']:8.3f} s  cpu {figures['one_commit_cpu_s']} s "
          f"({figures['one_commit_new_commits']} "
          f"commit, {figures['one_commit_blobs_read']} blob read)")
    print(f"fork dedup:           {figures['blob_occurrences']} blob occurrences over repos -> "
          f"{figures['distinct_blobs']} read once each: {figures['dedup_saving']:.1%} saved")
    print(f"git cat-file --batch: {figures['cat_file_s']:8.3f} s  {figures['cat_file_mb_per_s']} MB/s over the same "
          f"{figures['cat_file_blobs']} blobs (physical reference)")
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
