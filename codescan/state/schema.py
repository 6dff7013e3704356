"""The state store's tables: scanned blobs, their findings and units, occurrences with provenance, ref cursors, crawls."""
from __future__ import annotations

SCHEMA_VERSION = "1"

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
    crawl INTEGER);
CREATE TABLE IF NOT EXISTS findings (
    blob TEXT NOT NULL, idx INTEGER NOT NULL, rule_id TEXT NOT NULL, category TEXT NOT NULL, severity TEXT NOT NULL,
    confidence TEXT, message TEXT, line INTEGER, end_line INTEGER, col INTEGER, end_col INTEGER, snippet TEXT,
    cwe TEXT, context TEXT, decoded TEXT, PRIMARY KEY (blob, idx));
CREATE TABLE IF NOT EXISTS blob_units (
    blob TEXT, idx INT, kind TEXT, name TEXT, line INT, end_line INT, tokens INT, signature BLOB,
    PRIMARY KEY (blob, idx));
CREATE TABLE IF NOT EXISTS occurrences (
    repo TEXT NOT NULL, path TEXT NOT NULL, blob TEXT NOT NULL, ref TEXT, commit_sha TEXT, author TEXT, email TEXT,
    date TEXT, committer_date TEXT, ts INTEGER, crawl INTEGER NOT NULL, PRIMARY KEY (repo, path, blob));
CREATE INDEX IF NOT EXISTS occurrences_blob ON occurrences (blob);
CREATE TABLE IF NOT EXISTS skips (crawl INTEGER, repo TEXT, path TEXT, blob TEXT, reason TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS skips_crawl ON skips (crawl);
"""
