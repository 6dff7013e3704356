"""Opt-in (CODESCAN_SLOW_TESTS=1): crawl and filter killed with SIGKILL from outside at random moments, many
times; each rerun must equal a clean run. The default suite kills at fixed points (test_crawl_kill.py,
test_filter_kill.py)."""
from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time

import pytest

from crawlrun import crawl, findings, places
from test_crawl_kill import _alive, _children, _start, mirror  # noqa: F401 - mirror is a fixture
from test_filter_kill import TESTS, _args, _left_behind_is_safe, _running_on, _tree, inputs  # noqa: F401

from codescan.cli import main

pytestmark = pytest.mark.skipif(os.environ.get("CODESCAN_SLOW_TESTS") != "1",
                                reason="slow: set CODESCAN_SLOW_TESTS=1")
TRIALS = int(os.environ.get("CODESCAN_KILL_TRIALS", "8"))


def test_filter_killed_at_random_moments(inputs, tmp_path, capsys):  # noqa: F811
    base, clean = inputs
    rng = random.Random(19)
    env = {**os.environ, "PYTHONPATH": str(TESTS.parent)}
    start = time.monotonic()
    assert main(_args(base, tmp_path / "timing", jobs=2)) == 0
    span = time.monotonic() - start + 2.0  # interpreter start-up comes on top in a subprocess
    for trial in range(TRIALS):
        out = tmp_path / f"out{trial}"
        proc = subprocess.Popen([sys.executable, "-m", "codescan", *_args(base, out, jobs=2)], cwd=TESTS, env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.2, span))
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        _left_behind_is_safe(out)
        assert not _running_on(out)
        assert main(_args(base, out)) == 0
        capsys.readouterr()
        assert _tree(out) == clean, f"trial {trial}"


def test_crawl_killed_at_random_moments(mirror, tmp_path, capsys):  # noqa: F811
    root, full, want = mirror
    rng = random.Random(19)
    for trial in range(TRIALS):
        state = tmp_path / f"s{trial}.db"
        proc = _start(root, state, jobs=2)
        time.sleep(rng.uniform(0.3, 6.0))
        workers = _children(proc.pid)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        time.sleep(0.5)
        assert not any(_alive(w) for w in workers)
        crawl(capsys, root, state)
        _, got = findings(capsys, state)
        assert places(got) == places(want), f"trial {trial}"
