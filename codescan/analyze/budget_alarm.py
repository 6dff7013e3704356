"""A hard stop for the one step the budget's checks cannot reach: a regex backtracking inside the C engine, a
single call over an enormous line. The budget is checked between steps; a step that runs for minutes never meets a
check. While a document is analyzed on the main thread, a CPU-time timer (SIGPROF) fires GRACE seconds after its
budget: the handler raises OverBudget in the step that is running (the `re` engine checks for signals while it
backtracks), and the file is reported like any file over budget: its findings so far and analysis-exhausted.

The timer counts the process's CPU time; the handler measures the thread's, and only re-arms while the thread
still has budget left. An interrupt swallowed by a broad `except` is raised again every REPEAT seconds until the
document's analysis ends. Off the main thread (signals are delivered there only) or under another SIGPROF handler (a
profiler), nothing is armed: the checks alone bound the file there, and worker processes have their own
wall-clock backstop (pipeline)."""
from __future__ import annotations

import signal
import threading
from contextlib import contextmanager
from typing import Iterator

from .budget import CPU_SECONDS, Budget, OverBudget

GRACE = 0.5  # CPU seconds past the budget before a step is interrupted: the checks end most files first
REPEAT = 0.25  # CPU seconds between interrupts once the budget is spent
_SIGNAL = getattr(signal, "SIGPROF", None)
_armed: Budget | None = None


def _on_alarm(_signum, _frame) -> None:
    budget = _armed
    if budget is None:
        return  # the timer of an analysis that has just ended
    left = budget.cpu_left()
    if left > 0:  # other threads' CPU time moved the process clock: wait for this thread's
        signal.setitimer(signal.ITIMER_PROF, left + GRACE)
        return
    signal.setitimer(signal.ITIMER_PROF, REPEAT)
    raise budget._over(OverBudget(CPU_SECONDS, f"{budget.seconds:g} s of CPU time; one step ran past it and was "
                                               "interrupted"))


@contextmanager
def armed(budget: Budget) -> Iterator[None]:
    """Interrupt the running step once `budget`'s CPU seconds (plus GRACE) are spent, while the block runs. Put it
    inside the `try` that handles OverBudget: the interrupt may come as the block exits."""
    global _armed
    if (_SIGNAL is None or budget.seconds is None or _armed is not None
            or threading.current_thread() is not threading.main_thread()):
        yield
        return
    handler = signal.getsignal(_SIGNAL)
    if handler is not _on_alarm:
        if handler not in (signal.SIG_DFL, None):
            yield  # a profiler's handler: leave it alone
            return
        signal.signal(_SIGNAL, _on_alarm)
    _armed = budget
    signal.setitimer(signal.ITIMER_PROF, max(budget.cpu_left(), 0.0) + GRACE)
    try:
        yield
    finally:
        _armed = None  # first: a signal handled after this point finds nothing to interrupt
        signal.setitimer(signal.ITIMER_PROF, 0)
