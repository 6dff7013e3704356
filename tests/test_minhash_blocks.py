"""MinHash blocks: sets that cross block boundaries get the plain formula's values, from a small reused block."""
from __future__ import annotations

import tracemalloc

import numpy as np

from codescan.cluster import minhash


def _reference(values: np.ndarray) -> np.ndarray:
    a, b = minhash.permutations()
    if not len(values):
        return np.full(minhash.NUM_PERM, np.iinfo(np.uint64).max, dtype=np.uint64)
    with np.errstate(over="ignore"):
        return (minhash._fmix(values.astype(np.uint64))[:, None] * a[None, :] + b[None, :]).min(axis=0)


def test_sets_across_block_edges_get_the_formula_values():
    rng = np.random.default_rng(11)
    chunk = minhash.CHUNK
    sizes = (1, chunk - 1, chunk, chunk + 1, 0, 3 * chunk + 7, 2, 5)
    sets = [rng.integers(0, 2**63, n, dtype=np.uint64) for n in sizes]
    got = minhash._compute(sets, minhash.NUM_PERM, minhash.SEED)
    for row, values in enumerate(sets):
        assert (got[row] == _reference(values)).all(), sizes[row]


def test_a_big_set_is_hashed_through_a_small_block():
    values = np.arange(200_000, dtype=np.uint64) * np.uint64(0x9E3779B97F4A7C15)
    tracemalloc.start()
    try:
        minhash._compute([values], minhash.NUM_PERM, minhash.SEED)
        _size, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    # the shingles (1.6 MB) and their mix and owner arrays, plus one block; 16 MB blocks thrashed the cache
    assert peak < 12 * 2**20, peak
