"""A crawl killed with SIGKILL mid-way and started again loses no finding and reports none twice."""
from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from clirun import DEMO_RULES
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


def _start(root: Path, state: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "codescan", "crawl", str(root), "--state", str(state),
                             "--no-progress", "-j", "1", *DEMO_RULES], cwd=TESTS, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)


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
