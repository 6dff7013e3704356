"""Hash-partitioned LSH band grouping for corpus campaigns: band rows → buckets → candidate pairs → verified edges.

Every unit gives one row per band (bucket, band, key, uid). Rows are split into buckets by a hash of the band
key, so one (band, key) group never spans two buckets and each bucket is paired on its own: the local engine
pairs all rows at once, Ray pairs each bucket in a `groupby(...).map_groups` task, and both give the same pairs
(a group's pairs depend only on its rows, ordered by uid).
"""
from __future__ import annotations

import numpy as np

from ..cluster import lsh

FULL_PAIRS = lsh.FULL_PAIRS  # groups up to this size give every pair; bigger ones a star and a chain


def band_shape(threshold: float = lsh.THRESHOLD, num_perm: int = 128) -> tuple[int, int]:
    return lsh.choose_bands(threshold, num_perm)


def band_rows(uids: np.ndarray, sigs: np.ndarray, bands: int, rows: int, buckets: int) -> dict[str, np.ndarray]:
    """Columns bucket, band, key (int64 views of the uint64 band hashes) and uid: bands rows per unit."""
    if not len(uids):
        empty = np.zeros(0, dtype=np.int64)
        return {"bucket": empty, "band": empty, "key": empty, "uid": empty}
    keys = lsh.band_keys(sigs, bands, rows)  # (n, bands)
    band = np.broadcast_to(np.arange(bands, dtype=np.int64)[None, :], keys.shape).reshape(-1)
    flat = keys.reshape(-1)
    return {"bucket": ((flat >> np.uint64(40)) % np.uint64(buckets)).astype(np.int64), "band": band,
            "key": flat.view(np.int64), "uid": np.repeat(np.asarray(uids, dtype=np.int64), bands)}


def bucket_pairs(band: np.ndarray, key: np.ndarray, uid: np.ndarray) -> np.ndarray:
    """Unique (a, b), a < b, of units sharing a (band, key) group: every pair in small groups, a star (to the
    group's lowest uid) and a chain (uid order) in big ones, so the count stays linear in the group size."""
    if len(uid) < 2:
        return np.zeros((0, 2), dtype=np.int64)
    order = np.lexsort((uid, key, band))
    band, key, uid = band[order], key[order], uid[order]
    same = (band[1:] == band[:-1]) & (key[1:] == key[:-1]) & (uid[1:] != uid[:-1])
    starts = np.r_[True, ~((band[1:] == band[:-1]) & (key[1:] == key[:-1]))]
    found = []
    if same.any():
        first = uid[np.maximum.accumulate(np.where(starts, np.arange(len(uid)), 0))]
        idx = np.flatnonzero(same) + 1
        found.append(np.stack([first[idx], uid[idx]], axis=1))
        found.append(np.stack([uid[idx - 1], uid[idx]], axis=1))
        bounds = np.flatnonzero(starts)
        sizes = np.diff(np.r_[bounds, len(uid)])
        small = (sizes > 2) & (sizes <= FULL_PAIRS)
        for start, size in zip(bounds[small], sizes[small]):
            members = np.unique(uid[start:start + size])
            ii, jj = np.triu_indices(len(members), 1)
            found.append(np.stack([members[ii], members[jj]], axis=1))
    if not found:
        return np.zeros((0, 2), dtype=np.int64)
    pairs = np.sort(np.concatenate(found).astype(np.int64), axis=1)
    pairs = pairs[pairs[:, 0] != pairs[:, 1]]
    return np.unique(pairs, axis=0)


def verify(pairs: np.ndarray, uids: np.ndarray, sigs: np.ndarray, threshold: float = lsh.THRESHOLD) -> np.ndarray:
    """The candidate pairs whose estimated Jaccard reaches the threshold; sigs[i] is the signature of uids[i]
    (uids sorted, holding at least every uid of the pairs)."""
    if not len(pairs):
        return np.zeros((0, 2), dtype=np.int64)
    local = np.searchsorted(uids, pairs)
    linked, _ = lsh.verify(sigs, local, threshold)
    return np.asarray(uids)[linked].reshape(-1, 2).astype(np.int64)


def local_edges(sigs: np.ndarray, threshold: float = lsh.THRESHOLD) -> np.ndarray:
    """All stages in this process over units 0..n-1 (row i of sigs): their verified edges."""
    uids = np.arange(len(sigs), dtype=np.int64)
    if not len(uids):
        return np.zeros((0, 2), dtype=np.int64)
    bands, rows = band_shape(threshold, sigs.shape[1])
    table = band_rows(uids, sigs, bands, rows, 1)
    return verify(bucket_pairs(table["band"], table["key"], table["uid"]), uids, sigs, threshold)
