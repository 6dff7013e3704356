"""Run one command in its own process group and measure wall time, CPU time and peak RSS.

Peak RSS and CPU come from GNU `/usr/bin/time -v` when present, otherwise from
`resource.getrusage(RUSAGE_CHILDREN)` read by a fresh Python wrapper process that runs only that
command. Either way peak RSS is the largest single process of the run (a worker pool's memory is
not summed), and CPU is user+system time of the whole process tree.
"""
from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

GNU_TIME = "/usr/bin/time"

# Runs argv, then writes the rusage of its (waited-for) process tree as JSON. Used when GNU time is absent.
_WRAPPER = """
import json, resource, subprocess, sys
rc = subprocess.call(json.loads(sys.argv[1]))
u = resource.getrusage(resource.RUSAGE_CHILDREN)
with open(sys.argv[2], "w") as fh:
    json.dump({"maxrss_kb": u.ru_maxrss, "cpu": u.ru_utime + u.ru_stime}, fh)
sys.exit(rc)
"""


@dataclass(frozen=True)
class Run:
    """What one measured command did."""

    argv: tuple[str, ...]
    rc: int | None  # None when it timed out
    wall: float
    cpu: float | None
    peak_rss_mb: float | None
    stderr_tail: str

    @property
    def timed_out(self) -> bool:
        return self.rc is None


def _parse_gnu_time(text: str) -> tuple[float | None, float | None]:
    """(cpu seconds, peak RSS MB) from `/usr/bin/time -v` output."""
    def num(label: str) -> float | None:
        m = re.search(re.escape(label) + r":\s*([0-9.]+)", text)
        return float(m.group(1)) if m else None

    user, system, rss = num("User time (seconds)"), num("System time (seconds)"), num("Maximum resident set size (kbytes)")
    cpu = user + system if user is not None and system is not None else None
    return cpu, (rss / 1024 if rss is not None else None)


def _parse_wrapper(text: str) -> tuple[float | None, float | None]:
    try:
        data = json.loads(text)
    except ValueError:
        return None, None
    return data.get("cpu"), data["maxrss_kb"] / 1024 if "maxrss_kb" in data else None


def measure(argv: list[str], *, cwd: str | None = None, env: dict[str, str] | None = None,
            timeout: float | None = None, stdout_path: str | None = None, use_gnu_time: bool | None = None) -> Run:
    """Run argv once; stdout goes to stdout_path (else /dev/null), stderr is kept for a failure note."""
    if use_gnu_time is None:
        use_gnu_time = os.access(GNU_TIME, os.X_OK)
    with tempfile.TemporaryDirectory(prefix="codescan-bench-run-") as tmp:
        stats = Path(tmp) / "stats"
        if use_gnu_time:
            wrapped = [GNU_TIME, "-v", "-o", str(stats), *argv]
            parse = _parse_gnu_time
        else:
            wrapped = [sys.executable, "-c", _WRAPPER, json.dumps(argv), str(stats)]
            parse = _parse_wrapper
        err_path = Path(tmp) / "stderr"
        out = open(stdout_path, "wb") if stdout_path else open(os.devnull, "wb")
        with out, open(err_path, "wb") as err:
            start = time.perf_counter()
            proc = subprocess.Popen(wrapped, cwd=cwd, env=env, stdout=out, stderr=err,
                                    stdin=subprocess.DEVNULL, start_new_session=True)
            try:
                rc: int | None = proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)  # the group this call started, nothing else
                proc.wait()
                rc = None
            wall = time.perf_counter() - start
        cpu, rss = parse(stats.read_text(errors="replace")) if stats.exists() else (None, None)
        tail = err_path.read_text(errors="replace").strip()[-600:]
    return Run(tuple(argv), rc, wall, cpu, rss, tail)


def best_of(argv: list[str], runs: int, **kwargs) -> Run:
    """The fastest of `runs` measured runs (start-up dominated commands vary run to run)."""
    results = [measure(argv, **kwargs) for _ in range(max(1, runs))]
    return min(results, key=lambda r: r.wall)
