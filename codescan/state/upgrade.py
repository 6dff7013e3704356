"""Upgrade older states in place (no re-crawl): version 2's row-per-unit `blob_units` becomes distinct units plus
key lists, oldest blobs first so each can be stored as a delta of the version before it, and the file is
compacted; version 3 (distinct units, whole lists) gains the delta columns; version 4 is read as it is (version 5
only adds ways of packing: spans against their base version's, signature deltas against any similar unit)."""
from __future__ import annotations

import sqlite3

from . import unitstore

def _columns(conn: sqlite3.Connection, table: str) -> set[str]:
    return {row[1] for row in conn.execute(f"PRAGMA table_info({table})")}


def upgrade_v4(conn: sqlite3.Connection, version: str) -> None:
    """Every version-4 row reads the same under version 5: only the number changes (so older code, which cannot
    read the new packings, refuses the state instead of misreading it)."""
    with conn:
        conn.execute("UPDATE meta SET value = ? WHERE key = 'schema_version' AND value = '4'", (version,))


def upgrade_v3(conn: sqlite3.Connection, version: str) -> None:
    """Version 3 stored every key list and signature whole: rows without a base are exactly that."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        if conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0] != "3":
            conn.rollback()
            return
        for table, base in (("units", "INTEGER"), ("blob_units", "TEXT")):
            if "base" not in _columns(conn, table):
                conn.execute(f"ALTER TABLE {table} ADD COLUMN base {base}")
                conn.execute(f"ALTER TABLE {table} ADD COLUMN depth INTEGER NOT NULL DEFAULT 0")
        conn.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (version,))
        conn.commit()
    except BaseException:
        conn.rollback()
        raise


def upgrade_v2(conn: sqlite3.Connection, version: str) -> None:
    """Every blob's unit rows, in idx order, become its key list; each distinct unit is stored once."""
    conn.execute("BEGIN IMMEDIATE")  # the upgrade happens whole or not at all
    try:
        if conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0] != "2":
            conn.rollback()  # another process upgraded it meanwhile
            return
        if "idx" in _columns(conn, "blob_units"):
            conn.execute("ALTER TABLE blob_units RENAME TO blob_units_v2")
            for statement in unitstore.TABLES.split(";"):
                if statement.strip():
                    conn.execute(statement)
            _convert(conn)
            conn.execute("DROP TABLE blob_units_v2")
        for table in ("cluster_meta", "cluster_blobs", "cluster_bands", "cluster_links"):  # built from 64-bit
            conn.execute(f"DROP TABLE IF EXISTS {table}")  # min-hashes: rebuilt by the next `campaigns`
        conn.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (version,))
        conn.commit()
    except BaseException:
        conn.rollback()
        raise
    conn.execute("VACUUM")  # give the dropped rows' pages back to the file system


def _convert(conn: sqlite3.Connection) -> None:
    order = conn.execute(
        "SELECT b.blob FROM (SELECT DISTINCT blob FROM blob_units_v2) b LEFT JOIN "
        "(SELECT blob, MIN(ts) AS t FROM occurrences GROUP BY blob) o ON o.blob = b.blob ORDER BY o.t, b.blob"
    ).fetchall()
    per_blob: dict[str, list[tuple]] = {}
    for (blob,) in order:
        per_blob[blob] = [(kind, name, line, end_line, tokens or 0, bytes(signature or b""))
                          for kind, name, line, end_line, tokens, signature in conn.execute(
                              "SELECT kind, name, line, end_line, tokens, signature FROM blob_units_v2 "
                              "WHERE blob = ? ORDER BY idx", (blob,))]
        unitstore.write(conn, per_blob)
        per_blob.clear()
