"""What the one-verdict change (issue 20) adds on clean code: every file of the pinned clean packages (Markdown,
docs, odd extensions included, not only source files) scanned by this checkout and by a baseline checkout in the
same run; prints findings by severity, the high/critical ones the change adds or removes, and the time each took.

    python -m bench.verdict_clean                      # baseline: the commit before analyze/filekind.py
    python -m bench.verdict_clean --base REV --cache DIR

The packages come from bench.clean_code's cache (`python -m bench.clean_code` fetches them); clean, reviewed code,
so every high/critical finding the change adds is a candidate false positive to read.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import clean_code  # noqa: E402

HERE = Path(__file__).resolve().parent.parent


def default_base() -> str:
    out = subprocess.run(["git", "-C", str(HERE), "log", "--format=%H", "--diff-filter=A", "--",
                          "codescan/analyze/filekind.py"], capture_output=True, text=True, check=True).stdout.split()
    return (out[-1] + "^") if out else "HEAD"


def scan(code: Path, folder: Path, jobs: int) -> tuple[dict, str]:
    """The scan's JSON report and 'wall s, CPU s' (CPU of the scan and its workers: wall time on a shared machine
    says more about the neighbours)."""
    env = {**os.environ, "PYTHONPATH": str(code)}
    start = time.monotonic()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    proc = subprocess.run([sys.executable, "-m", "codescan", "scan", str(folder), "--format", "json", "--no-progress",
                           "-j", str(jobs), "--untrusted"], cwd=str(code), env=env, capture_output=True, text=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    took = f"{time.monotonic() - start:.1f} s wall, {cpu:.1f} s CPU"
    if proc.returncode not in (0, 1):
        raise SystemExit(f"scan failed ({code}): {proc.stderr[-500:]}")
    return json.loads(proc.stdout), took


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--base", default=None, help="baseline revision (default: the commit before filekind.py)")
    ap.add_argument("--cache", type=Path, default=clean_code.CACHE, help="clean-code cache folder")
    ap.add_argument("-j", "--jobs", type=int, default=2)
    args = ap.parse_args(argv)
    if not args.cache.is_dir():
        print(f"no clean-code cache at {args.cache} (python -m bench.clean_code fetches it)", file=sys.stderr)
        return 2
    base = args.base or default_base()
    with tempfile.TemporaryDirectory(prefix="verdict-clean-") as tmp:
        where = Path(tmp) / "base"
        subprocess.run(["git", "-C", str(HERE), "worktree", "add", "--detach", "-f", str(where), base],
                       capture_output=True, check=True)
        try:
            before, t_before = scan(where, args.cache, args.jobs)
            after, t_after = scan(HERE, args.cache, args.jobs)
        finally:
            subprocess.run(["git", "-C", str(HERE), "worktree", "remove", "--force", str(where)], capture_output=True)
    files = after["stats"]["files"]
    print(f"clean packages: {files} files, {after['stats']['bytes'] / 1e6:.1f} MB ({args.cache})")
    for name, report, took in (("baseline " + base[:12], before, t_before), ("this checkout", after, t_after)):
        sev = Counter(f["severity"] for f in report["findings"])
        print(f"{name:>26}: {len(report['findings']):5} findings {dict(sorted(sev.items()))}, "
              f"{len(report['skipped'])} skipped, {took}")
    key = lambda f: (f["path"], f["rule_id"], f["line"])  # noqa: E731
    serious = lambda r: {key(f): f for f in r["findings"] if f["severity"] in ("high", "critical")}  # noqa: E731
    old, new = serious(before), serious(after)
    added, removed = sorted(set(new) - set(old)), sorted(set(old) - set(new))
    print(f"high/critical: {len(old)} -> {len(new)} (+{len(added)}, -{len(removed)})")
    for sign, keys, src in (("+", added, new), ("-", removed, old)):
        for k in keys:
            f = src[k]
            print(f"  {sign} {f['path']}:{f['line']} {f['rule_id']} ({f['severity']}): {f['snippet'][:90]}")
    by_rule = Counter(f["rule_id"] for f in after["findings"]) - Counter(f["rule_id"] for f in before["findings"])
    print("findings added by rule (any severity):", dict(by_rule.most_common(12)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
