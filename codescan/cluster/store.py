"""The clustering's own tables in the state store: band keys and verified links, so a monitoring crawl
indexes only new blobs' units instead of re-clustering the corpus.

cluster_meta    parameters the tables were built with (changed parameters rebuild them)
cluster_blobs   blobs whose units are indexed
cluster_bands   (band, key) -> unit; at most BUCKET_CAP units per bucket are kept (the first ones)
cluster_links   verified near-duplicate links between units, with their estimated Jaccard
"""
from __future__ import annotations

import sqlite3

import numpy as np

from . import lsh, minhash
from .corpus import Corpus

BUCKET_CAP = 16  # a new unit is compared with at most this many earlier units per bucket

_TABLES = """
CREATE TABLE IF NOT EXISTS cluster_meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS cluster_blobs (blob TEXT PRIMARY KEY);
CREATE TABLE IF NOT EXISTS cluster_bands (band INT, key INT, blob TEXT, idx INT);
CREATE INDEX IF NOT EXISTS cluster_bands_key ON cluster_bands (band, key);
CREATE TABLE IF NOT EXISTS cluster_links (a_blob TEXT, a_idx INT, b_blob TEXT, b_idx INT, sim REAL,
    PRIMARY KEY (a_blob, a_idx, b_blob, b_idx));
"""


class ClusterStore:
    """Incremental LSH index over a corpus whose units carry (blob, idx) keys."""

    def __init__(self, conn: sqlite3.Connection, threshold: float = lsh.THRESHOLD, num_perm: int = minhash.NUM_PERM):
        self.conn = conn
        self.threshold = threshold
        self.bands, self.rows = lsh.choose_bands(threshold, num_perm)
        self.params = (f"perm={num_perm} seed={minhash.SEED} threshold={threshold} bands={self.bands}x{self.rows} "
                       f"bits={minhash.STORED_BITS}")  # the values compared (minhash.stored, state/unitstore.py)

    def _prepare(self) -> None:
        self.conn.executescript(_TABLES)
        row = self.conn.execute("SELECT value FROM cluster_meta WHERE key = 'params'").fetchone()
        if row is None or row[0] != self.params:
            self.conn.executescript("DELETE FROM cluster_blobs; DELETE FROM cluster_bands; DELETE FROM cluster_links;")
            self.conn.execute("INSERT OR REPLACE INTO cluster_meta VALUES ('params', ?)", (self.params,))

    def update(self, corpus: Corpus, keys: list[tuple[str, int]] | None = None) -> np.ndarray:
        """Index the units of blobs not indexed yet; return every stored link as corpus unit indices."""
        names = {bid: blob for blob, bid in corpus.blobs.items()}
        keys = keys or [(names[b], i) for b, i in zip(corpus.unit_blob, corpus.unit_idx)]
        position = {key: n for n, key in enumerate(keys)}
        with self.conn:
            self._prepare()
            done = {r[0] for r in self.conn.execute("SELECT blob FROM cluster_blobs")}
            fresh = np.array([n for n, (blob, _) in enumerate(keys) if blob not in done], dtype=np.int64)
            if len(fresh):
                self._index(corpus, keys, position, fresh)
            self.conn.executemany("INSERT OR IGNORE INTO cluster_blobs VALUES (?)",
                                  ((b,) for b in {names[bid] for bid in corpus.unit_blob} - done))
            links = [(position.get((a, ai)), position.get((b, bi)))
                     for a, ai, b, bi in self.conn.execute("SELECT a_blob, a_idx, b_blob, b_idx FROM cluster_links")]
        links = [pair for pair in links if None not in pair]
        return np.array(links, dtype=np.int64).reshape(-1, 2)

    def _index(self, corpus: Corpus, keys: list, position: dict, fresh: np.ndarray) -> None:
        sigs = corpus.signatures()
        band_keys = lsh.band_keys(sigs[fresh], self.bands, self.rows).view(np.int64)  # SQLite integers are signed
        # Earlier units sharing a bucket with a new one (at most BUCKET_CAP per bucket are stored).
        self.conn.execute("CREATE TEMP TABLE IF NOT EXISTS cluster_new (pos INT, band INT, key INT)")
        self.conn.execute("DELETE FROM cluster_new")
        self.conn.executemany("INSERT INTO cluster_new VALUES (?, ?, ?)",
                              ((int(p), band, int(k)) for p, row in enumerate(band_keys) for band, k in enumerate(row)))
        pairs: set[tuple[int, int]] = set()
        held: dict[tuple[int, int], set] = {}
        for pos, band, key, blob, idx in self.conn.execute(
                "SELECT n.pos, n.band, n.key, o.blob, o.idx FROM cluster_new n "
                "JOIN cluster_bands o ON o.band = n.band AND o.key = n.key"):
            held.setdefault((band, key), set()).add((blob, idx))
            old = position.get((blob, idx))
            if old is not None:
                pairs.add((old, int(fresh[pos])))
        # New units among themselves: buckets in memory.
        for a, b in lsh.candidate_pairs(band_keys.view(np.uint64)):
            pairs.add((int(fresh[a]), int(fresh[b])))
        candidates = np.array(sorted(pairs), dtype=np.int64).reshape(-1, 2)
        linked, sims = lsh.verify(sigs, candidates, self.threshold)
        self.conn.executemany("INSERT OR IGNORE INTO cluster_links VALUES (?, ?, ?, ?, ?)",
                              ((*keys[a], *keys[b], float(s)) for (a, b), s in zip(linked.tolist(), sims)))
        full = {bucket: len(members) for bucket, members in held.items()}
        rows = []
        for p, row in enumerate(band_keys):
            for band, key in enumerate(row.tolist()):
                count = full.get((band, key), 0)
                if count < BUCKET_CAP:
                    full[(band, key)] = count + 1
                    rows.append((band, key, *keys[int(fresh[p])]))
        self.conn.executemany("INSERT INTO cluster_bands VALUES (?, ?, ?, ?)", rows)
        self.conn.execute("DELETE FROM cluster_new")
