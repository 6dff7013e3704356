"""Per-blob facts of a campaigns run without a Python object per blob: blob names and the repositories holding each
as numpy columns in blob order (a blob's place there is its id, as blob_lists gives them), and the folded findings
written to a SQLite file in the run's temporary folder, read back for the few blobs a campaign names."""
from __future__ import annotations

import pickle
import sqlite3
from array import array
from pathlib import Path

import numpy as np

from ..state.queries import finding_order, folded_by_place

ROWS = 20000  # rows per read
CACHE = 4096  # blobs whose findings are kept once read


class Blobs:
    """names[bid]: the blob (bytes, sorted as blob_units orders them); repos_of(bid): ids of the repositories it
    occurs in (none: it occurs nowhere); total: how many repositories hold anything."""

    def __init__(self, conn: sqlite3.Connection):
        parts: list[np.ndarray] = []
        cursor = conn.execute("SELECT blob FROM blob_units ORDER BY blob")
        while rows := cursor.fetchmany(ROWS):
            parts.append(np.array([r[0].encode() for r in rows], dtype=bytes))
        self.names = np.concatenate(parts) if parts else np.zeros(0, dtype="S1")
        ids: dict[str, int] = {}
        bids, repos = array("q"), array("i")
        cursor = conn.execute("SELECT DISTINCT blob, repo FROM occurrences ORDER BY blob, repo")
        while rows := cursor.fetchmany(ROWS):
            at = self.find([r[0] for r in rows])
            for (_blob, repo), bid in zip(rows, at.tolist()):
                rid = ids.setdefault(repo, len(ids))
                if bid >= 0:
                    bids.append(bid)
                    repos.append(rid)
        self.total = len(ids)
        self.repos = np.frombuffer(repos, dtype=np.int32).copy()
        self.start = np.searchsorted(np.frombuffer(bids, dtype=np.int64), np.arange(len(self.names) + 1))

    def __len__(self) -> int:
        return len(self.names)

    def find(self, blobs: list[str]) -> np.ndarray:
        """The ids of these blobs (-1: not a blob with units)."""
        if not len(self.names) or not blobs:
            return np.full(len(blobs), -1, dtype=np.int64)
        wanted = np.array([b.encode() for b in blobs], dtype=bytes)
        at = np.minimum(np.searchsorted(self.names, wanted), len(self.names) - 1)
        return np.where(self.names[at] == wanted, at, -1)

    def name(self, bid: int) -> str:
        return self.names[bid].decode()

    def repos_of(self, bid: int) -> np.ndarray:
        return self.repos[self.start[bid]:self.start[bid + 1]]

    def occurs(self, bid: int) -> bool:
        return bool(self.start[bid + 1] > self.start[bid])

    def repo_pairs(self, bids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """For each of bids (distinct): its repositories, as (index into bids, repository id) columns."""
        lo, hi = self.start[bids], self.start[bids + 1]
        n = hi - lo
        which = np.repeat(np.arange(len(bids)), n)
        offsets = np.repeat(lo, n) + (np.arange(int(n.sum())) - np.repeat(np.cumsum(n) - n, n))
        return which, self.repos[offsets].astype(np.int64)


class Findings:
    """The state's folded findings (state.findings()) by blob id: their lines as numpy columns (lines(bid)), the
    findings themselves in a SQLite file, read a blob at a time (of(bid)) in the order state.findings() gives."""

    def __init__(self, conn: sqlite3.Connection, blobs: Blobs, tmp: Path):
        self.db = sqlite3.connect(tmp / "findings.db")
        self.db.execute("CREATE TABLE folded (bid INTEGER NOT NULL, seq INTEGER NOT NULL, data BLOB NOT NULL)")
        bids, lines = array("q"), array("q")
        seq = 0
        for group in folded_by_place(conn):
            at = blobs.find([f.blob for _first, f in group]).tolist()
            rows = []
            for (_first, finding), bid in zip(group, at):
                if bid < 0 or not blobs.occurs(bid):
                    continue
                rows.append((bid, seq, pickle.dumps(finding)))
                seq += 1
                bids.append(bid)
                lines.append(finding.line)
            self.db.executemany("INSERT INTO folded VALUES (?, ?, ?)", rows)
        self.db.execute("CREATE INDEX folded_bid ON folded (bid, seq)")
        self.db.commit()
        bid_col, line_col = np.frombuffer(bids, dtype=np.int64), np.frombuffer(lines, dtype=np.int64)
        order = np.lexsort((line_col, bid_col))
        self.mark_bids, first = np.unique(bid_col[order], return_index=True)
        self.mark_start = np.append(first, len(order))
        self.mark_lines = line_col[order].copy()
        self.cache: dict[int, tuple] = {}

    def close(self) -> None:
        self.db.close()

    def _at(self, bid: int) -> int:
        i = int(np.searchsorted(self.mark_bids, bid))
        return i if i < len(self.mark_bids) and self.mark_bids[i] == bid else -1

    def lines(self, bid: int) -> np.ndarray | None:
        """The sorted lines of the blob's findings (None: it has none)."""
        i = self._at(bid)
        return None if i < 0 else self.mark_lines[self.mark_start[i]:self.mark_start[i + 1]]

    def of(self, bid) -> tuple:
        if bid is None:
            return ()
        bid = int(bid)
        found = self.cache.get(bid)
        if found is None:
            if self._at(bid) < 0:
                return ()
            rows = self.db.execute("SELECT data FROM folded WHERE bid = ? ORDER BY seq", (bid,)).fetchall()
            found = tuple(sorted((pickle.loads(r[0]) for r in rows), key=finding_order))
            if len(self.cache) >= CACHE:
                self.cache.clear()
            self.cache[bid] = found
        return found
