"""Campaign clustering on Ray Data without collecting every signature on the driver.

Band rows (bucket, band, key, uid) are made where the signatures are (map_batches over the analyzed parts),
grouped by a hash bucket of the band key (`groupby("bucket").map_groups`: a few big groups, not one group per
band value, which Ray handles badly by the million) and paired inside each bucket. Only the candidate pairs and
the signatures of units on a pair (or in a blob several sources share) come back to the driver, where pairs are
verified and joined by union-find in the campaign api's `cluster`.
"""
from __future__ import annotations

import numpy as np

from ..cluster import lsh
from . import bands
from .clustering import Layout, campaigns_from_parts

SIGNATURE_BYTES = 8


def _owners(layout: Layout) -> dict[str, tuple[tuple, int]]:
    """blob → (order of the part whose row gives its units, uid of its first non-line unit)."""
    return {blob: (layout.owner[blob].order, base) for blob, base in layout.base.items()}


def _owned(batch: dict, owners: dict):
    """(row, base uid) of the batch rows that own their blob's units."""
    for i, blob in enumerate(batch["blob"]):
        if not blob:
            continue
        order, base = owners.get(blob, (None, 0))
        if order == (int(batch["number"][i]), int(batch["index"][i]), int(batch["part"][i])):
            yield i, base


def band_batch(batch: dict, owners: dict, num_bands: int, rows: int, buckets: int) -> dict:
    """map_batches: analyzed part rows → one band row per (owned unit, band)."""
    uids, sigs = [], []
    for i, base in _owned(batch, owners):
        packed = bytes(batch["sigs"][i])
        count = len(packed) // (SIGNATURE_BYTES * rows * num_bands) if packed else 0
        if count:
            uids.append(np.arange(base, base + count, dtype=np.int64))
            sigs.append(np.frombuffer(packed, dtype="<u8").reshape(count, -1))
    if not uids:
        return bands.band_rows(np.zeros(0, np.int64), np.zeros((0, num_bands * rows), np.uint64), num_bands, rows,
                               buckets)
    return bands.band_rows(np.concatenate(uids), np.concatenate(sigs), num_bands, rows, buckets)


def bucket_batch(group: dict) -> dict:
    """map_groups: one bucket's band rows → its candidate pairs."""
    pairs = bands.bucket_pairs(np.asarray(group["band"]), np.asarray(group["key"]), np.asarray(group["uid"]))
    return {"a": pairs[:, 0].copy(), "b": pairs[:, 1].copy()}


def signature_batch(batch: dict, owners: dict, wanted: frozenset, width: int) -> dict:
    """map_batches: the signatures of the wanted uids only."""
    uids, sigs = [], []
    for i, base in _owned(batch, owners):
        packed = bytes(batch["sigs"][i])
        for n in range(len(packed) // width):
            if base + n in wanted:
                uids.append(base + n)
                sigs.append(packed[n * width:(n + 1) * width])
    return {"uid": np.array(uids, dtype=np.int64), "sig": np.array(sigs, dtype=object)}


def ray_campaigns(ray, parts, ds, threshold: float = lsh.THRESHOLD, min_repos: int = 2) -> list:
    layout = Layout(parts)
    if ds is None or not layout.count:
        return campaigns_from_parts(layout, np.zeros((0, 2), np.int64), lambda wanted: {}, threshold, min_repos)
    num_bands, rows = bands.band_shape(threshold)
    width = SIGNATURE_BYTES * num_bands * rows
    owners = _owners(layout)
    cpus = max(1, int(ray.cluster_resources().get("CPU", 1)))
    buckets = max(4, 4 * cpus)
    band_ds = ds.select_columns(["number", "index", "part", "blob", "sigs"]).map_batches(
        band_batch, fn_kwargs={"owners": owners, "num_bands": num_bands, "rows": rows, "buckets": buckets},
        batch_format="numpy")
    pair_ds = band_ds.groupby("bucket").map_groups(bucket_batch, batch_format="numpy")
    found = [np.stack([np.asarray(b["a"], np.int64), np.asarray(b["b"], np.int64)], axis=1)
             for b in pair_ds.iter_batches(batch_format="numpy") if len(b["a"])]
    pairs = np.unique(np.concatenate(found), axis=0) if found else np.zeros((0, 2), np.int64)
    fetched: dict[int, bytes] = {}

    def fetch(wanted: set[int]) -> dict[int, bytes]:
        missing = frozenset(int(u) for u in wanted) - fetched.keys()
        if missing:
            got = ds.select_columns(["number", "index", "part", "blob", "sigs"]).map_batches(
                signature_batch, fn_kwargs={"owners": owners, "wanted": missing, "width": width},
                batch_format="numpy")
            for b in got.iter_batches(batch_format="numpy"):
                fetched.update((int(u), bytes(s)) for u, s in zip(b["uid"], b["sig"]))
        return {int(u): fetched[int(u)] for u in wanted}

    candidates = np.unique(pairs)
    held = fetch(set(candidates.tolist()))
    sigs = np.frombuffer(b"".join(held[int(u)] for u in candidates), dtype="<u8").reshape(len(candidates), -1) \
        if len(candidates) else np.zeros((0, num_bands * rows), np.uint64)
    edges = bands.verify(pairs, candidates, sigs, threshold)
    return campaigns_from_parts(layout, edges, fetch, threshold, min_repos)
