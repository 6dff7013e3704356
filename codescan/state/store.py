"""The SQLite (WAL) state store: open it, and write a crawl's batches each in one transaction."""
from __future__ import annotations

import json
import sqlite3
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterable, Iterator

from ..errors import CodescanError
from ..records import Finding, Unit
from . import queries, unitstore
from .lock import WriterLock
from .records import Occurrence
from .kinds import READ_SKIP, path_kind
from .schema import READABLE, SCHEMA_VERSION, TABLES, upgrade_v1
from .upgrade import upgrade_v2, upgrade_v3, upgrade_v5, upgrade_v6, upgrade_v7, upgrade_v8
from .fresh import carried_first_seen


GROWN = 0.5  # a crawl that added at least this share of the file's pages compacts the file when it finishes


class StateError(CodescanError):
    """A state file that cannot be opened or is not a codescan state."""


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class State:
    """A codescan state: `conn` is the sqlite3 connection (other areas add their own prefixed tables)."""

    def __init__(self, conn: sqlite3.Connection, path: str, readonly: bool):
        self.conn = conn
        self.path = path
        self.readonly = readonly
        self._lock: WriterLock | None = None
        self._pages_at_start: int | None = None
        self._known = unitstore.Known()  # units this process wrote or read (unitstore.Known)

    # -- reading (the contract other areas build on) ------------------------------------
    def occurrences(self, blob: str | None = None) -> Iterator[Occurrence]:
        return queries.occurrences(self.conn, blob)

    def findings(self, new: bool = False, since: str | None = None) -> Iterator[Finding]:
        """One finding per place it occurs (repo, path), at the earliest commit that introduced it there.

        new: only findings first recorded by the latest finished crawl (and any killed crawl it completed);
        since: only findings first recorded by a crawl started at or after this ISO date/time."""
        return queries.findings(self.conn, new=new, since=since)

    def units(self) -> Iterator[tuple[str, Unit]]:
        return queries.units(self.conn)

    def summary(self) -> dict:
        return queries.summary(self.conn)

    def skips(self, crawl: int | None = None) -> list[dict]:
        return queries.skips(self.conn, crawl)

    # -- writing (one crawl at a time) -------------------------------------------------
    def lock(self) -> None:
        if self._lock is None:
            lock = WriterLock(self.path)
            lock.acquire()
            self._lock = lock

    def begin_crawl(self, root: str) -> int:
        self._pages_at_start = self._pages()
        with self.conn:
            base = self.conn.execute("SELECT COALESCE(MAX(id), 0) FROM crawls WHERE finished IS NOT NULL").fetchone()[0]
            cur = self.conn.execute("INSERT INTO crawls (started, base, root) VALUES (?, ?, ?)", (now(), base, root))
        return int(cur.lastrowid)

    def finish_crawl(self, crawl: int, stats: dict) -> None:
        with self.conn:
            self.conn.execute("UPDATE crawls SET finished = ?, stats = ? WHERE id = ?",
                              (now(), json.dumps(stats, sort_keys=True), crawl))
        self._compact_if_grown()

    def _pages(self) -> int:
        return self.conn.execute("PRAGMA page_count").fetchone()[0] - self.conn.execute(
            "PRAGMA freelist_count").fetchone()[0]

    def _compact_if_grown(self) -> None:
        """VACUUM when this crawl wrote at least GROWN of the file (a first crawl, a big new mirror): rows keyed by
        hashes arrive in random order and leave B-tree pages about a third empty, and a VACUUM rewrites them full.
        Its cost is the file's size, at most 1/GROWN times what the crawl added; a crawl that added less leaves the
        file as it is. Skipped (till a later crawl) when another connection holds the file open in a transaction."""
        start, self._pages_at_start = self._pages_at_start, None
        if start is None:
            return
        pages = self._pages()
        if pages and pages - start >= GROWN * pages:
            try:
                self.conn.execute("VACUUM")
            except sqlite3.OperationalError:
                pass

    def cursors(self, repo: str) -> dict[str, str]:
        return dict(self.conn.execute("SELECT ref, commit_sha FROM refs WHERE repo = ?", (repo,)))

    def get_meta(self, key: str) -> str | None:
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else row[0]

    def set_meta(self, key: str, value: str) -> None:
        with self.conn:
            self.conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, value))

    def analyzed(self, keys: Iterable[tuple[str, str]]) -> set[tuple[str, str]]:
        """Which of these (blob, kind) a crawl has already recorded: analyzed as that kind, or unreadable at all."""
        keys = list(keys)
        found: set[tuple[str, str]] = set()
        for start in range(0, len(keys), 400):
            chunk = keys[start:start + 400]
            blobs = sorted({b for b, _ in chunk})
            marks = ",".join("?" * len(blobs))
            rows = self.conn.execute(f"SELECT blob, kind FROM analyses WHERE blob IN ({marks})", blobs).fetchall()
            have = set(rows)
            unreadable = {b for b, k in rows if k == READ_SKIP}
            found.update(key for key in chunk if key in have or key[0] in unreadable)
        return found

    def stale(self, digest: str) -> list[tuple[str, str, str]]:
        """(blob, kind, path) analyzed under other rules than `digest` (read-level skips do not depend on rules)."""
        return self.conn.execute(
            "SELECT blob, kind, path FROM analyses WHERE kind != ? AND status != 'skipped' "
            "AND (digest IS NULL OR digest != ?) ORDER BY blob, kind", (READ_SKIP, digest)).fetchall()

    def record_repo(self, crawl: int, repo: str, gitdir: str, bare: bool, shallow: bool, status: str,
                    occurrences: list[tuple], skips: list[tuple]) -> None:
        """A repository's walk: its occurrences (earliest introduction wins) and repository-level skips. occurrences:
        (path, blob, ref, commit, author, email, date, committer date, ts); a committer date equal to the author
        date is stored as NULL (queries._OCC reads it back)."""
        with self.conn:
            self.conn.execute(
                "INSERT INTO repos (repo, gitdir, bare, shallow, first_crawl, last_crawl, status) "
                "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (repo) DO UPDATE SET gitdir = excluded.gitdir, "
                "bare = excluded.bare, shallow = excluded.shallow, last_crawl = excluded.last_crawl, "
                "status = excluded.status", (repo, gitdir, int(bare), int(shallow), crawl, crawl, status))
            self.conn.executemany(
                "INSERT INTO occurrences (repo, path, blob, ref, commit_sha, author, email, date, committer_date, ts, "
                "kind, crawl) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (repo, path, blob) DO UPDATE SET "
                "ref = excluded.ref, commit_sha = excluded.commit_sha, author = excluded.author, "
                "email = excluded.email, date = excluded.date, committer_date = excluded.committer_date, "
                "ts = excluded.ts WHERE excluded.ts < occurrences.ts",
                [(repo, *occ[:7], None if occ[7] == occ[6] else occ[7], occ[8], path_kind(occ[0]), crawl)
                 for occ in occurrences])
            self.conn.executemany("INSERT INTO skips (crawl, repo, path, blob, reason) VALUES (?, ?, ?, ?, ?)",
                                  [(crawl, repo, *s) for s in skips])

    def write_batch(self, crawl: int, blobs: list[tuple] = (), analyses: list[tuple] = (), findings: list[tuple] = (),
                    units: list[tuple] = (), skips: list[tuple] = (), cursors: list[tuple] = (),
                    blob_units: dict[str, list[tuple]] | None = None) -> None:
        """Blobs, their analyses with findings and units, and the ref cursors they complete, in ONE transaction.

        blobs: (blob, size, language, status, reason, path); analyses: (blob, kind, digest, status, language, reason,
        path); findings: (blob, kind, idx, rule_id, ..., decoded). An analysis replaces the findings its (blob, kind)
        had; a finding the old ones already held (same rule and normalized snippet) keeps its first-seen crawl.
        units: (blob, idx, kind, name, line, end_line, tokens, signature); blob_units: the same already grouped, blob ->
        [(kind, name, line, end_line, tokens, signature), ...] in unit order (the crawl's batches)."""
        try:
            self._write_batch(crawl, blobs, analyses, findings, units, skips, cursors, blob_units)
        except BaseException:
            self._known.clear()  # the transaction's units are not stored
            raise

    def _write_batch(self, crawl: int, blobs, analyses, findings, units, skips, cursors, blob_units=None) -> None:
        with self.conn:
            self.conn.executemany(
                "INSERT OR IGNORE INTO blobs (blob, size, language, status, reason, path, crawl) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)", [(*b, crawl) for b in blobs])
            first = carried_first_seen(self.conn, [(a[0], a[1]) for a in analyses], findings, crawl)
            self.conn.executemany("DELETE FROM findings WHERE blob = ? AND kind = ?", [(a[0], a[1]) for a in analyses])
            self.conn.executemany(
                "INSERT OR REPLACE INTO analyses (blob, kind, digest, status, language, reason, path, crawl) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", [(*a, crawl) for a in analyses])
            self.conn.executemany(
                "INSERT OR REPLACE INTO findings (blob, kind, idx, rule_id, category, severity, confidence, message, "
                "line, end_line, col, end_col, snippet, cwe, context, decoded, first_crawl) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [(*f, seen) for f, seen in zip(findings, first)])
            self._write_units(units, blob_units)
            self.conn.executemany("INSERT INTO skips (crawl, repo, path, blob, reason) VALUES (?, ?, ?, ?, ?)",
                                  [(crawl, *s) for s in skips])
            self.conn.executemany(
                "INSERT INTO refs (repo, ref, commit_sha, crawl) VALUES (?, ?, ?, ?) ON CONFLICT (repo, ref) "
                "DO UPDATE SET commit_sha = excluded.commit_sha, crawl = excluded.crawl",
                [(*c, crawl) for c in cursors])

    def _write_units(self, units: list[tuple], blob_units: dict[str, list[tuple]] | None = None) -> None:
        """A blob's units are written once (the first analysis that has any): they depend on its syntax tree, not
        on the rules, and campaign indexes key on them. Each distinct unit is stored once (unitstore.py)."""
        per_blob: dict[str, list[tuple]] = dict(blob_units or {})
        for blob, _idx, kind, name, line, end_line, tokens, signature in units:
            per_blob.setdefault(blob, []).append((kind, name, line, end_line, tokens, signature))
        if per_blob:
            unitstore.write(self.conn, per_blob, self._known)

    def drop_refs(self, repo: str, keep: Iterable[str]) -> None:
        """Forget cursors of refs the repository no longer has (deleted branches)."""
        keep = set(keep)
        gone = [r for r in self.cursors(repo) if r not in keep]
        with self.conn:
            self.conn.executemany("DELETE FROM refs WHERE repo = ? AND ref = ?", [(repo, r) for r in gone])

    def close(self) -> None:
        try:
            self.conn.close()
        finally:
            if self._lock is not None:
                self._lock.release()
                self._lock = None

    def __enter__(self) -> "State":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


BUSY_TIMEOUT = 30.0  # seconds to wait for another program's write lock on the state


def open_state(path: str | Path, readonly: bool = False) -> State:
    """Open (creating when writable) a state file; readonly opens never write and never create."""
    path = str(path)
    try:
        if readonly:
            if not Path(path).is_file():
                raise StateError(f"{path}: no such state file (run `codescan crawl ROOT --state {path}` first)")
            conn = sqlite3.connect(f"file:{Path(path).resolve().as_posix()}?mode=ro", uri=True, timeout=BUSY_TIMEOUT)
        else:
            Path(path).parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.executescript(TABLES)
            with conn:
                conn.execute("INSERT OR IGNORE INTO meta (key, value) VALUES ('schema_version', ?)", (SCHEMA_VERSION,))
            if conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0] == "1":
                upgrade_v1(conn)
            if conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0] == "2":
                upgrade_v2(conn, "8")
            if conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0] == "3":
                upgrade_v3(conn)
            if conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0] in ("4", "5"):
                upgrade_v5(conn, "6")
            if conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0] == "6":
                upgrade_v6(conn, "7")
            if conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0] == "7":
                upgrade_v7(conn, "8")
            if conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0] == "8":
                upgrade_v8(conn, SCHEMA_VERSION)
        version = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    except sqlite3.OperationalError as exc:
        if "locked" in str(exc) or "busy" in str(exc):  # another program holds a write lock: the file is fine
            raise StateError(f"{path}: the state is locked by another program (it held the lock for {BUSY_TIMEOUT:g} s: {exc}); "
                             "run again once it is done") from None
        raise StateError(f"{path}: not a codescan state file ({exc})") from None
    except sqlite3.DatabaseError as exc:
        raise StateError(f"{path}: not a codescan state file ({exc})") from None
    if version is None or version[0] != SCHEMA_VERSION and not (readonly and version[0] in READABLE):
        conn.close()
        older = readonly and version and version[0] in ("1", "2", "3")
        hint = " (a crawl with this codescan upgrades it)" if older else ""
        raise StateError(f"{path}: state schema {version[0] if version else '?'} is not {SCHEMA_VERSION}{hint}")
    return State(conn, path, readonly)
