"""One writer per state file: an fcntl lock beside it, held by the crawl's own process only, released by the kernel
even when the crawl is killed."""
from __future__ import annotations

import fcntl
import os

from ..errors import CodescanError

# Lock descriptors this process holds. A forked child (a worker process) closes its copies at once: a flock belongs
# to the open file, so a child keeping a copy would keep the lock after its parent is killed.
_HELD: set[int] = set()


def _close_in_child() -> None:
    for fd in list(_HELD):
        try:
            os.close(fd)
        except OSError:
            pass
    _HELD.clear()


os.register_at_fork(after_in_child=_close_in_child)


class StateLocked(CodescanError):
    """Another crawl holds the state's lock."""


class WriterLock:
    def __init__(self, state_path: str):
        self.path = state_path + ".lock"
        self._fd: int | None = None

    def acquire(self) -> None:
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip() or "unknown"
            os.close(fd)
            raise StateLocked(f"{self.path[:-5]} is in use by another crawl (pid {holder}); "
                              "wait for it to finish or use another --state") from None
        _HELD.add(fd)
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode(), 0)
        self._fd = fd

    def release(self) -> None:
        if self._fd is not None:
            _HELD.discard(self._fd)
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None
