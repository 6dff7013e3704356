"""The per-file budget counts the analyzing thread's CPU time (not wall clock) and decoded bytes."""
from __future__ import annotations

import threading
import time

import pytest

from codescan.analyze import budget as budgets
from codescan.analyze import deobfuscate
from codescan.analyze.budget import Budget, OverBudget
from codescan.analyze.document import Analyzer
from codescan.config import Config
from codescan.records import Document
from codescan.rules import load_rules


def _burn(seconds: float) -> None:
    end = time.thread_time() + seconds
    while time.thread_time() < end:
        pass


def test_waiting_does_not_spend_the_budget_but_computing_does():
    budget = Budget(0.2)
    time.sleep(0.4)  # a loaded machine: wall clock passes, this thread's CPU time does not
    assert not budget.expired()
    budget.check()
    _burn(0.25)
    assert budget.expired()
    with pytest.raises(OverBudget) as exc:
        budget.check()
    assert exc.value.bound == budgets.CPU_SECONDS and budget.hit is exc.value


def test_a_busy_neighbour_thread_does_not_spend_this_threads_budget():
    budget = Budget(0.2)
    neighbour = threading.Thread(target=_burn, args=(0.5,))
    neighbour.start()
    neighbour.join()
    assert not budget.expired()


def test_decoded_bytes_are_capped_per_file():
    budget = Budget(None, max_decoded=1000)
    budget.spend_decoded(600)
    assert budget.decoded_left() == 400
    with pytest.raises(OverBudget) as exc:
        budget.spend_decoded(600)
    assert exc.value.bound == budgets.DECODED_BYTES


def test_the_current_budget_is_per_thread_and_restored():
    assert not budgets.expired()
    budgets.check()  # outside an analysis: nothing to spend
    with budgets.running(Budget(0.0)) as inner:
        _burn(0.01)
        with pytest.raises(OverBudget):
            budgets.check()
        seen = []
        other = threading.Thread(target=lambda: seen.append(budgets.current()))
        other.start()
        other.join()
        assert seen[0] is not inner
    assert budgets.current() is budgets.UNLIMITED


def test_a_stalled_analysis_keeps_its_findings_on_a_busy_machine(monkeypatch):
    """The same file gets the same findings whether or not the machine is loaded: a stall (here a
    sleep standing for other processes holding the CPU) does not count against the file's budget."""
    real_fold = deobfuscate.fold

    def stalled(*args, **kwargs):
        time.sleep(0.5)
        return real_fold(*args, **kwargs)

    monkeypatch.setattr(deobfuscate, "fold", stalled)
    analyzer = Analyzer(load_rules(), Config(file_timeout=0.3))
    source = b"import base64\nf = getattr(__builtins__, 'ev' + 'al')\nf(base64.b64decode(x))\n"
    result = analyzer.analyze(Document(path="a.py", content=source))
    assert result.skips == ()
    assert result.findings


class _Clocks:
    """A wall clock and a thread CPU clock moved by hand (the CPU one never faster than the wall), counting readings."""

    def __init__(self):
        self.wall = 100.0
        self.cpu = 5.0
        self.cpu_readings = 0

    def monotonic(self) -> float:
        return self.wall

    def thread_time(self) -> float:
        self.cpu_readings += 1
        return self.cpu

    def run(self, wall: float, busy: float) -> None:
        assert busy <= wall
        self.wall += wall
        self.cpu += busy


def test_the_cpu_clock_is_read_only_once_the_seconds_could_be_used_up(monkeypatch):
    clocks = _Clocks()
    monkeypatch.setattr(budgets, "time", clocks)
    budget = Budget(1.0)  # ends when the CPU clock passes 6.0
    reference = lambda: clocks.cpu > 6.0  # noqa: E731 - what reading the CPU clock every time says
    steps = [(0.1, 0.1)] * 4 + [(0.3, 0.05)] * 6 + [(0.05, 0.05)] * 12 + [(0.01, 0.0)] * 3 + [(0.2, 0.2)] * 3
    answers = []
    for wall, busy in steps:
        clocks.run(wall, busy)
        answers.append(budget.expired())
        assert answers[-1] == reference()
    assert answers[-1] and not answers[0]
    busy = _Clocks()  # a thread that never waits: 900 checks a millisecond apart, read the CPU clock once or twice
    monkeypatch.setattr(budgets, "time", busy)
    budget = Budget(1.0)
    for _ in range(900):
        busy.run(0.001, 0.001)
        assert not budget.expired()
    assert busy.cpu_readings <= 3
    unlimited = Budget(None)
    before = busy.cpu_readings
    for _ in range(10):
        busy.run(1000.0, 1000.0)
        assert not unlimited.expired()
    assert busy.cpu_readings - before <= 1
