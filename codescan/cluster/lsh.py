"""Banded LSH over signature arrays: bands chosen for recall at the threshold, candidates verified,
components joined by union-find. Buckets are found by sorting band keys (numpy), not Python dicts."""
from __future__ import annotations

import numpy as np

from . import minhash

THRESHOLD = 0.7  # estimated Jaccard a candidate pair must reach to be linked
RECALL = 0.99  # wanted probability that a pair exactly at THRESHOLD becomes a candidate
FULL_PAIRS = 8  # buckets up to this size give every pair; bigger ones a star and a chain
_MIX = np.uint64(0xFF51AFD7ED558CCD)


def candidate_probability(s: float, bands: int, rows: int) -> float:
    return 1.0 - (1.0 - s ** rows) ** bands


def choose_bands(threshold: float = THRESHOLD, num_perm: int = minhash.NUM_PERM,
                 recall: float = RECALL) -> tuple[int, int]:
    """The most rows per band (fewest false candidates) that still reach `recall` at `threshold`."""
    best = (num_perm, 1)
    for rows in range(1, num_perm + 1):
        bands = num_perm // rows
        if bands and candidate_probability(threshold, bands, rows) >= recall:
            best = (bands, rows)
    return best


def band_keys(sigs: np.ndarray, bands: int, rows: int) -> np.ndarray:
    """(n, bands) uint64: one hash of each band's `rows` min-hash values."""
    n = sigs.shape[0]
    keys = np.zeros((n, bands), dtype=np.uint64)
    with np.errstate(over="ignore"):
        for r in range(rows):
            cols = sigs[:, r:bands * rows:rows]  # column r of every band
            keys = (keys ^ cols) * _MIX
            keys ^= keys >> np.uint64(31)
        keys += np.arange(bands, dtype=np.uint64)[None, :] * _MIX  # a key never matches another band
    return keys


def candidate_pairs(keys: np.ndarray) -> np.ndarray:
    """Unique (i, j), i < j, of rows sharing a bucket in some band."""
    found: list[np.ndarray] = []
    for band in range(keys.shape[1]):
        column = keys[:, band]
        order = np.argsort(column, kind="stable")
        ordered = column[order]
        same = ordered[1:] == ordered[:-1]
        if not same.any():
            continue
        # Star (to the bucket's first row) and chain (to the previous row): linear in bucket size.
        starts = np.r_[True, ~same]
        first = order[np.maximum.accumulate(np.where(starts, np.arange(len(order)), 0))]
        idx = np.flatnonzero(same) + 1
        found.append(np.stack([first[idx], order[idx]], axis=1))
        found.append(np.stack([order[idx - 1], order[idx]], axis=1))
        # Small buckets: every pair.
        bounds = np.flatnonzero(starts)
        sizes = np.diff(np.r_[bounds, len(order)])
        for start, size in zip(bounds[(sizes > 2) & (sizes <= FULL_PAIRS)], sizes[(sizes > 2) & (sizes <= FULL_PAIRS)]):
            members = order[start:start + size]
            ii, jj = np.triu_indices(size, 1)
            found.append(np.stack([members[ii], members[jj]], axis=1))
    if not found:
        return np.zeros((0, 2), dtype=np.int64)
    pairs = np.concatenate(found).astype(np.int64)
    pairs = np.sort(pairs, axis=1)
    pairs = pairs[pairs[:, 0] != pairs[:, 1]]
    return np.unique(pairs, axis=0)


def verify(sigs: np.ndarray, pairs: np.ndarray, threshold: float = THRESHOLD, chunk: int = 65536) -> np.ndarray:
    """The candidate pairs whose estimated Jaccard reaches `threshold`, with it: (m, 2) and (m,)."""
    keep, sims = [], []
    for lo in range(0, len(pairs), chunk):
        block = pairs[lo:lo + chunk]
        sim = minhash.similarity(sigs[block[:, 0]], sigs[block[:, 1]])
        ok = sim >= threshold
        keep.append(block[ok])
        sims.append(sim[ok])
    if not keep:
        return np.zeros((0, 2), dtype=np.int64), np.zeros(0)
    return np.concatenate(keep), np.concatenate(sims)


class UnionFind:
    """Disjoint sets over 0..n-1 (path halving, union by size)."""

    def __init__(self, n: int):
        self.parent = list(range(n))
        self.size = [1] * n

    def find(self, x: int) -> int:
        parent = self.parent
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return
        if self.size[ra] < self.size[rb]:
            ra, rb = rb, ra
        self.parent[rb] = ra
        self.size[ra] += self.size[rb]

    def groups(self) -> list[list[int]]:
        out: dict[int, list[int]] = {}
        for x in range(len(self.parent)):
            out.setdefault(self.find(x), []).append(x)
        return list(out.values())
