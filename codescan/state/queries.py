"""Reading the state: occurrences, findings placed at each occurrence, units, skips and a summary."""
from __future__ import annotations

import json
import sqlite3
from collections import Counter
from typing import Iterator

from ..records import Unit, normalize_snippet
from . import unitread
from .records import MirrorFinding, Occurrence

# From schema 9 on a committer date equal to the author date is stored as NULL (store.record_repo): 26 bytes of each
# occurrence row on the history bench, where no commit was rewritten.
_OCC = "o.repo, o.ref, o.path, o.blob, o.commit_sha, o.author, o.email, o.date, COALESCE(o.committer_date, o.date)"


def occurrences(conn: sqlite3.Connection, blob: str | None = None) -> Iterator[Occurrence]:
    sql = f"SELECT {_OCC} FROM occurrences o"
    args: tuple = ()
    if blob is not None:
        sql += " WHERE o.blob = ?"
        args = (blob,)
    for row in conn.execute(sql + " ORDER BY o.repo, o.path, o.ts", args):
        yield Occurrence(*row)


def _new_base(conn: sqlite3.Connection) -> int | None:
    """Findings first recorded after this crawl id are 'new': after the base of the latest finished crawl."""
    row = conn.execute("SELECT base FROM crawls WHERE finished IS NOT NULL ORDER BY id DESC LIMIT 1").fetchone()
    return None if row is None else int(row[0])


def findings(conn: sqlite3.Connection, new: bool = False, since: str | None = None) -> Iterator[MirrorFinding]:
    """Each finding once per (repo, path): copies of it in later versions of the file fold into the earliest
    introduction (the same rule and snippet, the k-th such in the blob), so provenance names who planted it.
    A finding is first seen by the later of the crawl that recorded the occurrence and the crawl whose rules first
    found it (a re-analysis under new rules makes only what the old rules missed new)."""
    base = _new_base(conn) if new else None
    if new and base is None:
        return
    out = []
    for group in folded_by_place(conn):
        for first, finding in group:
            if new and first <= base:
                continue
            if since is not None and (finding.first_seen is None or finding.first_seen < _as_utc(since)):
                continue
            out.append(finding)
    out.sort(key=finding_order)
    yield from out


def finding_order(f: MirrorFinding) -> tuple:
    """The order findings() gives."""
    return f.repo or "", f.path, f.line, f.column, f.rule_id


def folded_by_place(conn: sqlite3.Connection) -> Iterator[list[tuple[int, MirrorFinding]]]:
    """The folded findings of one (repo, path) at a time, as (first crawl, finding with first_seen), in the order
    their keys were first met: what findings() gives, a place at a time (a place's rows are all that is held)."""
    started = dict(conn.execute("SELECT id, started FROM crawls"))
    sql = (f"SELECT {_OCC}, o.ts, MAX(o.crawl, COALESCE(f.first_crawl, o.crawl)), f.rule_id, f.category, "
           "f.severity, f.confidence, f.message, f.line, "
           "f.end_line, f.col, f.end_col, f.snippet, f.cwe, f.context, f.decoded "
           "FROM occurrences o JOIN findings f ON f.blob = o.blob AND f.kind = o.kind "
           "ORDER BY o.repo, o.path, o.blob, f.idx")
    best: dict[tuple, tuple] = {}  # key -> (ts, first crawl, finding)
    seen_in_blob: Counter = Counter()
    place = None

    def done() -> list[tuple[int, MirrorFinding]]:
        return [(first, finding.with_(first_seen=started.get(first))) for _ts, first, finding in best.values()]

    for row in conn.execute(sql):
        (repo, ref, path, blob, commit, author, email, date, cdate, ts, crawl,
         rule_id, category, severity, confidence, message, line, end_line, col, end_col, snippet, cwe, context,
         decoded) = row
        if (repo, path) != place:  # rows come by place: a finding folds only with its own place's
            if best:
                yield done()
            best.clear()
            seen_in_blob.clear()
            place = (repo, path)
        ident = (repo, path, rule_id, normalize_snippet(snippet or ""))
        seen_in_blob[(blob, *ident)] += 1
        key = (*ident, seen_in_blob[(blob, *ident)])
        finding = MirrorFinding(rule_id=rule_id, category=category, severity=severity, message=message, path=path,
                                line=line, end_line=end_line, column=col, end_column=end_col, snippet=snippet or "",
                                cwe=tuple(json.loads(cwe or "[]")), confidence=confidence or "high",
                                context=context or "code", decoded=decoded, repo=repo, blob=blob, commit=commit,
                                author=author, date=date, email=email, committer_date=cdate, ref=ref)
        held = best.get(key)
        first = min(crawl, held[1]) if held else crawl
        if held is None or (ts or 0) < (held[0] or 0):
            best[key] = (ts, first, finding)
        else:
            best[key] = (held[0], first, held[2])
    if best:
        yield done()


def _as_utc(value: str) -> str:
    """A user's --since (a date or an ISO date-time) in the form crawl times are stored in, for comparing."""
    from datetime import datetime, timezone

    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return value
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc).isoformat(timespec="seconds")


def units(conn: sqlite3.Connection) -> Iterator[tuple[str, Unit]]:
    for blob, _idx, unit in unitread.expanded(conn):
        yield blob, unit


def skips(conn: sqlite3.Connection, crawl: int | None = None) -> list[dict]:
    if crawl is None:
        row = conn.execute("SELECT MAX(id) FROM crawls").fetchone()
        crawl = row[0] if row else None
    rows = conn.execute("SELECT repo, path, blob, reason FROM skips WHERE crawl = ? ORDER BY repo, path", (crawl,))
    return [{k: v for k, v in zip(("repo", "path", "blob", "reason"), r) if v is not None} for r in rows]


def summary(conn: sqlite3.Connection) -> dict:
    one = lambda sql: conn.execute(sql).fetchone()[0]  # noqa: E731
    by_category: Counter = Counter()
    by_severity: Counter = Counter()
    placed = 0
    for f in findings(conn):
        placed += 1
        by_category[f.category] += 1
        by_severity[f.severity] += 1
    last = conn.execute("SELECT id, started, finished, stats FROM crawls ORDER BY id DESC LIMIT 1").fetchone()
    return {
        "repos": one("SELECT COUNT(*) FROM repos"),
        "refs": one("SELECT COUNT(*) FROM refs"),
        "blobs": one("SELECT COUNT(*) FROM blobs"),
        "blobs_scanned": one("SELECT COUNT(*) FROM blobs WHERE status != 'skipped'"),
        "analyses": one("SELECT COUNT(*) FROM analyses WHERE kind != '*'"),
        "occurrences": one("SELECT COUNT(*) FROM occurrences"),
        "findings": {"total": placed, "by_category": dict(sorted(by_category.items())),
                     "by_severity": dict(sorted(by_severity.items())),
                     "per_blob": one("SELECT COUNT(*) FROM findings")},
        "last_crawl": None if last is None else {
            "id": last[0], "started": last[1], "finished": last[2], "stats": json.loads(last[3]) if last[3] else None},
    }
