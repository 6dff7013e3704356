"""Upgrade a version-2 state in place: its row-per-unit `blob_units` becomes distinct units plus packed key lists
(no re-crawl), and the file is compacted."""
from __future__ import annotations

import sqlite3

from . import unitstore

BLOBS_PER_WRITE = 2000


def _columns(conn: sqlite3.Connection, table: str) -> set[str]:
    return {row[1] for row in conn.execute(f"PRAGMA table_info({table})")}


def upgrade_v2(conn: sqlite3.Connection, version: str = "3") -> None:
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
        conn.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (version,))
        conn.commit()
    except BaseException:
        conn.rollback()
        raise
    conn.execute("VACUUM")  # give the dropped rows' pages back to the file system


def _convert(conn: sqlite3.Connection) -> None:
    per_blob: dict[str, list[tuple]] = {}
    current = None
    rows = conn.execute("SELECT blob, kind, name, line, end_line, tokens, signature FROM blob_units_v2 "
                        "ORDER BY blob, idx")
    for blob, kind, name, line, end_line, tokens, signature in rows:
        if blob != current:
            if len(per_blob) >= BLOBS_PER_WRITE:
                unitstore.write(conn, per_blob)
                per_blob.clear()
            current = blob
            per_blob[blob] = []
        per_blob[blob].append((kind, name, line, end_line, tokens or 0, bytes(signature or b"")))
    if per_blob:
        unitstore.write(conn, per_blob)
