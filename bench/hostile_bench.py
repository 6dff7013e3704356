"""Hostile corpus bench (issue 15): every hostile kind mixed with ordinary files, scanned in one run.

    python -m bench.hostile_bench                 # full-size hostile inputs, 80 ordinary files
    python -m bench.hostile_bench --scale 0.25 --ordinary 30 --jobs 2
    python -m bench.hostile_bench --no-cli        # without the setup.py's scan/filter/crawl runs

Prints, in the same run: the scan of the mixed folder (wall, CPU, peak RSS of the largest process) beside
the scan of the ordinary files alone (the baseline); whether every ordinary file's findings equal those of
scanning it alone; and each hostile file's CPU seconds analyzed alone in-process against its budget + 1 s.
Then the obfuscated setup.py stand-in with 12 ordinary neighbours through `scan`, `filter` and `crawl`
(bench/hostile_cli.py). Exit 1 when a promise is broken (findings differ, peak RSS > 1.5 GB, a file over
budget + 1 s, the setup.py not reported at high or kept by filter).
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.hostile_cli import cli_routes  # noqa: E402
from bench.hostile_inputs import kinds  # noqa: E402
from bench.runner import measure  # noqa: E402

RSS_LIMIT_MB = 1536
EVAL = Path(__file__).resolve().parent.parent.parent / "shared" / "eval-data"


def ordinary_files(count: int) -> list[Path]:
    """Real files: the interpreter's standard library, then labelled third-party material when present."""
    stdlib = Path(os.__file__).parent
    picked = sorted(p for p in stdlib.glob("*.py") if 2_000 < p.stat().st_size < 60_000)[:count // 2]
    if EVAL.is_dir():
        extra = sorted(p for p in EVAL.rglob("*") if p.is_file() and p.suffix in (".py", ".js", ".php", ".rb", ".md")
                       and p.stat().st_size < 60_000)
        picked += extra[: count - len(picked)]
    return picked


def scan_json(folder: Path, jobs: int, budget: float, out: Path):
    argv = [sys.executable, "-m", "codescan", "scan", str(folder), "--format", "json", "--no-progress",
            "-j", str(jobs), "--file-timeout", f"{budget:g}", "--untrusted"]
    run = measure(argv, stdout_path=str(out), timeout=3600, cwd=str(Path(__file__).resolve().parent.parent))
    report = json.loads(out.read_text() or "{}")
    return run, report


def by_file(report: dict) -> dict[str, list[tuple[str, int]]]:
    found: dict[str, list[tuple[str, int]]] = {}
    for f in report.get("findings", []):
        found.setdefault(f["path"], []).append((f["rule_id"], f["line"]))
    return {k: sorted(v) for k, v in found.items()}


def alone(paths: list[tuple[str, Path]], budget: float) -> tuple[dict, dict]:
    """Findings and thread CPU seconds of each file analyzed on its own, in-process."""
    from codescan.analyze.document import Analyzer
    from codescan.config import Config
    from codescan.records import Document
    from codescan.rules import load_rules

    analyzer = Analyzer(load_rules(), Config(file_timeout=budget, honour_suppressions=False))
    for ext in ("py", "js", "php", "rb", "md", "txt"):
        analyzer.analyze(Document(path=f"warm.{ext}", content=b"x = 1\n"))
    findings, cpu = {}, {}
    for rel, path in paths:
        start = time.thread_time()
        result = analyzer.analyze(Document(path=rel, content=path.read_bytes(), trusted=False))
        cpu[rel] = time.thread_time() - start
        findings[rel] = sorted((f.rule_id, f.line) for f in result.findings)
    return findings, cpu


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--scale", type=float, default=1.0, help="size of the big hostile inputs (1 = issue 15's)")
    ap.add_argument("--ordinary", type=int, default=80)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--budget", type=float, default=10.0, help="--file-timeout (CPU seconds per file)")
    ap.add_argument("--no-cli", action="store_true", help="leave out the setup.py's scan/filter/crawl runs")
    args = ap.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="codescan-hostile-"))
    try:
        mixed, plain = work / "mixed", work / "plain"
        ordinary = []
        for i, src in enumerate(ordinary_files(args.ordinary)):
            rel = f"ordinary/{i:03d}-{src.name}"
            for root in (mixed, plain):
                (root / rel).parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(src, root / rel)
            ordinary.append((rel, mixed / rel))
        hostile = []
        for name, content in kinds(args.scale).items():
            rel = f"hostile/{name}"
            (mixed / rel).parent.mkdir(parents=True, exist_ok=True)
            (mixed / rel).write_bytes(content)
            hostile.append((rel, mixed / rel))
        base_run, _ = scan_json(plain, args.jobs, args.budget, work / "plain.json")
        run, report = scan_json(mixed, args.jobs, args.budget, work / "mixed.json")
        print(f"{'scan':<34}{'files':>7}{'wall s':>9}{'cpu s':>9}{'peak RSS MB':>13}  exit")
        for label, r, n in (("ordinary files alone (baseline)", base_run, len(ordinary)),
                            ("ordinary + hostile mixed", run, len(ordinary) + len(hostile))):
            print(f"{label:<34}{n:>7}{r.wall:>9.1f}{(r.cpu or 0):>9.1f}{(r.peak_rss_mb or 0):>13.0f}  {r.rc}")
        got = by_file(report)
        expected, _ = alone(ordinary, args.budget)
        differ = [rel for rel, _ in ordinary if got.get(rel, []) != expected[rel]]
        print(f"\nordinary files whose findings differ from scanning them alone: {len(differ)} of {len(ordinary)}"
              + (f" ({', '.join(differ[:5])})" if differ else ""))
        _, cpu = alone(hostile, args.budget)
        skips = {s["path"]: s["reason"] for s in report.get("skipped", [])}
        print(f"\n{'hostile file':<30}{'bytes':>10}{'cpu s alone':>13}  findings  reported as")
        over = []
        for rel, path in hostile:
            n = len(got.get(rel, []))
            flagged = "analysis-exhausted" if any(r == "analysis-exhausted" for r, _ in got.get(rel, [])) else ""
            print(f"{rel.split('/', 1)[1]:<30}{path.stat().st_size:>10}{cpu[rel]:>13.2f}  {n:>8}  "
                  f"{flagged or '-'} {skips.get(rel, '')[:60]}")
            if cpu[rel] > args.budget + 1.0:
                over.append(rel)
        peak_ok = (run.peak_rss_mb or 0) <= RSS_LIMIT_MB
        print(f"\npeak RSS {run.peak_rss_mb or 0:.0f} MB (limit {RSS_LIMIT_MB}): {'ok' if peak_ok else 'OVER'}; "
              f"files over budget + 1 s: {len(over)}; slowest hostile file alone: {max(cpu.values()):.2f} s")
        broken = []
        if not args.no_cli:
            neighbours = {rel: path.read_bytes() for rel, path in ordinary[:12]}
            broken = cli_routes(work / "cli", (mixed / "hostile" / "obfuscated-setup.py").read_bytes(), neighbours,
                                {rel: expected[rel] for rel in neighbours}, args.jobs, args.budget)
            print("promises broken: " + ("; ".join(broken) if broken else "none"))
        return 0 if not differ and peak_ok and not over and run.rc in (0, 1) and not broken else 1
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
