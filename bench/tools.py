"""The scanners a bench run compares: how to find each one and the command line it is timed with."""
from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path

# A one-rule semgrep config, written by the bench into its temp folder.
SEMGREP_RULE = """\
rules:
  - id: bench-eval-call
    languages: [python]
    severity: WARNING
    message: call to eval
    pattern: eval(...)
"""


def _command(name: str, module: str | None = None) -> list[str] | None:
    exe = shutil.which(name)
    if exe:
        return [exe]
    if module and importlib.util.find_spec(module) is not None:
        return [sys.executable, "-m", module]
    return None


def codescan() -> list[str] | None:
    return _command("codescan", "codescan")


def bandit() -> list[str] | None:
    return _command("bandit", "bandit")


def semgrep() -> list[str] | None:
    return _command("semgrep")


def version(cmd: list[str] | None) -> str:
    """First line of `<tool> --version`, or 'not installed'."""
    if cmd is None:
        return "not installed"
    try:
        out = subprocess.run([*cmd, "--version"], capture_output=True, text=True, timeout=120,
                             env=semgrep_env())
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"unknown ({exc})"
    lines = (out.stdout or out.stderr).strip().splitlines()
    return lines[0] if lines else "unknown"


def codescan_argv(cmd: list[str], targets: list[str], jobs: int, excludes: tuple[str, ...] = ()) -> list[str]:
    argv = [*cmd, "scan", *targets, "--format", "json", "-o", os.devnull, "--no-progress", "-j", str(jobs)]
    for pattern in excludes:
        argv += ["--exclude", pattern]
    return argv


def bandit_argv(cmd: list[str], targets: list[str]) -> list[str]:
    return [*cmd, "-r", "-q", "-f", "json", "-o", os.devnull, *targets]


def semgrep_argv(cmd: list[str], targets: list[str], rule_file: Path, jobs: int) -> list[str]:
    return [*cmd, "scan", "--metrics=off", "--disable-version-check", "--config", str(rule_file),
            "-j", str(jobs), "--json", *targets]


def semgrep_env() -> dict[str, str]:
    return {**os.environ, "SEMGREP_ENABLE_VERSION_CHECK": "0", "SEMGREP_SEND_METRICS": "off"}
