"""Run codescan and its peers (Bandit, semgrep with codescan's semgrep rules, GuardDog) on one folder.

Every runner returns a ToolRun whose findings are plain dicts in codescan's shape (path relative to
the folder, line, end_line, severity low..critical, category and/or categories), so one scorer serves
all tools. Each tool runs in its own process group under a hard timeout (bench.runner.measure).
A tool that is missing or fails gives a ToolRun with a note and no findings; the evaluation goes on.
"""
from __future__ import annotations

import json
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from bench import eval_labels as labels
from bench import tools
from bench.runner import measure

ROOT = Path(__file__).resolve().parent.parent
SEMGREP_RULES = ROOT / "rules" / "semgrep"
GUARDDOG_VENV = ROOT / ".cache" / "guarddog-venv"
PEERS = ("bandit", "semgrep", "guarddog")
_SEVERITY = {"critical": "critical", "error": "high", "high": "high", "warning": "medium", "medium": "medium",
             "info": "low", "low": "low", "inventory": "low", "experiment": "low"}


@dataclass
class ToolRun:
    """One tool's findings on one folder, wall seconds, and a note when it did not run cleanly."""

    tool: str
    findings: list[dict] = field(default_factory=list)
    seconds: float | None = None
    note: str = ""
    ran: bool = True


def _rel(path: str, folder: Path) -> str:
    p = Path(path)
    if p.is_absolute():
        try:
            p = p.resolve().relative_to(folder.resolve())
        except ValueError:
            pass
    return p.as_posix().removeprefix("./")


def _run_json(tool: str, argv: list[str], folder: Path, timeout: float, env=None, ok=(0, 1)) -> tuple[dict | None, ToolRun]:
    """Run argv with cwd=folder, stdout captured; parse it as JSON."""
    with tempfile.TemporaryDirectory(prefix=f"codescan-eval-{tool}-") as tmp:
        out = Path(tmp) / "out.json"
        run = measure(argv, cwd=str(folder), env=env, timeout=timeout, stdout_path=str(out), use_gnu_time=False)
        text = out.read_text(errors="replace") if out.exists() else ""
    result = ToolRun(tool, seconds=round(run.wall, 2))
    if run.timed_out:
        result.note, result.ran = f"timed out after {timeout:.0f}s", False
        return None, result
    start = text.find("{")
    try:
        data = json.loads(text[start:]) if start >= 0 else None
    except ValueError:
        data = None
    if data is None or run.rc not in ok:
        result.note, result.ran = f"failed (exit {run.rc}): {run.stderr_tail[-160:]}", False
        return None, result
    return data, result


def codescan(folder: Path, timeout: float, jobs: int | None = None) -> ToolRun:
    cmd = tools.codescan()
    if cmd is None:
        return ToolRun("codescan", note="not installed", ran=False)
    with tempfile.TemporaryDirectory(prefix="codescan-eval-out-") as tmp:
        out = Path(tmp) / "report.json"
        argv = [*cmd, "scan", ".", "--format", "json", "--no-progress", "--fail-on", "none", "-o", str(out),
                "--include-ignored"]
        if jobs:
            argv += ["-j", str(jobs)]
        run = measure(argv, cwd=str(folder), timeout=timeout, use_gnu_time=False)
        report = json.loads(out.read_text()) if out.exists() else None
    result = ToolRun("codescan", seconds=round(run.wall, 2))
    if report is None or run.rc not in (0, 1):
        result.note = "timed out" if run.timed_out else f"failed (exit {run.rc}): {run.stderr_tail[-160:]}"
        result.ran = False
        return result
    result.findings = [{**f, "path": _rel(f["path"], folder)} for f in report.get("findings", [])]
    skipped = len(report.get("skipped", []))
    result.note = f"{skipped} skipped" if skipped else ""
    return result


def bandit(folder: Path, timeout: float) -> ToolRun:
    cmd = tools.bandit()
    if cmd is None:
        return ToolRun("bandit", note="not installed", ran=False)
    data, result = _run_json("bandit", [*cmd, "-r", "-q", "-f", "json", "."], folder, timeout)
    for r in (data or {}).get("results", []):
        lines = r.get("line_range") or [r["line_number"]]
        result.findings.append({"path": _rel(r["filename"], folder), "line": r["line_number"],
                                "end_line": max(lines), "severity": r["issue_severity"].lower(),
                                "category": labels.bandit_category(r["test_id"]), "rule_id": r["test_id"]})
    return result


def semgrep_rules_present() -> bool:
    return SEMGREP_RULES.is_dir() and any(SEMGREP_RULES.rglob("*.y*ml"))


def semgrep(folder: Path, timeout: float, jobs: int = 2) -> ToolRun:
    cmd = tools.semgrep()
    if cmd is None:
        return ToolRun("semgrep", note="not installed", ran=False)
    if not semgrep_rules_present():
        return ToolRun("semgrep", note="no rules/semgrep/ yet", ran=False)
    ignore = folder / ".semgrepignore"  # empty: turns off semgrep's default ignores (tests/, build/ ...)
    made = not ignore.exists()
    if made:
        ignore.write_text("")
    try:
        argv = [*cmd, "scan", "--metrics=off", "--disable-version-check", "--config", str(SEMGREP_RULES),
                "-j", str(jobs), "--json", "--quiet", "."]
        data, result = _run_json("semgrep", argv, folder, timeout, env=tools.semgrep_env(), ok=(0, 1, 2))
    finally:
        if made:
            ignore.unlink()
    for r in (data or {}).get("results", []):
        extra = r.get("extra", {})
        meta = extra.get("metadata") or {}
        own = meta.get("codescan") if isinstance(meta.get("codescan"), dict) else {}
        sev = str(own.get("severity") or extra.get("severity", "")).lower()
        cat = own.get("category") or meta.get("category")
        result.findings.append({"path": _rel(r["path"], folder), "line": r["start"]["line"],
                                "end_line": r["end"]["line"], "severity": _SEVERITY.get(sev, "medium"),
                                "category": cat, "rule_id": r.get("check_id")})
    errors = (data or {}).get("errors") or []
    if errors and result.ran:
        result.note = f"{len(errors)} semgrep errors"
    return result


def guarddog_command() -> list[str] | None:
    exe = GUARDDOG_VENV / "bin" / "guarddog"
    if exe.exists():
        return [str(exe)]
    found = shutil.which("guarddog")
    return [found] if found else None


def guarddog(folder: Path, timeout: float, ecosystem: str = "pypi") -> ToolRun:
    """GuardDog's source-code rules over the folder as one package; threat-* rules count as high."""
    cmd = guarddog_command()
    if cmd is None:
        return ToolRun("guarddog", note="not installed (python -m bench.clean_code --guarddog)", ran=False)
    env = {**os.environ, "GUARDDOG_PARALLELISM": "1"}
    data, result = _run_json("guarddog", [*cmd, ecosystem, "scan", ".", "--output-format", "json"], folder,
                             timeout, env=env)
    for rule, hits in ((data or {}).get("results") or {}).items():
        if not isinstance(hits, list):
            continue
        for hit in hits:
            loc = str(hit.get("location", "")) if isinstance(hit, dict) else ""
            path, _, line = loc.rpartition(":")
            if not path or not line.isdigit():
                continue
            result.findings.append({"path": _rel(path, folder), "line": int(line), "end_line": int(line),
                                    "severity": "high" if rule.startswith("threat-") else "low",
                                    "categories": sorted(labels.for_guarddog_rule(rule)), "rule_id": rule})
    return result
