"""The obfuscated setup.py stand-in (bench/obfuscated_setup.py) among ordinary neighbours, through the three CLI
routes a corpus job uses: `scan DIR`, `filter` of a JSONL holding it, `crawl` of a git repository holding it.
Prints wall, CPU and peak RSS per route, how the setup.py was reported, and whether each neighbour's findings
equal those of analyzing it alone (part of `python -m bench.hostile_bench`)."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from bench.runner import measure

ROOT = Path(__file__).resolve().parent.parent
HIGH = ("high", "critical")


def _git(repo: Path, *args: str) -> None:
    env = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1",
           "GIT_AUTHOR_NAME": "Bench", "GIT_AUTHOR_EMAIL": "bench@example.org",
           "GIT_COMMITTER_NAME": "Bench", "GIT_COMMITTER_EMAIL": "bench@example.org"}
    subprocess.run(["git", "-C", str(repo), *args], check=True, env=env, stdout=subprocess.DEVNULL)


def _by_path(findings) -> dict[str, list]:
    out: dict[str, list] = {}
    for path, rule, line, severity in findings:
        out.setdefault(path, []).append((rule, line, severity))
    return {k: sorted(v) for k, v in out.items()}


def _scan(work: Path, tree: Path, common: list[str]):
    out = work / "scan.json"
    run = measure([sys.executable, "-m", "codescan", "scan", str(tree), "--format", "json", "--no-progress",
                   "--untrusted", *common], stdout_path=str(out), timeout=3600, cwd=str(ROOT))
    report = json.loads(out.read_text() or "{}")
    return run, _by_path((f["path"], f["rule_id"], f["line"], f["severity"]) for f in report.get("findings", []))


def _filter(work: Path, files: dict[str, bytes], common: list[str]):
    shard = work / "records.jsonl"
    with open(shard, "w") as fh:
        for rel, content in files.items():
            fh.write(json.dumps({"id": rel, "path": rel, "content": content.decode("utf-8", "surrogateescape")}) + "\n")
    out = work / "filtered"
    run = measure([sys.executable, "-m", "codescan", "filter", str(shard), "-o", str(out), "--path-field", "path",
                   "--no-progress", "--no-campaigns", *common], timeout=3600, cwd=str(ROOT))
    report = json.loads((out / "drop-report.json").read_text()) if (out / "drop-report.json").exists() else {}
    found = []
    for entry in report.get("dropped", []) + report.get("kept_with_findings", []):
        found += [(entry["id"], r["rule_id"], r["line"], r["severity"]) for r in entry["reasons"]
                  if r.get("kind") == "finding"]
    dropped = {e["id"] for e in report.get("dropped", [])}
    return run, _by_path(found), dropped


def _crawl(work: Path, files: dict[str, bytes], common: list[str]):
    repo = work / "mirror" / "project"
    for rel, content in files.items():
        (repo / rel).parent.mkdir(parents=True, exist_ok=True)
        (repo / rel).write_bytes(content)
    _git(repo, "init", "-q", "-b", "main")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "import")
    state, out = work / "state.db", work / "crawl-findings.json"
    run = measure([sys.executable, "-m", "codescan", "crawl", str(work / "mirror"), "--state", str(state),
                   "--no-progress", "--no-units", *common], timeout=3600, cwd=str(ROOT))
    measure([sys.executable, "-m", "codescan", "findings", "--state", str(state), "--format", "json",
             "--fail-on", "none"], stdout_path=str(out), timeout=600, cwd=str(ROOT))
    data = json.loads(out.read_text() or "{}")
    rows = data.get("findings", data) if isinstance(data, dict) else data
    return run, _by_path((f["path"], f["rule_id"], f["line"], f["severity"]) for f in rows)


def cli_routes(work: Path, setup_py: bytes, neighbours: dict[str, bytes], alone: dict[str, list],
               jobs: int, budget: float) -> list[str]:
    """Run the three routes; print their figures; return the broken promises (empty when all hold).
    `alone`: each neighbour's (rule, line) findings analyzed on its own."""
    files = {"pkg/setup.py": setup_py, **neighbours}
    tree = work / "tree"
    for rel, content in files.items():
        (tree / rel).parent.mkdir(parents=True, exist_ok=True)
        (tree / rel).write_bytes(content)
    common = ["-j", str(jobs), "--file-timeout", f"{budget:g}"]
    scan_run, scan_found = _scan(work, tree, common)
    filter_run, filter_found, dropped = _filter(work, files, common)
    crawl_run, crawl_found = _crawl(work, files, common)
    broken, notes = [], []
    print(f"\nobfuscated setup.py ({len(setup_py)} bytes) + {len(neighbours)} neighbours through the CLI")
    print(f"{'route':<8}{'wall s':>8}{'cpu s':>8}{'peak RSS MB':>13}{'exit':>6}  setup.py reported as"
          f"{'':<22}neighbours equal alone")
    for name, run, found in (("scan", scan_run, scan_found), ("filter", filter_run, filter_found),
                             ("crawl", crawl_run, crawl_found)):
        mine = found.get("pkg/setup.py", [])
        high = sorted({rule for rule, _, severity in mine if severity in HIGH})
        shown = f"{len(high)} rules at high or critical" if high else ""
        notes.append(f"  {name}: setup.py's rules at high or critical: {', '.join(high) or 'none'}")
        equal = sum(1 for rel in neighbours if [(r, ln) for r, ln, _ in found.get(rel, [])] == alone[rel])
        print(f"{name:<8}{run.wall:>8.1f}{(run.cpu or 0):>8.1f}{(run.peak_rss_mb or 0):>13.0f}{str(run.rc):>6}  "
              f"{(shown or 'NOT AT HIGH')[:40]:<42}{equal} of {len(neighbours)}")
        if not high:
            broken.append(f"{name}: setup.py not reported at high")
        if equal != len(neighbours):
            broken.append(f"{name}: {len(neighbours) - equal} neighbours differ from scanning them alone")
        if (run.peak_rss_mb or 0) > 1536:
            broken.append(f"{name}: peak RSS {run.peak_rss_mb:.0f} MB")
        if run.rc not in (0, 1):
            broken.append(f"{name}: exit {run.rc}")
    print("\n".join(notes))
    if "pkg/setup.py" not in dropped:
        broken.append("filter kept the setup.py")
    return broken
