"""Upgrade older states in place (no re-crawl): version 2's row-per-unit `blob_units` becomes distinct units plus
key lists, oldest blobs first so each can be stored as a delta of the version before it, and the file is
compacted; version 3 (distinct units, whole lists) gains the delta columns; versions 4 and 5 (32-bit min-hash
values) have every signature rewritten with the 16-bit values version 6 stores (version 5 only added ways of packing
that version 4 never used: spans against their base version's, signature deltas against any similar unit); version
6's plain line fingerprints lose their rows, their keys in every key list becoming the fingerprints (version 7);
version 7's named lines lose theirs too, every line's fingerprint carrying its name (version 8); a delta named as its
base no longer repeats the name, nor an occurrence its author date as its committer date (version 9)."""
from __future__ import annotations

import sqlite3

import numpy as np

from ..cluster import linekey
from . import unitdelta, unitread, unitstore

CHUNK = 4096  # units rewritten at a time by the version-5 upgrade

def _columns(conn: sqlite3.Connection, table: str) -> set[str]:
    return {row[1] for row in conn.execute(f"PRAGMA table_info({table})")}


def _upgrade(conn: sqlite3.Connection, expected: tuple[str, ...], version: str, rewrite, vacuum: bool = True) -> None:
    """Run `rewrite(conn)` and set the schema version in one transaction (the upgrade happens whole or not at all),
    unless another process upgraded the state meanwhile; then compact the file (give the old pages back)."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        if conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0] not in expected:
            conn.rollback()  # another process upgraded it meanwhile
            return
        rewrite(conn)
        conn.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (version,))
        conn.commit()
    except BaseException:
        conn.rollback()
        raise
    if vacuum:
        conn.execute("VACUUM")


def upgrade_v5(conn: sqlite3.Connection, version: str) -> None:
    """Versions 4 and 5 stored the low 32 bits of each min-hash value; version 6 stores the low 16 (unitstore.py).
    Every min-hash unit is rewritten, whole or as a delta of the same base as before (the values that differ in 16
    bits are a subset of those that differ in 32), into a new table in key order; keys, key lists and spans stay as
    they are, so blobs crawled later share units with the upgraded ones. The file is then compacted."""
    _upgrade(conn, ("4", "5"), version, _upgrade_v5_rows)


def _upgrade_v5_rows(conn: sqlite3.Connection) -> None:
    conn.execute("DROP TABLE IF EXISTS units_v6")
    conn.execute(unitstore.TABLES.split(";")[0].replace("IF NOT EXISTS units ", "units_v6 "))
    cursor = conn.execute("SELECT key, kind, name, tokens, signature, base, depth FROM units ORDER BY key")
    while True:
        rows = cursor.fetchmany(CHUNK)
        if not rows:
            break
        signed = [r[0] for r in rows if r[1] != "line"] + [r[5] for r in rows if r[5] is not None]
        values = unitread.narrow_signatures(conn, signed)  # resolved, cut to 16 bits
        out = []
        for key, kind, name, tokens, signature, base, depth in rows:
            if kind != "line":
                signature = values[key][0]
                delta = unitdelta.sig_delta(values[base][0], signature) if base is not None else None
                base, depth = (base, depth) if delta is not None else (None, 0)
                signature = delta if delta is not None else signature
            out.append((key, kind, name, tokens, signature, base, depth))
        conn.executemany("INSERT INTO units_v6 VALUES (?, ?, ?, ?, ?, ?, ?)", out)
    conn.execute("DROP TABLE units")
    conn.execute("ALTER TABLE units_v6 RENAME TO units")
    compact_tables(conn)


def upgrade_v6(conn: sqlite3.Connection, version: str) -> None:
    """Version 6 kept a row per plain line fingerprint, keyed by a hash of it, and kinds as text; from version 7 on such
    a line's key is the fingerprint itself and it has no row (unitstore.unit_key), and kinds are small integers
    (unitread.KIND_CODES), and a delta where fewer than 16 values differ has its positions as bytes
    (unitdelta.repacked). Every key list is rewritten: a whole list key by
    key, an edit of its base's list only in its literal keys (a run copies positions of the base's list, rewritten
    the same way). Stem lines and min-hash units keep their keys, so cluster tables stay valid."""
    _upgrade(conn, ("6",), version, _upgrade_v6_rows)


def _upgrade_v6_rows(conn: sqlite3.Connection) -> None:
    old, new = [], []
    for key, kind, name, tokens, signature in conn.execute(
            "SELECT key, kind, name, tokens, signature FROM units WHERE kind = 'line' ORDER BY key"):
        if unitread.plain_line(kind, name, tokens, bytes(signature)):
            old.append(key)
            new.append(int.from_bytes(bytes(signature), "little", signed=True))
    old_keys, new_keys = np.array(old, dtype=np.int64), np.array(new, dtype=np.int64)

    def mapped(keys: np.ndarray) -> np.ndarray:
        if not len(old_keys) or not len(keys):
            return keys
        at = np.minimum(np.searchsorted(old_keys, keys), len(old_keys) - 1)
        return np.where(old_keys[at] == keys, new_keys[at], keys)

    _rewrite_lists(conn, mapped)
    conn.execute("DROP TABLE IF EXISTS units_v7")  # the rest, kinds as their codes, into a new table in key order
    conn.execute(unitstore.TABLES.split(";")[0].replace("IF NOT EXISTS units ", "units_v7 "))
    plain = set(old)
    cursor = conn.execute("SELECT key, kind, name, tokens, signature, base, depth FROM units ORDER BY key")
    while True:
        rows = cursor.fetchmany(CHUNK)
        if not rows:
            break
        conn.executemany("INSERT INTO units_v7 VALUES (?, ?, ?, ?, ?, ?, ?)",
                         [(r[0], unitread.KIND_CODES.get(r[1], r[1]), r[2], r[3],
                           r[4] if r[5] is None else unitdelta.repacked(bytes(r[4])), r[5], r[6])
                          for r in rows if r[0] not in plain])
    conn.execute("DROP TABLE units")
    conn.execute("ALTER TABLE units_v7 RENAME TO units")


def _rewrite_lists(conn: sqlite3.Connection, mapped) -> None:
    """Every key list with its keys replaced by mapped(keys): a whole list key by key, an edit of its base's list
    only in its literal keys (a run copies positions of the base's list, rewritten the same way). A chunk of rows at
    a time, by rowid."""
    last = -1
    while True:
        rows = conn.execute("SELECT rowid, keys, base FROM blob_units WHERE rowid > ? ORDER BY rowid LIMIT ?",
                            (last, CHUNK)).fetchall()
        if not rows:
            return
        out = []
        for rowid, keys, base in rows:
            keys = bytes(keys)
            if base is None:
                packed = unitstore.pack_keys(mapped(unitread.unpack_keys(keys)).tolist())
            else:
                size = int.from_bytes(keys[:4], "little")
                literals = np.frombuffer(keys[4 + size:], dtype="<i8")
                packed = keys[:4 + size] + mapped(literals).astype("<i8").tobytes()
            out.append((packed, rowid))
        conn.executemany("UPDATE blob_units SET keys = ? WHERE rowid = ?", out)
        last = rows[-1][0]


def upgrade_v7(conn: sqlite3.Connection, version: str) -> None:
    """Version 7 kept a row per named line (comment stem, URL, sentence: 2.4 k rows, 82 kB of the history bench's
    1.40 MB state) keyed by a hash of it, and a plain line's key was its fingerprint as hashed; from version 8 on
    every line's fingerprint carries its name in its low bits (cluster/linekey.py) and is its key, with no row. Every
    key list is rewritten (named lines to their new keys, plain ones to their low bits cleared, min-hash units as
    they are, so cluster tables stay valid), the named lines' rows are dropped, and the file is compacted."""
    _upgrade(conn, ("7",), version, _upgrade_v7_rows)


def _upgrade_v7_rows(conn: sqlite3.Connection) -> None:
    old, new = [], []
    for key, name, tokens, signature in conn.execute(
            "SELECT key, name, tokens, signature FROM units WHERE kind IN ('line', 0) ORDER BY key"):
        signature = bytes(signature)
        if name in linekey.CODES and int(tokens or 0) == 1 and len(signature) == 8:
            old.append(key)
            new.append(int.from_bytes(linekey.mark(int.from_bytes(signature, "little"), name), "little", signed=True))
    old_keys, new_keys = np.array(old, dtype=np.int64), np.array(new, dtype=np.int64)
    (rows,) = np.array(conn.execute("SELECT key FROM units ORDER BY key").fetchall(), dtype=np.int64).reshape(1, -1)
    plain = np.int64(~linekey.MASK)

    def mapped(keys: np.ndarray) -> np.ndarray:
        if not len(keys):
            return keys
        out = keys & plain  # a key with no row: a plain line, its fingerprint's low bits cleared
        if len(rows):
            at = np.minimum(np.searchsorted(rows, keys), len(rows) - 1)
            out = np.where(rows[at] == keys, keys, out)
        if len(old_keys):
            at = np.minimum(np.searchsorted(old_keys, keys), len(old_keys) - 1)
            out = np.where(old_keys[at] == keys, new_keys[at], out)
        return out

    _rewrite_lists(conn, mapped)
    for start in range(0, len(old), 500):
        chunk = old[start:start + 500]
        conn.execute(f"DELETE FROM units WHERE key IN ({','.join('?' * len(chunk))})", chunk)


def upgrade_v8(conn: sqlite3.Connection, version: str) -> None:
    """Version 8 stored every min-hash unit's name in full, and every occurrence's committer date; from version 9 on
    a delta named as its base stores unitread.SAME_NAME (no byte) instead, and a committer date equal to the author
    date is NULL (queries._OCC): such names and dates are replaced, and the file is compacted."""
    _upgrade(conn, ("8",), version, _upgrade_v8_rows)


def _upgrade_v8_rows(conn: sqlite3.Connection) -> None:
    same = [key for (key,) in conn.execute(
        "SELECT u.key FROM units u JOIN units b ON b.key = u.base WHERE u.name IS NOT NULL AND u.name = b.name "
        "ORDER BY u.key")]  # every name in a version-8 state is whole: compared before any is replaced
    for start in range(0, len(same), 500):
        chunk = same[start:start + 500]
        conn.execute(f"UPDATE units SET name = ? WHERE key IN ({','.join('?' * len(chunk))})",
                     (unitread.SAME_NAME, *chunk))
    conn.execute("UPDATE occurrences SET committer_date = NULL WHERE committer_date = date")


def compact_tables(conn: sqlite3.Connection) -> None:
    """Rebuild schema.COMPACT's rowid tables as the WITHOUT ROWID tables version 6 creates, rows in key order (inside
    the caller's transaction)."""
    from .schema import COMPACT, TABLES

    made = {name: sql for name, sql in conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table'")}
    for table in COMPACT:
        if table not in made or "WITHOUT ROWID" in made[table].upper():
            continue
        create = next(s for s in TABLES.split(";") if f"IF NOT EXISTS {table} (" in s)
        columns = ", ".join(row[1] for row in conn.execute(f"PRAGMA table_info({table})"))
        keys = ", ".join(row[1] for row in sorted(conn.execute(f"PRAGMA table_info({table})"), key=lambda r: r[5])
                         if row[5])
        indexes = [sql for (sql,) in conn.execute("SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? "
                                                  "AND sql IS NOT NULL", (table,))]
        conn.execute(f"ALTER TABLE {table} RENAME TO {table}_rowid")
        conn.execute(create)
        conn.execute(f"INSERT OR IGNORE INTO {table} ({columns}) SELECT {columns} FROM {table}_rowid "
                     f"WHERE {' AND '.join(f'{k} IS NOT NULL' for k in keys.split(', '))} ORDER BY {keys}")
        conn.execute(f"DROP TABLE {table}_rowid")
        for sql in indexes:
            conn.execute(sql)


def upgrade_v3(conn: sqlite3.Connection) -> None:
    """Version 3 stored every key list and signature whole: rows without a base are exactly that."""
    _upgrade(conn, ("3",), "5", _upgrade_v3_rows, vacuum=False)


def _upgrade_v3_rows(conn: sqlite3.Connection) -> None:
    for table, base in (("units", "INTEGER"), ("blob_units", "TEXT")):
        if "base" not in _columns(conn, table):
            conn.execute(f"ALTER TABLE {table} ADD COLUMN base {base}")
            conn.execute(f"ALTER TABLE {table} ADD COLUMN depth INTEGER NOT NULL DEFAULT 0")


def upgrade_v2(conn: sqlite3.Connection, version: str) -> None:
    """Every blob's unit rows, in idx order, become its key list; each distinct unit is stored once."""
    _upgrade(conn, ("2",), version, _upgrade_v2_rows)


def _upgrade_v2_rows(conn: sqlite3.Connection) -> None:
    if "idx" in _columns(conn, "blob_units"):
        conn.execute("ALTER TABLE blob_units RENAME TO blob_units_v2")
        for statement in unitstore.TABLES.split(";"):
            if statement.strip():
                conn.execute(statement)
        _convert(conn)
        conn.execute("DROP TABLE blob_units_v2")
    compact_tables(conn)
    for table in ("cluster_meta", "cluster_blobs", "cluster_bands", "cluster_links"):  # built from 64-bit
        conn.execute(f"DROP TABLE IF EXISTS {table}")  # min-hashes: rebuilt by the next `campaigns`


def _convert(conn: sqlite3.Connection) -> None:
    order = conn.execute(
        "SELECT b.blob FROM (SELECT DISTINCT blob FROM blob_units_v2) b LEFT JOIN "
        "(SELECT blob, MIN(ts) AS t FROM occurrences GROUP BY blob) o ON o.blob = b.blob ORDER BY o.t, b.blob"
    ).fetchall()
    per_blob: dict[str, list[tuple]] = {}
    for (blob,) in order:
        per_blob[blob] = [(kind, name, line, end_line, tokens or 0, _line_mark(kind, name, tokens, signature))
                          for kind, name, line, end_line, tokens, signature in conn.execute(
                              "SELECT kind, name, line, end_line, tokens, signature FROM blob_units_v2 "
                              "WHERE blob = ? ORDER BY idx", (blob,))]
        unitstore.write(conn, per_blob)
        per_blob.clear()


def _line_mark(kind: str, name: str | None, tokens: int, signature) -> bytes:
    """A version-2 line fingerprint with its name in its low bits, as extraction makes it from version 8 on."""
    signature = bytes(signature or b"")
    if kind == "line" and int(tokens or 0) == 1 and len(signature) == 8 and name in linekey.CODES:
        return linekey.mark(int.from_bytes(signature, "little"), name)
    return signature
