"""Run one Semgrep process over one batch of files, fenced: local config only, no network, a hard
wall-clock timeout that kills the whole process group, a memory bound, and nothing left behind."""
from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from ..errors import CodescanError

INSTALL_HINT = "install with pip install 'codescan[semgrep]'"
# Semgrep checks for new versions and sends metrics unless told not to; offline the version check
# alone blocks ~97 s. These settings, --metrics=off and a local --config make it open no connection.
QUIET_ENV = {"SEMGREP_ENABLE_VERSION_CHECK": "0", "SEMGREP_SEND_METRICS": "off", "SEMGREP_SEND_TELEMETRY": "0",
             "SEMGREP_APP_TOKEN": "", "SEMGREP_REPO_URL": "", "NO_COLOR": "1"}
GRACE = 2.0  # seconds between SIGTERM and SIGKILL to the process group


class SemgrepMissing(CodescanError):
    """Semgrep rules were asked for but the semgrep command is not installed."""


@dataclass(frozen=True, slots=True)
class Limits:
    timeout: float | None = None  # wall-clock seconds for the whole batch; None = by batch size
    memory_mb: int = 2048  # semgrep --max-memory; the address-space limit adds headroom on top
    file_timeout: float = 10.0  # semgrep --timeout (seconds per file and rule)
    jobs: int = 1
    max_target_bytes: int = 2_000_000

    def wall(self, batch_bytes: int) -> float:
        """A batch may take a minute plus a minute per MB unless a timeout was given."""
        return self.timeout if self.timeout else 60.0 + 60.0 * batch_bytes / 1e6


@dataclass(frozen=True, slots=True)
class Outcome:
    """What one Semgrep run gave: its JSON report, or why there is none."""

    report: dict | None
    error: str | None = None
    seconds: float = 0.0
    pid: int | None = None


def find_semgrep() -> str | None:
    """The semgrep command: beside this interpreter first (a virtualenv), then on PATH."""
    local = Path(sys.executable).with_name("semgrep")
    if local.is_file() and os.access(local, os.X_OK):
        return str(local)
    return shutil.which("semgrep")


def require_semgrep() -> str:
    exe = find_semgrep()
    if exe is None:
        raise SemgrepMissing(f"semgrep rules were selected but semgrep is not installed; {INSTALL_HINT} "
                             "(or pass --engine treesitter)")
    return exe


def argv(exe: str, config: Path, target: Path, limits: Limits) -> list[str]:
    return [exe, "scan", "--json", "--metrics=off", "--disable-version-check", "--no-rewrite-rule-ids",
            "--disable-nosem", "--no-git-ignore", "--config", str(config),
            "--timeout", f"{limits.file_timeout:g}", "--timeout-threshold", "3",
            "--max-memory", str(limits.memory_mb), "--max-target-bytes", str(limits.max_target_bytes),
            "-j", str(max(1, limits.jobs)), str(target)]


def _limit_memory(limit_bytes: int):
    def apply() -> None:  # runs in the child between fork and exec
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (limit_bytes, limit_bytes))
        _die_with_parent()
    return apply


def _die_with_parent() -> None:
    """Linux: SIGKILL semgrep when codescan itself dies without cleaning up (SIGKILL, OOM killer)."""
    try:
        import ctypes
        import signal

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, int(signal.SIGKILL), 0, 0, 0)  # PR_SET_PDEATHSIG
    except Exception:  # noqa: BLE001 - other systems: the process-group cleanup still applies
        pass


def run(exe: str, config: Path, target: Path, work: Path, limits: Limits, batch_bytes: int,
        on_start=None) -> Outcome:
    """Run semgrep once over the folder `target` (its cwd, so reported paths are relative to it);
    every way out (done, timeout, error, Ctrl-C, SIGTERM) ends its whole process group."""
    env = {**os.environ, **QUIET_ENV}
    address_space = (limits.memory_mb + 2048) * 1024 * 1024
    stdout_path = work / f"{target.name}-out.json"
    stderr_path = work / f"{target.name}-err.txt"
    start = time.monotonic()
    with open(stdout_path, "wb") as out, open(stderr_path, "wb") as err:
        try:
            proc = subprocess.Popen(argv(exe, config, Path("."), limits), cwd=target, env=env, stdin=subprocess.DEVNULL,
                                    stdout=out, stderr=err, start_new_session=True,
                                    preexec_fn=_limit_memory(address_space))
        except OSError as exc:
            return Outcome(None, f"semgrep could not start: {exc}")
        if on_start is not None:
            on_start(proc.pid)
        restore = _terminate_on_sigterm()
        try:
            rc = proc.wait(timeout=limits.wall(batch_bytes))
        except subprocess.TimeoutExpired:
            kill_group(proc)
            return Outcome(None, f"semgrep timed out after {limits.wall(batch_bytes):g} s (process group killed)",
                           time.monotonic() - start, proc.pid)
        except BaseException:  # KeyboardInterrupt, SystemExit from SIGTERM: leave nothing behind
            kill_group(proc)
            raise
        finally:
            restore()
            kill_group(proc)  # helpers semgrep may have left in its group (already-exited group: no-op)
    seconds = time.monotonic() - start
    return _read_report(stdout_path, stderr_path, rc, seconds, proc.pid)


def _read_report(stdout_path: Path, stderr_path: Path, rc: int, seconds: float, pid: int) -> Outcome:
    try:
        report = json.loads(stdout_path.read_text(encoding="utf-8", errors="replace") or "null")
    except (OSError, ValueError):
        report = None
    if isinstance(report, dict) and "results" in report:
        return Outcome(report, None, seconds, pid)
    tail = stderr_path.read_text(encoding="utf-8", errors="replace").strip().splitlines()[-3:]
    reason = "killed by a signal (memory limit?)" if rc < 0 else f"exit {rc}"
    return Outcome(None, f"semgrep failed ({reason}): {' / '.join(tail)[-300:]}", seconds, pid)


def kill_group(proc: subprocess.Popen) -> None:
    """SIGTERM the process group, SIGKILL what is left after a grace period, reap the leader."""
    try:
        os.killpg(proc.pid, signal.SIGTERM)
    except (ProcessLookupError, PermissionError):
        pass
    else:
        deadline = time.monotonic() + GRACE
        while time.monotonic() < deadline and _group_alive(proc.pid):
            if proc.poll() is None:
                try:
                    proc.wait(timeout=0.05)
                except subprocess.TimeoutExpired:
                    pass
            else:
                time.sleep(0.05)
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
    try:
        proc.wait(timeout=GRACE)
    except subprocess.TimeoutExpired:
        pass


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except (ProcessLookupError, PermissionError):
        return False
    return True


def _terminate_on_sigterm():
    """While semgrep runs, SIGTERM to codescan raises SystemExit so the group is killed on the way out."""
    if threading.current_thread() is not threading.main_thread():
        return lambda: None

    def handler(signum, frame):
        raise SystemExit(128 + signum)

    try:
        previous = signal.signal(signal.SIGTERM, handler)
    except ValueError:
        return lambda: None
    return lambda: signal.signal(signal.SIGTERM, previous if previous is not None else signal.SIG_DFL)
