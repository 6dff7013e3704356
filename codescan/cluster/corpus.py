"""The units of a corpus with where each blob occurs, grouped into cross-repository clusters.

Signatures stay packed bytes until clustering stacks them into one numpy array; no shingle sets
are kept. Units are grouped by verified LSH links (near duplicates) and line fingerprints by
exact hash; a group becomes a campaign candidate only when it spans several repositories.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..records import Finding, Unit
from . import lsh, minhash


@dataclass(frozen=True, slots=True)
class Occurrence:
    """Where a blob was seen (the state store's Occurrence has the same fields)."""

    repo: str
    path: str
    commit: str | None = None
    author: str | None = None
    email: str | None = None
    date: str | None = None


@dataclass(slots=True)
class Corpus:
    """Units by blob (signatures packed), each blob's occurrences and findings."""

    blobs: dict[str, int] = field(default_factory=dict)
    occurrences: list[list] = field(default_factory=list)
    findings: list[list[Finding]] = field(default_factory=list)
    unit_blob: list[int] = field(default_factory=list)
    units: list[Unit] = field(default_factory=list)
    unit_idx: list[int] = field(default_factory=list)  # the unit's index within its blob (state key)
    line_blob: list[int] = field(default_factory=list)
    line_units: list[Unit] = field(default_factory=list)
    repo_count: int | None = None  # repositories of the whole state, when the corpus holds only part of it

    def blob_id(self, blob: str) -> int:
        if blob not in self.blobs:
            self.blobs[blob] = len(self.blobs)
            self.occurrences.append([])
            self.findings.append([])
        return self.blobs[blob]

    def add_blob(self, blob: str, units, findings=()) -> bool:
        """Index a blob's units once (a blob seen again only gains occurrences). True if new."""
        fresh = blob not in self.blobs
        bid = self.blob_id(blob)
        if not fresh:
            return False
        for idx, unit in enumerate(units):
            self.add_unit(bid, idx, unit)
        self.findings[bid].extend(findings)
        return True

    def add_unit(self, bid: int, idx: int, unit: Unit) -> None:
        if unit.kind == "line":
            self.line_blob.append(bid)
            self.line_units.append(unit)
        else:
            self.unit_blob.append(bid)
            self.units.append(unit)
            self.unit_idx.append(idx)

    def add_occurrence(self, blob: str, occurrence) -> None:
        self.occurrences[self.blob_id(blob)].append(occurrence)

    def repos(self, bid: int) -> frozenset:
        return frozenset(o.repo for o in self.occurrences[bid])

    def all_repos(self) -> set:
        return {o.repo for occ in self.occurrences for o in occ}

    def signatures(self) -> np.ndarray:
        """(n, NUM_PERM) values as campaigns compare them: each min-hash's low 16 bits (minhash.stored)."""
        return minhash.stored(minhash.stack([u.signature for u in self.units]))


def unit_edges(corpus: Corpus, threshold: float = lsh.THRESHOLD) -> np.ndarray:
    """Verified near-duplicate links between units, in memory: (m, 2) unit indices."""
    if not corpus.units:
        return np.zeros((0, 2), dtype=np.int64)
    sigs = corpus.signatures()
    # Exact duplicates collapse to one row before LSH; they are linked to their first copy.
    _, first, inverse = np.unique(sigs, axis=0, return_index=True, return_inverse=True)
    inverse = inverse.reshape(-1)
    unique_sigs = sigs[first]
    bands, rows = lsh.choose_bands(threshold, sigs.shape[1])
    pairs = lsh.candidate_pairs(lsh.band_keys(unique_sigs, bands, rows))
    linked, _ = lsh.verify(unique_sigs, pairs, threshold)
    near = first[linked] if len(linked) else np.zeros((0, 2), dtype=np.int64)
    copies = np.stack([first[inverse], np.arange(len(inverse))], axis=1)
    copies = copies[copies[:, 0] != copies[:, 1]]
    return np.concatenate([near.reshape(-1, 2), copies]).astype(np.int64)


def unit_groups(corpus: Corpus, edges, min_repos: int = 2) -> list[list[int]]:
    """Components of units over links between different repositories, spanning >= min_repos repos."""
    repos = [corpus.repos(b) for b in range(len(corpus.blobs))]
    uf = lsh.UnionFind(len(corpus.units))
    for a, b in edges:
        ra, rb = repos[corpus.unit_blob[a]], repos[corpus.unit_blob[b]]
        if len(ra) == 1 and ra == rb:  # both only inside one and the same repository
            continue
        uf.union(int(a), int(b))
    out = []
    for members in uf.groups():
        spanned = set().union(*(repos[corpus.unit_blob[m]] for m in members))
        if len(spanned) >= min_repos:
            out.append(members)
    return out


def line_groups(corpus: Corpus, min_repos: int = 2) -> list[list[int]]:
    """Line units sharing one fingerprint across >= min_repos repositories."""
    by_hash: dict[bytes, list[int]] = {}
    for i, unit in enumerate(corpus.line_units):
        by_hash.setdefault(unit.signature, []).append(i)
    out = []
    for members in by_hash.values():
        blobs = {corpus.line_blob[i] for i in members}
        if len(blobs) < 2 and len(corpus.repos(next(iter(blobs)))) < min_repos:
            continue
        spanned = set().union(*(corpus.repos(b) for b in blobs))
        if len(spanned) >= min_repos:
            out.append(members)
    return out
