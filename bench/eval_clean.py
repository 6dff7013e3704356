"""Clean-code false positives: findings per 1,000 lines and files a corpus filter would drop.

The pinned packages of bench.clean_code are popular, reviewed code, so every high/critical finding
on them is counted as a false positive (an upper bound: a real bug may hide in one). Each tool scans
the same mirror of the packages' source files; lines are counted over the files the tool reads
(Bandit: .py only). The drop share comes from `codescan filter` itself (its default policy) on a
JSONL shard holding one record per source file, when the verb exists; otherwise it is the share of
files with a high/critical finding.
"""
from __future__ import annotations

import json
import subprocess
import tempfile
from collections import Counter
from pathlib import Path

from bench import clean_code
from bench import corpus as corpora
from bench import eval_peers as peers
from bench import tools

SOURCE = (".py", ".js", ".mjs", ".cjs", ".ts", ".tsx", ".jsx")
TOOL_SUFFIXES = {"bandit": (".py",)}


def _lines(path: Path) -> int:
    with open(path, "rb") as fh:
        return sum(1 for _ in fh)


def _mirror(packages: list[tuple[clean_code.Pin, Path]], dest: Path) -> dict[str, int]:
    """Hard-link every source file of the packages under dest/<ecosystem>/<key>/; lines per path."""
    lines: dict[str, int] = {}
    for pin, folder in packages:
        found = corpora.collect(folder)
        files = tuple(p for p in found.files if p.suffix in SOURCE and ".min." not in p.name)
        corpora.mirror(files, folder, dest / pin.ecosystem / pin.key)
        for p in files:
            lines[f"{pin.ecosystem}/{pin.key}/{p.relative_to(folder).as_posix()}"] = _lines(p)
    return lines


def _filter_drops(root: Path, lines: dict[str, int], timeout: float) -> tuple[int | None, str]:
    """Records `codescan filter` drops (default policy) from a shard of the clean files."""
    cmd = tools.codescan()
    with tempfile.TemporaryDirectory(prefix="codescan-eval-filter-") as tmp:
        shard = Path(tmp) / "clean.jsonl"
        with open(shard, "w", encoding="utf-8") as fh:
            for rel in lines:
                text = (root / rel).read_text(encoding="utf-8", errors="replace")
                fh.write(json.dumps({"id": rel, "path": rel, "repo": "/".join(rel.split("/")[:2]),
                                     "content": text}) + "\n")
        out = Path(tmp) / "out"
        try:
            proc = subprocess.run([*cmd, "filter", str(shard), "-o", str(out), "--path-field", "path",
                                   "--repo-field", "repo", "--no-progress"], capture_output=True, text=True,
                                  timeout=timeout)
        except subprocess.TimeoutExpired:
            return None, "codescan filter timed out"
        report = out / "drop-report.json"
        if not report.exists():
            return None, f"codescan filter failed (exit {proc.returncode}): {proc.stderr.strip()[-160:]}"
        data = json.loads(report.read_text())
    dropped = data.get("dropped")
    if isinstance(dropped, list):
        return len(dropped), "codescan filter, default policy"
    for key in ("dropped_records", "records_dropped", "drops"):
        if isinstance(data.get(key), int):
            return data[key], "codescan filter, default policy"
    counts = data.get("counts") or data.get("summary") or {}
    if isinstance(counts.get("dropped"), int):
        return counts["dropped"], "codescan filter, default policy"
    return None, "codescan filter: drop report shape not understood"


def _row(tool: str, run: peers.ToolRun, lines: dict[str, int], packages: int) -> dict:
    suffixes = TOOL_SUFFIXES.get(tool, SOURCE)
    scope = {p: n for p, n in lines.items() if p.endswith(suffixes)}
    kloc = sum(scope.values()) / 1000
    high = [f for f in run.findings if f["severity"] in ("high", "critical") and f["path"] in scope]
    anyf = [f for f in run.findings if f["path"] in scope]
    files_high = {f["path"] for f in high}
    pkgs_high = {"/".join(p.split("/")[:2]) for p in files_high}
    return {"tool": tool, "files": len(scope), "kloc": round(kloc, 1), "high": len(high), "any": len(anyf),
            "high_per_kloc": round(len(high) / kloc, 3) if kloc else None,
            "any_per_kloc": round(len(anyf) / kloc, 3) if kloc else None,
            "files_high_share": round(len(files_high) / len(scope), 4) if scope else None,
            "packages_high": f"{len(pkgs_high)}/{packages}", "seconds": run.seconds,
            "top_rules": Counter(f.get("rule_id") for f in high).most_common(6), "note": run.note, "ran": run.ran}


def evaluate(quick: bool, use_peers: bool, timeout: float, log=None) -> dict:
    """Fetch (or reuse) the pinned packages and measure each tool on them."""
    packages, notes = clean_code.fetch_all(quick)
    if not packages:
        return {"rows": [], "notes": notes or ["no clean packages could be fetched"], "packages": []}
    with tempfile.TemporaryDirectory(prefix="codescan-eval-clean-") as tmp:
        root = Path(tmp) / "clean"
        lines = _mirror(packages, root)
        runs = [peers.codescan(root, timeout)]
        if use_peers:
            runs += [peers.bandit(root, timeout), peers.semgrep(root, timeout)]
            gd = peers.ToolRun("guarddog", seconds=0.0)
            for eco in ("pypi", "npm"):
                if (root / eco).is_dir():
                    part = peers.guarddog(root / eco, timeout, eco)
                    gd.findings += [{**f, "path": f"{eco}/{f['path']}"} for f in part.findings]
                    gd.seconds = round((gd.seconds or 0) + (part.seconds or 0), 2)
                    gd.note, gd.ran = part.note or gd.note, part.ran and gd.ran
            runs.append(gd)
        rows = [_row(r.tool, r, lines, len(packages)) for r in runs]
        dropped, how = _filter_drops(root, lines, timeout) if "filter" in _verbs() else (None, "no filter verb")
    if dropped is not None:
        rows[0]["filter_dropped_share"] = round(dropped / len(lines), 4) if lines else None
    rows[0]["filter_note"] = how
    return {"rows": rows, "notes": notes, "packages": [f"{p.ecosystem}:{p.name}=={p.version}" for p, _ in packages],
            "files": len(lines), "kloc": round(sum(lines.values()) / 1000, 1)}


def _verbs() -> set[str]:
    from bench.eval_planted import verbs
    return verbs()
