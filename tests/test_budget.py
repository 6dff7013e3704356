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
