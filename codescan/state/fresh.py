"""Which findings of a re-analyzed blob are really new: those the old analysis did not hold (compared by
fingerprint within the blob — rule id and normalized snippet, the k-th such), the rest keep their first-seen crawl."""
from __future__ import annotations

import sqlite3
from collections import Counter

from ..records import normalize_snippet

RULE, SNIPPET = 3, 12  # positions in a findings row (blob, kind, idx, rule_id, ..., snippet, ...)


def carried_first_seen(conn: sqlite3.Connection, keys: list[tuple[str, str]], findings: list[tuple],
                       crawl: int) -> list[int]:
    """The first-seen crawl of each new findings row: the old one's when (blob, kind) had that finding before."""
    wanted = set(keys)
    old: dict[tuple, list[int]] = {}
    for blob, kind in sorted({(f[0], f[1]) for f in findings} & wanted):
        seen: Counter = Counter()
        for rule_id, snippet, first in conn.execute(
                "SELECT rule_id, snippet, first_crawl FROM findings WHERE blob = ? AND kind = ? ORDER BY idx",
                (blob, kind)):
            ident = (blob, kind, rule_id, normalize_snippet(snippet or ""))
            seen[ident] += 1
            old[(*ident, seen[ident])] = first
    out: list[int] = []
    seen = Counter()
    for row in findings:
        ident = (row[0], row[1], row[RULE], normalize_snippet(row[SNIPPET] or ""))
        seen[ident] += 1
        held = old.get((*ident, seen[ident]))
        out.append(crawl if held is None else held)
    return out
