"""The run's file of 32-bit signatures (one row of minhash.NUM_PERM per signed unit), read a block of rows at a
time: each read maps the file, copies the rows out and unmaps it, so the pages a scan touches leave the process's
resident memory with the block (a mapping held over a whole scan keeps every page it touched: the whole file)."""
from __future__ import annotations

from pathlib import Path

import numpy as np

from . import minhash


def rows(path: Path, count: int, at) -> np.ndarray:
    """The signatures at these row positions (count: rows in the file)."""
    sigs = np.memmap(path, dtype="<u4", mode="r", shape=(count, minhash.NUM_PERM))
    try:
        return np.array(sigs[at])
    finally:
        del sigs
