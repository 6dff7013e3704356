"""The run's file of 32-bit signatures (one row of minhash.NUM_PERM per signed unit), read a block of rows at a
time: each read maps the file, copies the rows out and unmaps it, so the pages a scan touches leave the process's
resident memory with the block (a mapping held over a whole scan keeps every page it touched: the whole file)."""
from __future__ import annotations

from pathlib import Path

import numpy as np

from . import minhash


def mapping(path: Path, count: int) -> np.ndarray:
    """The whole file mapped (count: rows in it), for many small reads: the caller lets it go after a bounded number
    of them (its pages stay resident while it is held)."""
    return np.memmap(path, dtype="<u4", mode="r", shape=(count, minhash.NUM_PERM))


def rows(path: Path, count: int, at) -> np.ndarray:
    """The signatures at these row positions (count: rows in the file)."""
    sigs = mapping(path, count)
    try:
        return np.array(sigs[at])
    finally:
        del sigs
