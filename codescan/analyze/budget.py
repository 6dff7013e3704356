"""The per-file analysis budget: CPU seconds of the analyzing thread and bytes decoded, checked in every growing loop.

CPU time, not wall clock, so a file gets the same findings on an idle laptop and on a loaded
crawl machine (a busy neighbour slows the wall clock, not this thread's CPU time). One budget is
active per analyzing thread while a document is analyzed (`running`); code deep inside folding,
decoding or a text detector calls `check()` without the budget being passed down to it.
"""
from __future__ import annotations

import threading
import time
from contextlib import contextmanager
from typing import Iterator

CPU_SECONDS = "cpu-time"          # the names of the bounds, as reported
DECODED_BYTES = "decoded-bytes"
MAX_DECODED_BYTES = 64 * 1024 * 1024  # every byte produced by decoding/inflating one file, in total
LABELS = {CPU_SECONDS: "time", DECODED_BYTES: "decoded-bytes"}


class OverBudget(Exception):
    """A per-file bound was reached; `bound` names it (CPU_SECONDS, DECODED_BYTES...)."""

    def __init__(self, bound: str = CPU_SECONDS, detail: str = ""):
        super().__init__(f"{bound}: {detail}" if detail else bound)
        self.bound = bound
        self.detail = detail


class Budget:
    """CPU seconds of the thread that created it, plus a cap on the bytes decoding may produce."""

    __slots__ = ("seconds", "max_decoded", "decoded", "_end", "_hit", "_ticks", "_safe")

    def __init__(self, seconds: float | None, max_decoded: int = MAX_DECODED_BYTES):
        self.seconds = seconds
        self.max_decoded = max_decoded
        self.decoded = 0
        self._end = float("inf") if seconds is None else time.thread_time() + seconds
        self._hit: OverBudget | None = None
        self._ticks = 0
        self._safe = float("-inf")  # the wall clock (monotonic) before which the seconds cannot be used up

    def expired(self) -> bool:
        """True once this thread has used its CPU seconds.

        The thread's CPU clock is read only once the wall clock could have reached the end: a thread's CPU time
        grows no faster than the wall clock, so until `_safe` (the wall clock read before the last CPU reading, plus
        the seconds then left) the answer is False without a reading. The same answer as reading it every time; in a
        container the CPU clock cost ~3 µs a reading (a system call), the wall clock 0.5."""
        now = time.monotonic()
        if now < self._safe:
            return False
        cpu = time.thread_time()
        if cpu > self._end:
            return True
        self._safe = now + (self._end - cpu)
        return False

    def used(self) -> float:
        """CPU seconds spent since the budget started."""
        if self.seconds is None:
            return 0.0
        return time.thread_time() - (self._end - self.seconds)

    def cpu_left(self) -> float:
        """CPU seconds this thread has left (inf without a bound)."""
        return self._end - time.thread_time()

    def check(self) -> None:
        """Raise OverBudget when the CPU seconds are spent."""
        if self.expired():
            raise self._over(OverBudget(CPU_SECONDS, f"{self.seconds:g} s of CPU time"))

    def tick(self) -> None:
        """check() every 64th call: for the innermost loops, where even reading the clock adds up."""
        self._ticks += 1
        if not self._ticks & 63 and self.expired():
            raise self._over(OverBudget(CPU_SECONDS, f"{self.seconds:g} s of CPU time"))

    def spend_decoded(self, size: int) -> None:
        """Count `size` bytes produced by decoding; raise OverBudget past the file's total."""
        self.decoded += size
        if self.decoded > self.max_decoded:
            raise self._over(OverBudget(DECODED_BYTES, f"more than {self.max_decoded} bytes decoded"))

    def decoded_left(self) -> int:
        """How many more bytes decoding may produce for this file."""
        return max(0, self.max_decoded - self.decoded)

    @property
    def hit(self) -> OverBudget | None:
        """The first bound this budget raised, if any (kept even when a caller swallowed the exception)."""
        return self._hit

    def _over(self, exc: OverBudget) -> OverBudget:
        if self._hit is None:
            self._hit = exc
        return exc


UNLIMITED = Budget(None, max_decoded=1 << 62)
_active = threading.local()


def current() -> Budget:
    """The budget of the document this thread is analyzing (unlimited outside an analysis)."""
    return getattr(_active, "budget", UNLIMITED)


def check() -> None:
    """Raise OverBudget when the current document's CPU seconds are spent (no-op outside an analysis)."""
    budget = getattr(_active, "budget", None)
    if budget is not None:
        budget.check()


def tick() -> None:
    """Budget.tick on the current document's budget (no-op outside an analysis)."""
    budget = getattr(_active, "budget", None)
    if budget is not None:
        budget.tick()


def expired() -> bool:
    budget = getattr(_active, "budget", None)
    return budget is not None and budget.expired()


def spend_decoded(size: int) -> None:
    """Count bytes produced by decoding against the current document's total (no-op outside an analysis)."""
    budget = getattr(_active, "budget", None)
    if budget is not None:
        budget.spend_decoded(size)


@contextmanager
def running(budget: Budget) -> Iterator[Budget]:
    """Make `budget` the current one on this thread for the duration of the block."""
    previous = getattr(_active, "budget", None)
    _active.budget = budget
    try:
        yield budget
    finally:
        if previous is None:
            del _active.budget
        else:
            _active.budget = previous


BUDGET_UNIT = 512 * 1024  # bytes a file may have for each `file_timeout` of CPU time


def file_budget(seconds: float | None, size: int) -> float | None:
    """The CPU seconds a file of `size` bytes gets: `seconds`, and as much again for every further 512 kB.
    A bound per byte, not per file: a 1 MB production bundle needs ~9 s of honest work, while inputs built to
    exhaust the scanner are small and pathological (8,000 unclosed tags in 64 kB) and still meet the base bound."""
    if seconds is None:
        return None
    return seconds * max(1.0, size / BUDGET_UNIT)

