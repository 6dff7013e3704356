"""Analysis worker processes that a hostile file cannot take down with its neighbours: memory bounded by the
OS, pools recycled after a number of batches or a memory mark, and a crashed batch re-run file by file."""
from __future__ import annotations

import os
import resource
import signal
import time
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Callable

from .analyze.budget import file_budget
from .records import Analysis, Document, Skip

# A worker still on one file this long (wall clock) is killed by the kernel (SIGALRM's default action) and the file
# named as the culprit: the backstop for a step neither the budget's checks nor its CPU-time interrupt can reach (C
# code that never looks at signals). Far past the file's CPU budget: on a loaded machine the budget's seconds take
# several times as long on the wall clock, and an honest file must never meet it.
HARD_FACTOR = 6
HARD_FLOOR = 60.0
RECYCLE_BATCHES = 256  # a pool is replaced after this many batches (~16,000 files): memory never creeps
GIB = 1 << 30


def default_memory(jobs: int) -> int:
    """Bytes of address space per worker: three quarters of the machine shared by the workers, 2-8 GiB."""
    try:
        total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):
        total = 8 * GIB
    return int(min(8 * GIB, max(2 * GIB, total * 3 // 4 // max(1, jobs))))


def hard_limit(seconds: float | None, size: int) -> float | None:
    """Wall-clock seconds a worker may spend on a file of `size` bytes whose CPU budget base is `seconds`."""
    budget = file_budget(seconds, size)
    return None if budget is None else budget * HARD_FACTOR + HARD_FLOOR


def backstop(limit: float | None) -> None:
    """Kill this worker process `limit` wall-clock seconds from now unless called again first (None: never)."""
    if hasattr(signal, "setitimer"):
        signal.setitimer(signal.ITIMER_REAL, limit or 0)


def default_alarm() -> None:
    """SIGALRM's default action (terminate) in a worker: a forked worker inherits its parent's Python handler."""
    if hasattr(signal, "SIGALRM"):
        signal.signal(signal.SIGALRM, signal.SIG_DFL)


def limit_memory(limit: int) -> None:
    """RLIMIT_AS for this process: an allocation past it raises MemoryError here, not an OOM kill elsewhere."""
    if limit <= 0:
        return
    try:
        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    except (ValueError, OSError):
        pass


def address_space() -> int:
    """This process's mapped address space now (0 where /proc is not available)."""
    try:
        with open("/proc/self/statm", "rb") as fh:
            return int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def resident_bytes() -> int:
    """This process's resident memory now (0 where /proc is not available)."""
    try:
        with open("/proc/self/statm", "rb") as fh:
            return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


class RecyclingPool:
    """A ProcessPoolExecutor replaced by a fresh one after RECYCLE_BATCHES batches, when a worker reports
    resident memory above `memory_mark`, or when it broke. Retired pools finish their pending work."""

    def __init__(self, jobs: int, initializer: Callable, initargs: tuple, memory_mark: int,
                 recycle_batches: int = RECYCLE_BATCHES):
        self.jobs, self.initializer, self.initargs = jobs, initializer, initargs
        self.memory_mark = memory_mark
        self.recycle_batches = recycle_batches
        self.recycled = 0  # pools replaced (figures for the bench)
        self._pool: ProcessPoolExecutor | None = None
        self._submitted = 0
        self._retired: list[ProcessPoolExecutor] = []

    def submit(self, fn: Callable, *args) -> Future:
        if self._pool is None or self._submitted >= self.recycle_batches:
            self._replace()
        self._submitted += 1
        try:
            return self._pool.submit(fn, *args)
        except BrokenProcessPool:
            self._replace()
            self._submitted = 1
            return self._pool.submit(fn, *args)

    def note(self, rss: int, broken: bool = False) -> None:
        """A batch came back from a worker holding `rss` bytes (or the pool broke): retire the pool if needed."""
        if broken or (self.memory_mark and rss > self.memory_mark):
            self._submitted = self.recycle_batches  # the next submit starts a fresh pool

    def _replace(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=False)  # its pending batches still finish
            self._retired.append(self._pool)
            self.recycled += 1
        self._pool = ProcessPoolExecutor(max_workers=self.jobs, initializer=self.initializer,
                                         initargs=self.initargs)
        self._submitted = 0

    def close(self) -> None:
        for pool in self._retired + ([self._pool] if self._pool is not None else []):
            pool.shutdown(wait=True, cancel_futures=True)
        self._retired.clear()
        self._pool = None


def isolate(batch: list[Document], initializer: Callable, initargs: tuple, run_one: Callable,
            culprit: Callable[[Document, BaseException], Analysis],
            limit: Callable[[Document], float | None] = lambda doc: None) -> list[Analysis | Skip]:
    """Re-run a batch whose worker died, one file at a time in a fresh worker, so the file that kills
    its worker is named (`culprit`) and every other file is analyzed normally. `limit`: the file's hard limit, to
    say so when its worker died once it had run that long (the backstop killed it)."""
    out: list[Analysis | Skip] = []
    pool: ProcessPoolExecutor | None = None
    try:
        for doc in batch:
            if pool is None:
                pool = ProcessPoolExecutor(max_workers=1, initializer=initializer, initargs=initargs)
            start = time.monotonic()
            try:
                analyses, _rss = pool.submit(run_one, [doc]).result()
                out.extend(analyses)
            except Exception as exc:  # noqa: BLE001 - this file killed its worker: it is the culprit
                hard = limit(doc)
                if hard is not None and time.monotonic() - start >= hard:
                    exc = TimeoutError(f"still running after the hard limit of {hard:.0f} s wall-clock")
                out.append(culprit(doc, exc))
                pool.shutdown(wait=False, cancel_futures=True)
                pool = None
    finally:
        if pool is not None:
            pool.shutdown(wait=True)
    return out
