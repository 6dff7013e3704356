"""Campaign units stored once per distinct content: `units` holds each distinct unit (keyed by a 64-bit hash of
its kind, name, token count and signature) once; `blob_units` gives each blob a packed list of the keys it holds
(8 bytes each, in unit order) and their line spans (zlib-packed int32 deltas). A MinHash signature is stored as the
low 32 bits of each value (half the bytes; two values that differ there are still told apart with certainty but
for a 2^-32 chance), and read back zero-extended: signatures read from one state compare with each other as
before."""
from __future__ import annotations

import sqlite3
import zlib
from typing import Iterable, Iterator

import numpy as np
import xxhash

from ..records import Unit

TABLES = """
CREATE TABLE IF NOT EXISTS units (key INTEGER PRIMARY KEY, kind TEXT NOT NULL, name TEXT, tokens INTEGER,
    signature BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS blob_units (blob TEXT PRIMARY KEY, keys BLOB NOT NULL, spans BLOB NOT NULL);
"""

_SIGNED = 1 << 63


def unit_key(kind: str, name: str | None, tokens: int, signature: bytes) -> int:
    """The distinct-content key of a unit, as a signed 64-bit SQLite integer."""
    h = xxhash.xxh64()
    h.update(f"{kind}\0{name if name is not None else chr(1)}\0{int(tokens or 0)}\0".encode("utf-8", "surrogatepass"))
    h.update(signature)
    value = h.intdigest()
    return value - (1 << 64) if value >= _SIGNED else value


def pack_keys(keys: Iterable[int]) -> bytes:
    return np.fromiter(keys, dtype="<i8").tobytes()


def unpack_keys(data: bytes) -> np.ndarray:
    return np.frombuffer(data, dtype="<i8")


def pack_spans(lines: list[int], ends: list[int]) -> bytes:
    """Start lines as deltas from the previous unit's, end lines as offsets from their start: small numbers that
    zlib packs to about a byte a unit."""
    start = np.asarray(lines, dtype=np.int64)
    delta = np.diff(start, prepend=0)
    width = np.asarray(ends, dtype=np.int64) - start
    return zlib.compress(np.concatenate([delta, width]).astype("<i4").tobytes(), 6)


def unpack_spans(data: bytes) -> tuple[np.ndarray, np.ndarray]:
    values = np.frombuffer(zlib.decompress(data), dtype="<i4").astype(np.int64)
    half = len(values) // 2
    lines = np.cumsum(values[:half])
    return lines, lines + values[half:]


def _narrow(kind: str, signature: bytes) -> bytes:
    if kind == "line":
        return signature
    return np.frombuffer(signature, dtype="<u8").astype("<u4").tobytes()


def _widen(kind: str, stored: bytes) -> bytes:
    if kind == "line":
        return bytes(stored)
    return np.frombuffer(stored, dtype="<u4").astype("<u8").tobytes()


def write(conn: sqlite3.Connection, per_blob: dict[str, list[tuple]]) -> None:
    """per_blob: blob -> [(kind, name, line, end_line, tokens, signature), ...] in unit order. A blob already
    holding units keeps them (units depend on the syntax tree, not on the rules)."""
    blobs = sorted(per_blob)
    have: set[str] = set()
    for start in range(0, len(blobs), 500):
        chunk = blobs[start:start + 500]
        marks = ",".join("?" * len(chunk))
        have.update(r[0] for r in conn.execute(f"SELECT blob FROM blob_units WHERE blob IN ({marks})", chunk))
    distinct: dict[int, tuple] = {}
    rows = []
    for blob in blobs:
        if blob in have:
            continue
        units = per_blob[blob]
        keys = []
        for kind, name, _line, _end, tokens, signature in units:
            key = unit_key(kind, name, tokens, signature)
            keys.append(key)
            if key not in distinct:
                distinct[key] = (key, kind, name, int(tokens or 0), _narrow(kind, signature))
        rows.append((blob, pack_keys(keys), pack_spans([u[2] for u in units], [u[3] for u in units])))
    conn.executemany("INSERT OR IGNORE INTO units (key, kind, name, tokens, signature) VALUES (?, ?, ?, ?, ?)",
                     distinct.values())
    conn.executemany("INSERT OR IGNORE INTO blob_units (blob, keys, spans) VALUES (?, ?, ?)", rows)


def distinct_units(conn: sqlite3.Connection, keys: Iterable[int]) -> dict[int, tuple]:
    """key -> (kind, name, tokens, signature bytes) for these keys."""
    keys = sorted(set(int(k) for k in keys))
    out: dict[int, tuple] = {}
    for start in range(0, len(keys), 500):
        chunk = keys[start:start + 500]
        marks = ",".join("?" * len(chunk))
        for key, kind, name, tokens, signature in conn.execute(
                f"SELECT key, kind, name, tokens, signature FROM units WHERE key IN ({marks})", chunk):
            out[key] = (kind, name, tokens or 0, _widen(kind, signature))
    return out


def blob_lists(conn: sqlite3.Connection) -> Iterator[tuple[str, np.ndarray, np.ndarray, np.ndarray]]:
    """(blob, keys, lines, end_lines) per blob, in blob order."""
    for blob, keys, spans in conn.execute("SELECT blob, keys, spans FROM blob_units ORDER BY blob"):
        lines, ends = unpack_spans(spans)
        yield blob, unpack_keys(keys), lines, ends


def expanded(conn: sqlite3.Connection, batch: int = 2000) -> Iterator[tuple[str, int, Unit]]:
    """(blob, idx, Unit) for every unit every blob holds, in (blob, idx) order; distinct units are looked up a
    batch of blobs at a time, so only that batch's units are in memory."""
    pending: list[tuple] = []

    def emit() -> Iterator[tuple[str, int, Unit]]:
        known = distinct_units(conn, (int(k) for _, keys, _, _ in pending for k in keys))
        for blob, keys, lines, ends in pending:
            for idx, (key, line, end) in enumerate(zip(keys.tolist(), lines.tolist(), ends.tolist())):
                kind, name, tokens, signature = known[key]
                yield blob, idx, Unit(kind, line, end, signature, name, tokens)
        pending.clear()

    for item in blob_lists(conn):
        pending.append(item)
        if len(pending) >= batch:
            yield from emit()
    yield from emit()
