"""A crawl killed with SIGKILL mid-way and started again loses no finding and reports none twice."""
from __future__ import annotations

import contextlib
import io
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from clirun import DEMO_RULES
from codescan.cli import main
from crawlrun import crawl, findings, places
from gitrepos import fast_repo

TESTS = Path(__file__).resolve().parent


def _body(repo: int, n: int) -> str:
    lines = [f"def f_{repo}_{n}_{k}(x):\n    return x * {k} + {n}\n" for k in range(12)]
    if n % 37 == 0:
        lines.append(f"import os\nos.system('run {repo} {n}')\n")
    return "".join(lines)


def _build(root: Path) -> None:
    """Four repositories of 3 commits each (~840 distinct blobs); a fifth is a fork of the first."""
    for repo in range(4):
        commits = []
        for step in range(3):
            commits.append({f"pkg/m{n}.py": _body(repo, n + step * 1000) for n in range(step * 70, step * 70 + 70)}
                           | {"_author": f"Dev {repo}"})
        fast_repo(root / f"org{repo}" / "lib.git", commits)
        if repo == 0:
            fast_repo(root / "fork" / "lib.git", commits + [{"pkg/extra.py": _body(9, 37), "_author": "Forker"}])


def _blobs(state: Path) -> int:
    try:
        conn = sqlite3.connect(f"file:{state}?mode=ro", uri=True, timeout=1)
        try:
            return conn.execute("SELECT COUNT(*) FROM blobs").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.Error:
        return 0


def _start(root: Path, state: Path, jobs: int = 1) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "codescan", "crawl", str(root), "--state", str(state),
                             "--no-progress", "-j", str(jobs), *DEMO_RULES], cwd=TESTS, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)


def _children(pid: int) -> list[int]:
    """Processes whose parent is pid (read from /proc)."""
    out = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                out.append(int(entry.name))
    return out


def _alive(pid: int) -> bool:
    try:
        state = (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_sigkill_mid_crawl_then_resume_equals_a_clean_crawl(capsys, tmp_path):
    root = tmp_path / "root"
    _build(root)
    clean = tmp_path / "clean.db"
    full = crawl(capsys, root, clean)
    assert full["blobs_read"] > 800

    state = tmp_path / "killed.db"
    proc = _start(root, state)
    deadline = time.monotonic() + 60
    while _blobs(state) == 0 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    assert proc.poll() is None, "the crawl finished before it could be killed: make the mirror bigger"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    stored = _blobs(state)
    assert 0 < stored < full["blobs_read"]

    resumed = crawl(capsys, root, state)
    assert resumed["blobs_read"] <= full["blobs_read"] - stored  # committed work is not redone
    _, want = findings(capsys, clean)
    _, got = findings(capsys, state)
    assert places(got) == places(want)
    assert len(set(places(got))) == len(places(got)) > 0
    # Everything the killed crawl found counts as new for the crawl that completed it.
    _, new = findings(capsys, state, "--new")
    assert places(new) == places(want)


def _kill_when(proc: subprocess.Popen, state: Path, ready) -> list[int]:
    """SIGKILL the crawl's main process once ready(stored blobs, worker pids) holds; returns its workers."""
    deadline = time.monotonic() + 60
    workers: list[int] = []
    while proc.poll() is None and time.monotonic() < deadline:
        workers = _children(proc.pid)
        if ready(_blobs(state), workers):
            break
        time.sleep(0.01)
    assert proc.poll() is None, "the crawl finished before it could be killed: make the mirror bigger"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    return workers


@pytest.fixture(scope="module")
def mirror(tmp_path_factory):
    """The mirror and what a clean crawl of it stores and finds (shared by the kill-point tests)."""
    base = tmp_path_factory.mktemp("kill")
    _build(base / "root")
    clean = base / "clean.db"
    with contextlib.redirect_stdout(io.StringIO()) as out, contextlib.redirect_stderr(io.StringIO()):
        assert main(["crawl", str(base / "root"), "--state", str(clean), "--no-progress", "-j", "1", "--json",
                     *DEMO_RULES]) == 0
    full = json.loads(out.getvalue())
    with contextlib.redirect_stdout(io.StringIO()) as out:
        main(["findings", "--state", str(clean), "--format", "json"])
    return base / "root", full, json.loads(out.getvalue())


@pytest.mark.parametrize("point", ["workers-started", "first-batch", "half"])
def test_sigkill_with_workers_leaves_no_worker_and_no_lock(capsys, tmp_path, mirror, point):
    """Killed at several points with two worker processes: the workers die with it, the next crawl is not
    refused, and the resumed state holds exactly what a clean crawl finds."""
    root, full, want = mirror
    state = tmp_path / "killed.db"
    ready = {"workers-started": lambda blobs, workers: len(workers) >= 2,
             "first-batch": lambda blobs, workers: blobs > 0 and len(workers) >= 2,
             "half": lambda blobs, workers: blobs >= full["blobs_read"] // 2}[point]
    workers = _kill_when(_start(root, state, jobs=2), state, ready)
    assert workers, "no worker process was seen"
    deadline = time.monotonic() + 10
    while any(_alive(w) for w in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    survivors = [w for w in workers if _alive(w)]
    for pid in survivors:  # leave nothing behind when the test fails
        os.kill(pid, signal.SIGKILL)
    assert not survivors, "worker processes outlived the killed crawl"
    crawl(capsys, root, state)  # fails the test when the rerun is refused
    _, got = findings(capsys, state)
    assert places(got) == places(want)


def test_lock_is_not_held_by_a_forked_child_of_a_dead_holder(tmp_path):
    """The writer lock belongs to the process that took it: a child it forked (a worker that outlives it for
    any reason) does not keep the next crawl out."""
    script = (
        "import os, sys, time\n"
        "from codescan.state.lock import WriterLock\n"
        "WriterLock(sys.argv[1]).acquire()\n"
        "ready_r, ready_w = os.pipe()\n"
        "child = os.fork()\n"
        "if child == 0:\n"
        "    os.write(ready_w, b'x')\n"  # fork() has returned here: the after-fork hook has run
        "    time.sleep(30); os._exit(0)\n"
        "os.read(ready_r, 1)\n"
        "print(child, flush=True)\n"
        "time.sleep(30)\n")
    proc = subprocess.Popen([sys.executable, "-c", script, str(tmp_path / "s.db")], stdout=subprocess.PIPE, text=True)
    child = int(proc.stdout.readline())
    try:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        assert _alive(child)
        from codescan.state.lock import WriterLock

        lock = WriterLock(str(tmp_path / "s.db"))
        lock.acquire()  # raises StateLocked while the child holds the inherited lock
        lock.release()
    finally:
        os.kill(child, signal.SIGKILL)
