"""Campaign units stored once per distinct content: `units` holds each distinct unit (keyed by a 64-bit hash of
its kind, name, token count and signature) once; `blob_units` gives each blob the keys it holds (in unit order) and
their line spans (zlib-packed int32 deltas). A blob's key list is stored as an edit of a neighbouring version's
(same repository and path, nearest in time) and a new unit's min-hashes as the values that differ from its
namesake's in that version (unitdelta.py): what a version adds is what it costs. From schema 7 on a plain line
fingerprint is its own key and has no row (unit_key), and a kind is stored as a small integer (unitread.KIND_CODES);
from schema 8 on so is every line fingerprint, its name in its low bits (cluster/linekey.py); from schema 9 on a
delta named as its base stores its name as unitread.SAME_NAME.

A MinHash signature is stored as the low 16 bits of each of its 128 values (b-bit MinHash, Li & Koenig 2010): 256
bytes whole, a delta 16 bytes of positions plus 2 bytes a differing value. Every comparison the campaigns make
(band keys, verified links, attach, similarity) uses these 16-bit values, also for signatures computed without a
state (cluster/minhash.stored), so all of them agree with each other. The cost: two values that differ in full
agree in their low 16 bits with probability 2^-16, so an estimated Jaccard J' = (equal values)/128 is the full
estimate plus at most (1 - J) * 2^-16 in expectation (< 1.6e-5), and it moves by a whole 1/128 step only when
one of the differing values collides: probability <= 128 * 2^-16 < 0.2 % per pair, which changes a link only for a
pair exactly one value below the threshold. A band (5 values) collides by chance with probability 2^-80: it only
adds a candidate, which verification then drops."""
from __future__ import annotations

import sqlite3
import zlib
from typing import Iterable

import numpy as np
import xxhash

from . import unitdelta
from ..cluster import linekey
from .unitread import (KIND_CODES, SAME_NAME, expanded, full_keys, keyed_line, narrow_signatures,  # noqa: F401
                       raw_spans, unpack_keys, unpack_spans)

TABLES = """
CREATE TABLE IF NOT EXISTS units (key INTEGER PRIMARY KEY, kind NOT NULL, name TEXT, tokens INTEGER,
    signature BLOB NOT NULL, base INTEGER, depth INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS blob_units (blob TEXT PRIMARY KEY, keys BLOB NOT NULL, spans BLOB NOT NULL, base TEXT,
    depth INTEGER NOT NULL DEFAULT 0);
"""

_SIGNED = 1 << 63
LOOK_BACK = 16  # earlier versions of a file a new version's base is chosen among (_neighbour)


def unit_key(kind: str, name: str | None, tokens: int, signature: bytes) -> int:
    """The distinct-content key of a unit, as a signed 64-bit SQLite integer. A line fingerprint carrying its name
    (kind "line", one token, linekey.py) is its own key and has no row in `units` (unitread.line_of reads it back):
    plain lines from schema 7 on (5.3 k of the 10.6 k distinct units on the history bench, 0.17 MB of rows), comment
    stems, URLs and sentences from schema 8 on (2.4 k rows, 82 kB). It could collide with another unit's hash only
    with probability about 2^-61 per pair."""
    if keyed_line(kind, name, tokens, signature):
        return int.from_bytes(signature, "little", signed=True)
    h = xxhash.xxh64()
    h.update(f"{kind}\0{name if name is not None else chr(1)}\0{int(tokens or 0)}\0".encode("utf-8", "surrogatepass"))
    h.update(signature)
    value = h.intdigest()
    return value - (1 << 64) if value >= _SIGNED else value


def pack_keys(keys: Iterable[int]) -> bytes:
    return np.fromiter(keys, dtype="<i8").tobytes()


def pack_spans(lines: list[int], ends: list[int], base: bytes | None = None) -> bytes:
    """Start lines as deltas from the previous unit's, end lines as offsets from their start: small numbers that
    zlib packs to about a byte a unit. With `base` (the raw spans of the version the key list is an edit of) as
    zlib's preset dictionary, what did not move between the versions costs a back-reference."""
    return pack_raw_spans(span_bytes(lines, ends), base)


def span_bytes(lines: list[int], ends: list[int]) -> bytes:
    """The raw spans pack_spans packs (what unitread.raw_spans gives back)."""
    start = np.asarray(lines, dtype=np.int64)
    delta = np.diff(start, prepend=0)
    width = np.asarray(ends, dtype=np.int64) - start
    return np.concatenate([delta, width]).astype("<i4").tobytes()


def pack_raw_spans(raw: bytes, base: bytes | None = None) -> bytes:
    if not base:
        return zlib.compress(raw, 6)
    packer = zlib.compressobj(6, zdict=base[-32768:])
    return packer.compress(raw) + packer.flush()


def _narrow(kind: str, signature: bytes) -> bytes:
    """A min-hash signature's stored values (low 16 bits of each); a line fingerprint whole."""
    if kind == "line":
        return signature
    return np.frombuffer(signature, dtype="<u8").astype(unitdelta.VALUE).tobytes()


class Known(dict):
    """Units of this state a crawl has written or read, by key: (stored 16-bit values, delta depth, name) of a min-hash
    unit, None for a line. A crawl writes a file's versions one after the other, so the version a new one is stored
    against was mostly written moments before: its signatures were read back from SQLite and their deltas applied
    again for every version (0.37 of the 1.07 CPU-s the history bench's unit writes cost). Emptied when full, and by
    the writer when a transaction fails (its rows are gone)."""

    LIMIT = 1 << 16
    LISTS = 512  # and the whole key lists and raw spans of the blobs it wrote or decoded last (bases of the next)

    def __init__(self, *args):
        super().__init__(*args)
        self.lists: dict[str, np.ndarray] = {}
        self.spans: dict[str, bytes] = {}

    def put(self, key: int, value) -> None:
        if len(self) >= self.LIMIT:
            super().clear()
        self[key] = value

    def lines(self, keys: Iterable[int]) -> None:
        """put(key, None) for each of these keys (lines: no row, nothing to read back)."""
        for key in keys:
            if len(self) >= self.LIMIT:
                super().clear()
            self[key] = None

    def clear(self) -> None:
        super().clear()
        self.lists.clear()
        self.spans.clear()

    def caches(self) -> tuple[dict, dict]:
        """full_keys' and raw_spans' caches, emptied when full."""
        for cache in (self.lists, self.spans):
            if len(cache) >= self.LISTS:
                cache.clear()
        return self.lists, self.spans


def write(conn: sqlite3.Connection, per_blob: dict[str, list[tuple]], known: Known | None = None) -> None:
    """per_blob: blob -> [(kind, name, line, end_line, tokens, signature), ...] in unit order. A blob already
    holding units keeps them (units depend on the syntax tree, not on the rules). `known`: see Known.

    Blobs are written in the order of their first occurrence (repository, path, commit time, blob), each file's
    versions oldest first, whatever the batch holds: a crawl reads them in that order, so the rows do not depend on
    where its timer cut the batches (in blob-id order they did: which version was stored first, and so became
    another's base, changed from run to run)."""
    have: set[str] = set()
    first: dict[str, tuple] = {}
    names = list(per_blob)
    for start in range(0, len(names), 500):
        chunk = names[start:start + 500]
        marks = ",".join("?" * len(chunk))
        have.update(r[0] for r in conn.execute(f"SELECT blob FROM blob_units WHERE blob IN ({marks})", chunk))
        for blob, repo, path, ts in conn.execute(
                f"SELECT blob, repo, path, COALESCE(ts, 0) FROM occurrences WHERE blob IN ({marks})", chunk):
            place = (repo, path, ts)
            if blob not in first or place < first[blob]:
                first[blob] = place
    for blob in sorted(names, key=lambda b: (b not in first, first.get(b, ()), b)):
        if blob not in have:
            _write_blob(conn, blob, per_blob[blob], known)


def _neighbour(conn: sqlite3.Connection, blob: str) -> tuple[str, int] | None:
    """The stored version of the same file (same repository and path) the blob's key list is an edit of, with its
    delta depth: among the versions before it, the nearest whose blob id is smaller (its parent in a treap whose
    priorities are the blob ids, random), else the one just before it; with none before it, the nearest after it.

    Only versions before the blob count, and a crawl stores a file's versions oldest first (write), so the choice
    does not depend on how the crawl's batches were cut. Always taking the version just before chains the versions
    into the depth limit, a whole list every MAX_DEPTH + 1 versions (s8: 410 kB of blob_units on the history bench
    against 299 in the old timing-dependent order); a treap's depth grows as the log of the number of versions."""
    rows = conn.execute(
        "SELECT o2.blob, b.depth FROM occurrences o1 JOIN occurrences o2 ON o2.repo = o1.repo AND o2.path = o1.path "
        "AND o2.blob != o1.blob JOIN blob_units b ON b.blob = o2.blob WHERE o1.blob = ? "
        "AND (COALESCE(o2.ts, 0), o2.blob) < (COALESCE(o1.ts, 0), o1.blob) "
        "ORDER BY COALESCE(o2.ts, 0) DESC, o2.blob DESC LIMIT ?", (blob, LOOK_BACK)).fetchall()
    for other, depth in rows:
        if other < blob and depth < unitdelta.MAX_DEPTH:
            return other, depth
    if rows:
        return rows[0]
    return conn.execute(
        "SELECT o2.blob, b.depth FROM occurrences o1 JOIN occurrences o2 ON o2.repo = o1.repo AND o2.path = o1.path "
        "AND o2.blob != o1.blob JOIN blob_units b ON b.blob = o2.blob WHERE o1.blob = ? "
        "ORDER BY ABS(COALESCE(o2.ts, 0) - COALESCE(o1.ts, 0)), b.depth, o2.blob LIMIT 1", (blob,)).fetchone()


def _write_blob(conn: sqlite3.Connection, blob: str, units: list[tuple], known: Known | None = None) -> None:
    listed, plain = _keys(units)
    keys = np.array(listed, dtype=np.int64)
    near = _neighbour(conn, blob)
    lists, spans_of = known.caches() if known is not None else (None, None)
    base_keys = full_keys(conn, near[0], lists) if near else None
    _write_units(conn, units, keys, base_keys, known, plain)
    packed, base, depth = pack_keys(keys.tolist()), None, 0
    if near is not None and near[1] < unitdelta.MAX_DEPTH:
        delta = unitdelta.edit(base_keys, keys)
        if delta is not None:
            packed, base, depth = delta, near[0], near[1] + 1
    raw = span_bytes([u[2] for u in units], [u[3] for u in units])
    spans = pack_raw_spans(raw, raw_spans(conn, base, spans_of) if base else None)
    conn.execute("INSERT OR IGNORE INTO blob_units (blob, keys, spans, base, depth) VALUES (?, ?, ?, ?, ?)",
                 (blob, packed, spans, base, depth))
    if known is not None:  # the next version's base, most likely
        lists[blob] = keys
        spans_of[blob] = raw


def _keys(units: list[tuple]) -> tuple[list[int], list[tuple]]:
    """unit_key of each unit, and the rows of the lines whose fingerprint does not carry their name. A line that
    carries it (nearly every unit of a blob) is keyed here without unit_key's and keyed_line's calls: the same test."""
    codes, mask, line_code = linekey.CODES, linekey.MASK, KIND_CODES.get("line", "line")
    keys: list[int] = []
    plain: list[tuple] = []
    for kind, name, _line, _end, tokens, signature in units:
        if kind == "line" and int(tokens or 0) == 1 and name in codes and len(signature) == 8 \
                and signature[0] & mask == codes[name]:
            keys.append(int.from_bytes(signature, "little", signed=True))
            continue
        key = unit_key(kind, name, tokens, signature)
        keys.append(key)
        if kind == "line":
            plain.append((key, line_code, name, int(tokens or 0), signature))
    return keys, plain


def _write_units(conn: sqlite3.Connection, units: list[tuple], keys: np.ndarray, base_keys,
                 known: Known | None = None, plain: list[tuple] | None = None) -> None:
    """Lines not at all (their key is their fingerprint; only a line whose fingerprint does not carry its name has a
    row, whole: `plain`, from _keys); a new min-hash unit as a
    delta from the most similar unit among the neighbour's and those this blob stored before it (another version of
    the function, its code-only view, the class holding it), when that is smaller."""
    listed = keys.tolist()
    if plain is None:
        plain = _keys(units)[1]
    conn.executemany("INSERT OR IGNORE INTO units (key, kind, name, tokens, signature) VALUES (?, ?, ?, ?, ?)",
                     sorted(plain, key=lambda r: r[0]))
    if known is not None:
        known.lines(key for key, u in zip(listed, units) if u[0] == "line")
    signed = {key: u for key, u in zip(listed, units) if u[0] != "line"}
    ask = [key for key in signed if known is None or key not in known]
    if not ask:
        return
    marks = ",".join("?" * len(ask))
    stored = {r[0] for r in conn.execute(f"SELECT key FROM units WHERE key IN ({marks})", ask)}
    fresh = {k: signed[k] for k in ask if k not in stored}
    if not fresh:
        return
    pool = _Pool(conn, base_keys, len(fresh), known)
    rows = []
    for key, (kind, name, _line, _end, tokens, signature) in fresh.items():
        narrow = _narrow(kind, signature)
        code = KIND_CODES.get(kind, kind)
        row = (key, code, name, int(tokens or 0), narrow, None, 0)
        found = pool.nearest(narrow)
        if found is not None:
            base, base_sig, depth, base_name = found
            delta = unitdelta.sig_delta(base_sig, narrow)
            if delta is not None:
                stored_name = SAME_NAME if name is not None and name == base_name else name
                row = (key, code, stored_name, int(tokens or 0), delta, base, depth + 1)
        pool.add(key, narrow, row[6], name)
        rows.append(row)
        if known is not None:
            known.put(key, (narrow, row[6], name))
    conn.executemany("INSERT OR IGNORE INTO units (key, kind, name, tokens, signature, base, depth) "
                     "VALUES (?, ?, ?, ?, ?, ?, ?)", sorted(rows, key=lambda r: r[0]))


class _Pool:
    """Signatures a new unit may be stored as a delta of: the neighbour version's min-hash units (below the depth
    limit) and the units stored for this blob so far."""

    def __init__(self, conn: sqlite3.Connection, base_keys, room: int, known: Known | None = None):
        pooled: dict[int, tuple[bytes, int, str | None]] = {}
        if base_keys is not None and len(base_keys):
            wanted = sorted(set(base_keys.tolist()))
            if known is not None:
                for key in wanted:
                    value = known.get(key)
                    if value is not None and value[1] < unitdelta.MAX_DEPTH:
                        pooled[key] = value
                wanted = [key for key in wanted if key not in known]
            found: list[tuple[int, int]] = []
            for start in range(0, len(wanted), 500):
                chunk = wanted[start:start + 500]
                marks = ",".join("?" * len(chunk))
                found += conn.execute(f"SELECT key, depth FROM units WHERE key IN ({marks}) "
                                      f"AND kind NOT IN ('line', 0) "
                                      f"AND depth < ?", (*chunk, unitdelta.MAX_DEPTH)).fetchall()
            names: dict[int, str | None] = {}
            sigs = narrow_signatures(conn, [k for k, _ in found], names)
            for key, depth in found:
                pooled[key] = (sigs[key][0], depth, names.get(key))
                if known is not None:
                    known.put(key, pooled[key])
        self.keys = sorted(pooled)  # key order, the order SQLite's IN gives them
        self.names = {key: pooled[key][2] for key in self.keys}
        self.depths = np.array([pooled[k][1] for k in self.keys] + [0] * room, dtype=np.int64)
        self.sigs = np.zeros((len(self.keys) + room, unitdelta.NUM_VALUES), dtype=unitdelta.VALUE)
        for i, key in enumerate(self.keys):
            self.sigs[i] = np.frombuffer(pooled[key][0], dtype=unitdelta.VALUE)

    def nearest(self, narrow: bytes) -> tuple[int, bytes, int, str | None] | None:
        """(key, signature, depth, name) of the pooled unit sharing the most values (ties: the shallowest)."""
        n = len(self.keys)
        values = np.frombuffer(narrow, dtype=unitdelta.VALUE)
        if not n or len(values) != self.sigs.shape[1]:
            return None
        same = (self.sigs[:n] == values).sum(axis=1) * (unitdelta.MAX_DEPTH + 1) - self.depths[:n]
        best = int(np.argmax(same))
        key = self.keys[best]
        return key, self.sigs[best].tobytes(), int(self.depths[best]), self.names.get(key)

    def add(self, key: int, narrow: bytes, depth: int, name: str | None) -> None:
        values = np.frombuffer(narrow, dtype=unitdelta.VALUE)
        if depth >= unitdelta.MAX_DEPTH or len(values) != self.sigs.shape[1]:
            return
        n = len(self.keys)
        self.sigs[n] = values
        self.depths[n] = depth
        self.keys.append(key)
        self.names[key] = name
