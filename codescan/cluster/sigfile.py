"""The run's file of signatures (one row of minhash.NUM_PERM stored 16-bit values per signed unit). Random rows are
read by positional reads (Reader) or through a mapping opened and closed per read, so the pages a read touches leave the process's resident memory
with it (a mapping held over a whole scan keeps every page it touched: the whole file); scans over many rows read
the file a stretch at a time without mapping it."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Iterator

import numpy as np

from . import minhash

DTYPE = "<u2"
STRETCH = 4096  # rows read at a time by blocks() (1 MB)


class Signed:
    """The run's signed units: keys (sorted), kinds and token counts as columns, and the file of their signatures
    (path). narrow() lets the columns go once only some keys' rows are still asked for (rows_of)."""

    def __init__(self, keys: np.ndarray, kinds: np.ndarray, tokens: np.ndarray, path: Path):
        self.keys, self.kinds, self.tokens, self.path = keys, kinds, tokens, path
        self._wanted: np.ndarray | None = None
        self._rows: np.ndarray | None = None

    def narrow(self, wanted: np.ndarray) -> None:
        """Keep the row positions of these keys (sorted, distinct; those with no signature are left out) and let
        every column go: what is kept is proportional to the keys asked for, not to the signed units."""
        at = np.minimum(np.searchsorted(self.keys, wanted), max(len(self.keys) - 1, 0))
        ok = self.keys[at] == wanted if len(self.keys) else np.zeros(len(wanted), dtype=bool)
        self._wanted, self._rows = wanted[ok], at[ok]
        self.keys = self.kinds = self.tokens = None

    def rows_of(self, keys: np.ndarray) -> np.ndarray:
        """Row positions in the file of these signed keys."""
        if self._wanted is None:
            return np.searchsorted(self.keys, keys)
        return self._rows[np.searchsorted(self._wanted, keys)]


def mapping(path: Path, count: int) -> np.ndarray:
    """The whole file mapped (count: rows in it), for many small reads: the caller lets it go after a bounded number
    of them (its pages stay resident while it is held)."""
    return np.memmap(path, dtype=DTYPE, mode="r", shape=(count, minhash.NUM_PERM))


class Reader:
    """Rows read one by one with positional reads of an open file: only the bytes asked for, nothing mapped (a
    mapping keeps every page it touched resident while it is held)."""

    def __init__(self, path: Path):
        self.fd = os.open(path, os.O_RDONLY)
        self.width = minhash.NUM_PERM * np.dtype(DTYPE).itemsize

    def rows(self, at) -> np.ndarray:
        at = np.asarray(at, dtype=np.int64)
        data = b"".join(os.pread(self.fd, self.width, p * self.width) for p in at.tolist())
        return np.frombuffer(data, dtype=DTYPE).reshape(len(at), minhash.NUM_PERM)

    def close(self) -> None:
        os.close(self.fd)

    def __enter__(self) -> "Reader":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def rows(path: Path, count: int, at) -> np.ndarray:
    """The signatures at these row positions (count: rows in the file)."""
    sigs = mapping(path, count)
    try:
        return np.array(sigs[at])
    finally:
        del sigs


def blocks(path: Path, count: int, positions: np.ndarray) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """(positions, their signatures) a stretch of the file at a time, for sorted positions: only the stretches
    holding one are read, each into memory of its own (nothing mapped)."""
    width = minhash.NUM_PERM * np.dtype(DTYPE).itemsize
    with open(path, "rb") as fh:
        i = 0
        while i < len(positions):
            start = int(positions[i])
            end = min(start + STRETCH, count)
            j = int(np.searchsorted(positions, end))
            fh.seek(start * width)
            data = np.fromfile(fh, dtype=DTYPE, count=(end - start) * minhash.NUM_PERM).reshape(-1, minhash.NUM_PERM)
            yield positions[i:j], data[positions[i:j] - start]
            i = j
