"""Campaigns from a crawl state in bounded memory: clustering works on DISTINCT units (each stored once), never on a
unit per blob. Band keys go to one file per band and are grouped a band at a time; candidate pairs are verified
against signatures in a memory-mapped file, a chunk at a time; only verified pairs reach the component search.
Only the units of groups that span repositories are then expanded into the blobs holding them, a batch of groups
at a time (batched.py).

Incremental on a writable state: verified links are kept in `cluster_unit_links` and the units already indexed in
`cluster_unit_done`; a later run verifies only candidate pairs that involve a unit added since."""
from __future__ import annotations

import sqlite3
import tempfile
from pathlib import Path

import numpy as np

from ..state.unitread import blob_lists, kind_name, narrow_signatures, stored_value, to_stored
from . import lsh, minhash, sigfile
from .attach_scan import loose_candidates
from .blobfacts import Blobs
from .copies import member

CHUNK = 20000  # rows per read of integer columns
VERIFY = 4096  # candidate pairs verified at a time (both sides' signatures: 2 MB each, pages mapped: 32 MB)
SIG_CHUNK = 4096  # distinct units per signature read (their rows, signatures and band keys are held at once)
_TABLES = """
CREATE TABLE IF NOT EXISTS cluster_unit_meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS cluster_unit_done (key INTEGER PRIMARY KEY);
CREATE TABLE IF NOT EXISTS cluster_unit_links (a INTEGER NOT NULL, b INTEGER NOT NULL, PRIMARY KEY (a, b))
    WITHOUT ROWID;
"""


def _column(conn: sqlite3.Connection, sql: str, width: int) -> tuple[np.ndarray, ...]:
    """Integer columns of a query as numpy arrays, read a chunk of rows at a time (no Python row per unit)."""
    parts: list[np.ndarray] = []
    cursor = conn.execute(sql)
    while True:
        rows = cursor.fetchmany(CHUNK)
        if not rows:
            break
        parts.append(np.array(rows, dtype=np.int64).reshape(-1, width))
    table = np.concatenate(parts) if parts else np.zeros((0, width), dtype=np.int64)
    return tuple(table[:, i].copy() for i in range(width))


def _universe(conn: sqlite3.Connection) -> tuple[np.ndarray, np.ndarray]:
    """Every distinct unit's key (sorted) and whether it is a line: the keys of `units` and those the blobs hold
    without a row there (plain lines, whose key is their fingerprint: unitread.line_of)."""
    keys, is_line = _column(conn, "SELECT key, kind IN ('line', 0) FROM units ORDER BY key", 2)
    held: list[np.ndarray] = []
    pending: list[np.ndarray] = []
    for _blob, listed, _lines, _ends in blob_lists(conn):
        pending.append(listed)
        if len(pending) >= 1000:
            held.append(np.unique(np.concatenate(pending)))
            pending.clear()
    if pending:
        held.append(np.unique(np.concatenate(pending)))
    rowless = np.setdiff1d(np.unique(np.concatenate(held)), keys) if held else np.zeros(0, dtype=np.int64)
    if not len(rowless):
        return keys, is_line.astype(bool)
    order = np.argsort(np.concatenate([keys, rowless]), kind="stable")
    return (np.concatenate([keys, rowless.astype(np.int64)])[order],
            np.concatenate([is_line.astype(bool), np.ones(len(rowless), dtype=bool)])[order])


def _spread(conn, keys: np.ndarray, blobs: Blobs) -> tuple[np.ndarray, np.ndarray]:
    """Per distinct unit: the one repository holding it (-1: none yet) and whether more than one does."""
    first = np.full(len(keys), -1, dtype=np.int32)
    multi = np.zeros(len(keys), dtype=bool)
    for bid, (_blob, held, _lines, _ends) in enumerate(blob_lists(conn)):
        repos = blobs.repos_of(bid)
        if not len(repos) or not len(held):
            continue
        idx = np.searchsorted(keys, held)
        if len(repos) > 1:
            multi[idx] = True
            continue
        seen = first[idx]
        multi[idx[(seen >= 0) & (seen != repos[0])]] = True
        first[idx[seen < 0]] = repos[0]
    return first, multi


def _signed_units(conn, tmp: Path, bands: int, rows: int) -> tuple:
    """Keys of the min-hash units (sorted) with their kinds (a small integer code per kind of unit: only compared)
    and token counts, their stored 16-bit values in one file (sigfile.py), and one band-key file per band."""
    keys: list[np.ndarray] = []
    kinds: list[np.ndarray] = []
    tokens: list[np.ndarray] = []
    codes: dict[str, int] = {}
    sig_path = tmp / "signatures.u16"
    band_paths = [tmp / f"band{b}.u64" for b in range(bands)]
    band_files = [open(p, "wb") for p in band_paths]
    value = stored_value(conn)
    try:
        with open(sig_path, "wb") as sig_file:
            cursor = conn.execute("SELECT key, signature, base, kind, tokens FROM units WHERE kind NOT IN ('line', 0) "
                                  "ORDER BY key")
            while True:
                chunk = cursor.fetchmany(SIG_CHUNK)
                if not chunk:
                    break
                kinds.append(np.array([codes.setdefault(kind_name(row[3]), len(codes)) for row in chunk],
                                      dtype=np.int16))
                tokens.append(np.array([row[4] or 0 for row in chunk], dtype=np.int32))
                chunk = [row[:3] for row in chunk]
                deltas = narrow_signatures(conn, [k for k, _, base in chunk if base is not None])
                narrow = np.frombuffer(b"".join(to_stored(s, value) if base is None else deltas[k][0]
                                                for k, s, base in chunk),
                                       dtype="<u2").reshape(len(chunk), -1)
                sig_file.write(narrow.tobytes())
                keys.append(np.array([k for k, _, _ in chunk], dtype=np.int64))
                band_keys = lsh.band_keys(narrow.astype(np.uint64), bands, rows)
                for b, fh in enumerate(band_files):
                    fh.write(np.ascontiguousarray(band_keys[:, b]).tobytes())
    finally:
        for fh in band_files:
            fh.close()
    if not keys:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int16), np.zeros(0, dtype=np.int32), sig_path, \
            band_paths
    return np.concatenate(keys), np.concatenate(kinds), np.concatenate(tokens), sig_path, band_paths


def _verified_edges(sig_path: Path, count: int, band_paths: list[Path], threshold: float,
                    fresh: np.ndarray) -> np.ndarray:
    """Verified links (as unit positions) among candidate pairs that hold a `fresh` unit, a band at a time. Only the
    buckets holding a fresh unit are grouped (whole, in unit order: the pairs candidate_pairs gives over every unit,
    restricted to those), so a run after a crawl that added few units groups few rows, and none when none was added."""
    if count == 0 or not fresh.any():
        return np.zeros((0, 2), dtype=np.int64)
    found = np.zeros(0, dtype=np.int64)  # verified links so far, one code a * count + b each (sorted, distinct)
    every = bool(fresh.all())
    for path in band_paths:
        column = np.fromfile(path, dtype=np.uint64)
        if every:
            pairs = lsh.candidate_pairs(column[:, None])
        else:
            rows = np.flatnonzero(member(column, np.unique(column[fresh])))
            pairs = rows[lsh.candidate_pairs(column[rows][:, None])]
        del column
        pairs = pairs[fresh[pairs[:, 0]] | fresh[pairs[:, 1]]]
        pairs = pairs[~member(pairs[:, 0] * count + pairs[:, 1], found)]  # linked by an earlier band already
        linked = [found]
        for lo in range(0, len(pairs), VERIFY):
            block = pairs[lo:lo + VERIFY]
            sim = minhash.similarity(sigfile.rows(sig_path, count, block[:, 0]),
                                     sigfile.rows(sig_path, count, block[:, 1]))
            block = block[sim >= threshold]
            linked.append(block[:, 0] * count + block[:, 1])
        found = np.unique(np.concatenate(linked))
    return np.stack([found // count, found % count], axis=1)


def _links(conn, signed: np.ndarray, sig_path: Path, band_paths: list[Path], threshold: float, params: str,
           persist: bool) -> np.ndarray:
    """Every verified link as unit positions: the stored ones plus those of units not indexed before."""
    fresh = np.ones(len(signed), dtype=bool)
    stored = np.zeros((0, 2), dtype=np.int64)
    if persist:
        conn.executescript(_TABLES)
        row = conn.execute("SELECT value FROM cluster_unit_meta WHERE key = 'params'").fetchone()
        if row is None or row[0] != params:
            with conn:
                conn.execute("DELETE FROM cluster_unit_done")
                conn.execute("DELETE FROM cluster_unit_links")
                conn.execute("INSERT OR REPLACE INTO cluster_unit_meta VALUES ('params', ?)", (params,))
        (done,) = _column(conn, "SELECT key FROM cluster_unit_done ORDER BY key", 1)
        fresh = ~np.isin(signed, done)
        del done
        pairs = np.stack(_column(conn, "SELECT a, b FROM cluster_unit_links", 2), axis=1)
        if len(pairs):
            ia, ib = np.searchsorted(signed, pairs[:, 0]), np.searchsorted(signed, pairs[:, 1])
            ok = (ia < len(signed)) & (ib < len(signed))
            ok[ok] &= (signed[ia[ok]] == pairs[ok, 0]) & (signed[ib[ok]] == pairs[ok, 1])
            stored = np.stack([ia[ok], ib[ok]], axis=1)
    new = _verified_edges(sig_path, len(signed), band_paths, threshold, fresh)
    if persist:
        with conn:
            conn.executemany("INSERT OR IGNORE INTO cluster_unit_links VALUES (?, ?)",
                             ((int(signed[a]), int(signed[b])) for a, b in new.tolist()))
            conn.executemany("INSERT OR IGNORE INTO cluster_unit_done VALUES (?)",
                             ((int(k),) for k in signed[fresh].tolist()))
    edges = np.concatenate([stored, new]) if len(stored) else new
    return np.unique(edges, axis=0) if len(edges) else edges


def _across(edges: np.ndarray, first: np.ndarray, multi: np.ndarray) -> np.ndarray:
    """Links that do not stay inside one repository (both units held by that repository alone), as in
    corpus.unit_groups."""
    if not len(edges):
        return edges
    a, b = edges[:, 0], edges[:, 1]
    return edges[~(~multi[a] & ~multi[b] & (first[a] == first[b]))]


def _components(count: int, edges: np.ndarray) -> np.ndarray:
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    graph = coo_matrix((np.ones(len(edges), dtype=np.int8), (edges[:, 0], edges[:, 1])), shape=(count, count))
    return connected_components(graph, directed=False)[1]


def _spanning(labels: np.ndarray, first: np.ndarray, multi: np.ndarray) -> np.ndarray:
    """Per unit: whether its component is held by two or more repositories."""
    n = labels.max() + 1 if len(labels) else 0
    any_multi = np.zeros(n, dtype=bool)
    np.logical_or.at(any_multi, labels, multi)
    held = first >= 0
    low = np.full(n, np.iinfo(np.int32).max, dtype=np.int64)
    high = np.full(n, -1, dtype=np.int64)
    np.minimum.at(low, labels[held], first[held])
    np.maximum.at(high, labels[held], first[held])
    return (any_multi | ((high >= 0) & (low != high)))[labels]


def campaigns(state, threshold: float = lsh.THRESHOLD, min_repos: int = 2) -> list:
    """Campaigns (sorted, highest score first) with the spanning groups expanded a batch at a time (batched.py)."""
    from .batched import campaigns as batched

    conn = state.conn
    blobs = Blobs(conn)
    keys, is_line = _universe(conn)
    first, multi = _spread(conn, keys, blobs)
    bands, rows = lsh.choose_bands(threshold, minhash.NUM_PERM)
    params = (f"perm={minhash.NUM_PERM} seed={minhash.SEED} threshold={threshold} bands={bands}x{rows} "
              f"bits={minhash.STORED_BITS}")  # links verified on other values are verified again
    with tempfile.TemporaryDirectory(prefix="codescan-campaigns-") as tmp:
        signed, kinds, tokens, sig_path, band_paths = _signed_units(conn, Path(tmp), bands, rows)
        edges = _links(conn, signed, sig_path, band_paths, threshold, params, not getattr(state, "readonly", False))
        where = np.searchsorted(keys, signed)
        held, several = first[where], multi[where]
        del where
        edges = _across(edges, held, several)
        labels = _components(len(signed), edges)
        del edges
        keep = _spanning(labels, held, several)
        del held, several
        lines = keys[is_line & multi]
        del keys, is_line, first, multi  # nothing a distinct unit is held past this point but the signed columns
        offset = int(labels.max()) + 1 if len(labels) else 0
        chosen = np.concatenate([signed[keep], lines])
        chosen_labels = np.concatenate([labels[keep], np.arange(offset, offset + len(lines))]).astype(np.int64)
        del labels, keep, lines
        order = np.argsort(chosen, kind="stable")
        chosen, chosen_labels = chosen[order], chosen_labels[order]
        del order
        # Labels renumbered densely in the same order: the per-group arrays of batched.py are sized by the groups
        # chosen, not by every component of the signed units.
        present, chosen_labels = np.unique(chosen_labels, return_inverse=True)
        offset = int(np.searchsorted(present, offset))
        del present
        units = sigfile.Signed(signed, kinds, tokens, sig_path)  # batched.py narrows it before expanding
        del signed, kinds, tokens

        def scan(flagged, grouped):
            return loose_candidates(flagged, units.keys, units.kinds, units.tokens, units.path, grouped)

        return batched(state, chosen, chosen_labels, offset, units, blobs, min_repos, scan, Path(tmp))
