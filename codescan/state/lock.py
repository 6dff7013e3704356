"""One writer per state file: an fcntl lock beside it, released by the kernel even when the crawl is killed."""
from __future__ import annotations

import fcntl
import os

from ..errors import CodescanError


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
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode(), 0)
        self._fd = fd

    def release(self) -> None:
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None
