"""The state store's tables: blobs and their analyses (one per kind of path, with the rules' digest), findings and
units (stored once per distinct content, see unitstore.py), occurrences with provenance, ref cursors, crawls; and
the upgrades of older states (version 1 here, versions 2 to 8 in upgrade.py)."""
from __future__ import annotations

import sqlite3

from .unitstore import TABLES as UNIT_TABLES

SCHEMA_VERSION = "9"
READABLE = ("4", "5", "6", "7", "8", "9")  # read-only opens read these as they are (unitread: widths, kinds, rows)

FINDINGS = """
CREATE TABLE IF NOT EXISTS findings (
    blob TEXT NOT NULL, kind TEXT NOT NULL DEFAULT '', idx INTEGER NOT NULL, rule_id TEXT NOT NULL,
    category TEXT NOT NULL, severity TEXT NOT NULL, confidence TEXT, message TEXT, line INTEGER, end_line INTEGER,
    col INTEGER, end_col INTEGER, snippet TEXT, cwe TEXT, context TEXT, decoded TEXT, first_crawl INTEGER,
    PRIMARY KEY (blob, kind, idx));
"""

# Small rows keyed by text: WITHOUT ROWID keeps each row once, in its key's B-tree, instead of a rowid table plus an
# index repeating the key (blobs, analyses and occurrences: 0.08 of 1.55 MB on the history bench).
COMPACT = ("blobs", "analyses", "occurrences")

TABLES = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS crawls (
    id INTEGER PRIMARY KEY, started TEXT NOT NULL, finished TEXT, base INTEGER NOT NULL, root TEXT, stats TEXT);
CREATE TABLE IF NOT EXISTS repos (
    repo TEXT PRIMARY KEY, gitdir TEXT, bare INTEGER, shallow INTEGER, first_crawl INTEGER, last_crawl INTEGER,
    status TEXT);
CREATE TABLE IF NOT EXISTS refs (
    repo TEXT NOT NULL, ref TEXT NOT NULL, commit_sha TEXT NOT NULL, crawl INTEGER, PRIMARY KEY (repo, ref));
CREATE TABLE IF NOT EXISTS blobs (
    blob TEXT PRIMARY KEY, size INTEGER, language TEXT, status TEXT NOT NULL, reason TEXT, path TEXT,
    crawl INTEGER) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS analyses (
    blob TEXT NOT NULL, kind TEXT NOT NULL, digest TEXT, status TEXT NOT NULL, language TEXT, reason TEXT, path TEXT,
    crawl INTEGER, PRIMARY KEY (blob, kind)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS occurrences (
    repo TEXT NOT NULL, path TEXT NOT NULL, blob TEXT NOT NULL, ref TEXT, commit_sha TEXT, author TEXT, email TEXT,
    date TEXT, committer_date TEXT, ts INTEGER, crawl INTEGER NOT NULL, kind TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (repo, path, blob)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS occurrences_blob ON occurrences (blob);
CREATE TABLE IF NOT EXISTS skips (crawl INTEGER, repo TEXT, path TEXT, blob TEXT, reason TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS skips_crawl ON skips (crawl);
""" + FINDINGS + UNIT_TABLES


def upgrade_v1(conn: sqlite3.Connection) -> None:
    """Version 1 had one analysis per blob and no rules digest: give every row the kind of its path and no digest,
    so the next crawl re-analyzes stored blobs once (findings the old rules had keep their first-seen crawl)."""
    from .kinds import READ_SKIP, path_kind

    conn.create_function("cs_kind", 1, lambda p: path_kind(p or ""), deterministic=True)
    conn.execute("BEGIN IMMEDIATE")  # DDL included: the upgrade happens whole or not at all
    try:
        if conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0] != "1":
            conn.rollback()  # another process upgraded it meanwhile
            return
        conn.execute("ALTER TABLE occurrences ADD COLUMN kind TEXT NOT NULL DEFAULT ''")
        conn.execute("UPDATE occurrences SET kind = cs_kind(path)")
        conn.execute("ALTER TABLE findings RENAME TO findings_v1")
        conn.execute(FINDINGS)
        conn.execute(
            "INSERT INTO findings SELECT f.blob, cs_kind(b.path), f.idx, f.rule_id, f.category, f.severity, "
            "f.confidence, f.message, f.line, f.end_line, f.col, f.end_col, f.snippet, f.cwe, f.context, f.decoded, "
            "b.crawl FROM findings_v1 f JOIN blobs b ON b.blob = f.blob")
        conn.execute("DROP TABLE findings_v1")
        conn.execute(
            "INSERT OR IGNORE INTO analyses SELECT blob, CASE WHEN status = 'skipped' THEN ? ELSE cs_kind(path) END, "
            "NULL, status, language, reason, path, crawl FROM blobs", (READ_SKIP,))
        conn.execute("UPDATE meta SET value = '2' WHERE key = 'schema_version'")  # upgrade.py takes it on
        conn.commit()
    except BaseException:
        conn.rollback()
        raise
