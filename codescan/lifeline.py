"""Worker processes die with the process that started them (Linux PR_SET_PDEATHSIG), so a killed scan leaves none."""
from __future__ import annotations

import os
import signal
import sys

PR_SET_PDEATHSIG = 1
_forked_by = os.getpid()  # in a forked child: the process that forked it (set in the parent just before the fork)


def _before_fork() -> None:
    global _forked_by
    _forked_by = os.getpid()


os.register_at_fork(before=_before_fork)


def die_with_parent(parent: int | None = None) -> bool:
    """Ask the kernel to SIGKILL this process when its parent dies; exit at once when the parent (pid `parent`,
    default the process that forked this one) is already gone. Call it first thing in a worker's initializer.

    The kernel sends the signal when the parent *thread* that forked the worker ends, so start pools from a thread
    that lives as long as they do (the main thread). False where the platform has no such request."""
    expected = _forked_by if parent is None else parent
    if not sys.platform.startswith("linux"):
        return False
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) != 0:
            return False
    except (OSError, AttributeError):
        return False
    if os.getppid() != expected:  # the parent died before the request was made
        os._exit(1)
    return True
