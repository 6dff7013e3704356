"""Reading the distinct-unit store (unitstore.py): key lists with their edits applied, signatures with their
deltas applied, and every blob's units expanded a batch at a time."""
from __future__ import annotations

import sqlite3
import zlib
from typing import Iterable, Iterator

import numpy as np

from ..cluster import linekey
from ..records import Unit
from . import unitdelta

CACHE = 4096  # decoded key lists kept while reading
CACHE_BYTES = 1 << 20  # and at most this many bytes of them (blob_lists)
# From schema 7 on a unit's kind is stored as a small integer (0 and 1 take no byte in a SQLite record, the others
# one): 31 kB of the history bench's units table was the kinds' text. Schema 4 to 6 states hold the text itself,
# which every reader takes as it is; so does a kind without a code. SQL asks for lines with kind IN ('line', 0).
KIND_CODES = {"line": 0, "function": 1, "class": 2, "block": 3, "file": 4}
KIND_NAMES = {code: kind for kind, code in KIND_CODES.items()}
# From schema 9 on a delta's name is stored as a zero-length BLOB (no byte in a SQLite record; TEXT affinity keeps a
# BLOB as it is) when it is its base's name: versions of a function share it (37 kB of names on the history bench).
SAME_NAME = b""


def kind_name(stored) -> str:
    """A stored kind (its code, or its text) as its name."""
    return KIND_NAMES.get(stored, stored) if isinstance(stored, int) else stored


def unpack_keys(data: bytes) -> np.ndarray:
    return np.frombuffer(data, dtype="<i8")


def needs_base(data: bytes) -> bool:
    """Spans packed with their base version's spans as zlib's preset dictionary (the header's FDICT bit)."""
    return len(data) >= 2 and bool(data[1] & 0x20)


def inflate_spans(data: bytes, base: bytes | None) -> bytes:
    if not needs_base(data):
        return zlib.decompress(data)
    if base is None:
        raise ValueError("spans packed against a base version, but no base given")
    unpacker = zlib.decompressobj(zdict=base[-32768:])
    return unpacker.decompress(data) + unpacker.flush()


def unpack_spans(data: bytes, base: bytes | None = None) -> tuple[np.ndarray, np.ndarray]:
    """(start lines, end lines); `base`: the raw spans of the blob's base version, for spans packed against it."""
    values = np.frombuffer(inflate_spans(data, base), dtype="<i4").astype(np.int64)
    half = len(values) // 2
    lines = np.cumsum(values[:half])
    return lines, lines + values[half:]


def raw_spans(conn: sqlite3.Connection, blob: str, cache: dict | None = None) -> bytes:
    """The blob's spans unpacked to their raw bytes (the dictionary its later versions are packed against)."""
    if cache is not None and blob in cache:
        return cache[blob]
    spans, base = conn.execute("SELECT spans, base FROM blob_units WHERE blob = ?", (blob,)).fetchone()
    spans = bytes(spans)
    out = inflate_spans(spans, raw_spans(conn, base, cache) if needs_base(spans) else None)
    if cache is not None:
        if len(cache) >= CACHE:
            cache.clear()
        cache[blob] = out
    return out


def stored_value(conn: sqlite3.Connection) -> str:
    """The dtype of a stored min-hash value: the low 32 bits in schema 4 and 5 states (read as they are when opened
    read-only), the low 16 bits from schema 6 on (unitstore.py)."""
    return "<u4" if schema(conn) in ("4", "5") else unitdelta.VALUE


def schema(conn: sqlite3.Connection) -> str | None:
    row = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    return row[0] if row is not None else None


def names_in_keys(conn: sqlite3.Connection) -> bool:
    """Whether a line key with no row carries its name (schema 8 on, cluster/linekey.py); in schema 7 such a key is
    a plain line's fingerprint as it is."""
    return schema(conn) not in ("4", "5", "6", "7")


def to_stored(values: bytes, value: str = unitdelta.VALUE) -> bytes:
    """Values stored as `value` cut to the 16 bits every comparison uses (a no-op on a schema-6 state). A whole
    signature tells its own width by its length (a version-3 state may hold 64-bit ones)."""
    if len(values) in (4 * unitdelta.NUM_VALUES, 8 * unitdelta.NUM_VALUES):
        value = f"<u{len(values) // unitdelta.NUM_VALUES}"
    if value == unitdelta.VALUE:
        return bytes(values)
    return np.frombuffer(values, dtype=value).astype(unitdelta.VALUE).tobytes()


def widen(kind: str, stored: bytes, value: str = unitdelta.VALUE) -> bytes:
    """Stored min-hashes as the uint64 signature bytes a Unit carries (each the value's low 16 bits, zero-extended);
    lines as they are."""
    if kind == "line":
        return bytes(stored)
    return np.frombuffer(to_stored(stored, value), dtype=unitdelta.VALUE).astype("<u8").tobytes()


def full_keys(conn: sqlite3.Connection, blob: str, cache: dict | None = None) -> np.ndarray:
    """The blob's whole key list, its edits applied."""
    if cache is not None and blob in cache:
        return cache[blob]
    keys, base = conn.execute("SELECT keys, base FROM blob_units WHERE blob = ?", (blob,)).fetchone()
    out = unpack_keys(keys) if base is None else unitdelta.apply_edit(full_keys(conn, base, cache), keys)
    if cache is not None:
        if len(cache) >= CACHE:
            cache.clear()
        cache[blob] = out
    return out


def narrow_signatures(conn: sqlite3.Connection, keys: list[int],
                      names: dict[int, str | None] | None = None) -> dict[int, tuple[bytes, int]]:
    """key -> (signature with its deltas applied, as 16-bit values; delta depth). With `names`, each key's name is put
    there too, a name stored as SAME_NAME taken from its base."""
    value = stored_value(conn)
    rows: dict[int, tuple] = {}
    want = set(keys)
    while want:
        todo = sorted(want - set(rows))
        for start in range(0, len(todo), 500):
            chunk = todo[start:start + 500]
            marks = ",".join("?" * len(chunk))
            for key, signature, base, depth, name in conn.execute(
                    f"SELECT key, signature, base, depth, name FROM units WHERE key IN ({marks})", chunk):
                rows[key] = (bytes(signature), base, depth, name)
        want = {r[1] for r in rows.values() if r[1] is not None and r[1] not in rows}
    if names is not None:
        _names(rows, keys, names)
    out: dict[int, tuple[bytes, int]] = {}
    # Each key's chain of bases, resolved from the first one known. Not a recursive closure: a function holding
    # itself is a reference cycle, and every row read here would wait for the cyclic collector.
    for key in keys:
        chain = []
        while key in rows and key not in out:
            chain.append(key)
            key = rows[key][1]
            if key is None:
                break
        for key in reversed(chain):
            signature, base, depth, _name = rows[key]
            out[key] = (signature if base is None else unitdelta.apply_sig_delta(out[base][0], signature, value),
                        depth)
    if value != unitdelta.VALUE:
        return {key: (to_stored(sig, value), depth) for key, (sig, depth) in out.items()}
    return out


def _names(rows: dict[int, tuple], keys: list[int], names: dict[int, str | None]) -> None:
    """Each key's name, a SAME_NAME taken from its base (rows: key -> (signature, base, depth, name))."""
    for key in keys:
        chain = []
        while key in rows and key not in names:
            chain.append(key)
            if not _same(rows[key][3]) or rows[key][1] is None:
                break
            key = rows[key][1]
        for key in reversed(chain):
            name, base = rows[key][3], rows[key][1]
            names[key] = names.get(base) if _same(name) and base is not None else name


def _same(name) -> bool:
    return isinstance(name, bytes) and name == SAME_NAME


def plain_line(kind: str, name: str | None, tokens: int, signature: bytes) -> bool:
    """A line fingerprint without a name: in schema 7 the only line whose key is its fingerprint, with no row."""
    return kind == "line" and name is None and int(tokens or 0) == 1 and len(signature) == 8


def keyed_line(kind: str, name: str | None, tokens: int, signature: bytes) -> bool:
    """A line unit whose fingerprint carries its name (linekey.py): from schema 8 on its key is the fingerprint and
    it has no row, whatever its name."""
    return kind == "line" and int(tokens or 0) == 1 and linekey.named(signature, name)


def line_of(key: int, named: bool = True) -> tuple:
    """(kind, name, tokens, signature) of a key with no row in `units`: a line, its key its fingerprint, its name in
    the key's low bits (named: schema 8 on) or none (a schema-7 plain line)."""
    return "line", linekey.name_of(int(key)) if named else None, 1, int(key).to_bytes(8, "little", signed=True)


def distinct_units(conn: sqlite3.Connection, keys: Iterable[int]) -> dict[int, tuple]:
    """key -> (kind, name, tokens, signature bytes) for these keys (a key with no row: a line, see line_of)."""
    keys = sorted(set(int(k) for k in keys))
    value = stored_value(conn)
    named = names_in_keys(conn)
    out: dict[int, tuple] = {}
    deltas: list[int] = []
    for start in range(0, len(keys), 500):
        chunk = keys[start:start + 500]
        marks = ",".join("?" * len(chunk))
        for key, kind, name, tokens, signature, base in conn.execute(
                f"SELECT key, kind, name, tokens, signature, base FROM units WHERE key IN ({marks})", chunk):
            kind = kind_name(kind)
            out[key] = (kind, name, tokens or 0, None if base is not None else widen(kind, signature, value))
            if base is not None:
                deltas.append(key)
    for key in keys:
        if key not in out:
            out[key] = line_of(key, named)
    if deltas:
        names: dict[int, str | None] = {}
        resolved = narrow_signatures(conn, deltas, names)
        for key in deltas:
            kind, _name, tokens, _ = out[key]
            out[key] = (kind, names[key], tokens, widen(kind, resolved[key][0]))
    return out


class _Budget(dict):
    """A cache of decoded base versions emptied when it passes CACHE_BYTES: blobs come in name order, so the bases
    a pass decodes are spread over the whole pass, and keeping every one held memory in proportion to the state
    (a base dropped is decoded again when a later version asks for it)."""

    def __init__(self):
        super().__init__()
        self.size = 0

    def __setitem__(self, blob, value) -> None:
        size = getattr(value, "nbytes", None) or len(value)
        if self.size + size > CACHE_BYTES:
            self.clear()
            self.size = 0
        self.size += size
        super().__setitem__(blob, value)


def blob_lists(conn: sqlite3.Connection) -> Iterator[tuple[str, np.ndarray, np.ndarray, np.ndarray]]:
    """(blob, keys, lines, end_lines) per blob, in blob order."""
    cache: dict = _Budget()
    span_cache: dict = _Budget()
    for blob, keys, spans, base in conn.execute("SELECT blob, keys, spans, base FROM blob_units ORDER BY blob"):
        spans = bytes(spans)
        lines, ends = unpack_spans(spans, raw_spans(conn, base, span_cache) if needs_base(spans) else None)
        full = unpack_keys(keys) if base is None else unitdelta.apply_edit(full_keys(conn, base, cache), keys)
        yield blob, full, lines, ends


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
