"""Campaigns of a corpus from the units its one analysis pass produced (no second parse): parts in record
order, one uid per unit of each distinct blob, verified edges (see bands), then the campaign api's `cluster`.

Both engines go through `campaigns_from_parts`; only where the edges and the signatures come from differs
(this process for the local engine, Ray tasks for `--engine ray`), so their campaigns are identical.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Callable, Iterable

import numpy as np

from ..cluster import lsh
from ..cluster.api import cluster
from ..cluster.corpus import Corpus, Occurrence
from ..records import Unit


@dataclass(frozen=True, slots=True)
class PartUnits:
    """One analyzed record part as the campaign stage needs it."""

    order: tuple[int, int, int]  # (shard number, row, part): the record order both engines sort by
    path: str  # the part's key `<shard>#<row>.<part>` (campaign members name it)
    repo: str  # --repo-field value, else the record's key: parts of one record are one source
    blob: str  # content digest + language: equal blobs give equal units
    units: tuple[Unit, ...] = ()  # signatures may be empty when they are held elsewhere (Ray)
    findings: tuple = ()


def blob_key(doc_blob: str, language: str | None) -> str:
    return f"{doc_blob}:{language or ''}"


def part_repo(repo: str | None, shard: str, row: int) -> str:
    return repo or f"{shard}#{row}"


def neutral(findings) -> tuple:
    """A blob's findings without the part they were seen in: each campaign member gets its own repo and path."""
    return tuple(f.with_(path="", repo=None, record=None, blob=None) for f in findings)


class Layout:
    """Parts sorted by record order. Each blob's units come from one part holding them (parts of one blob hold
    equal units, or none when the engine sent them once) and are numbered 0..n-1 (uids) in the order blobs
    first appear."""

    def __init__(self, parts: Iterable[PartUnits]):
        self.parts = sorted(parts, key=lambda p: p.order)
        self.owner: dict[str, PartUnits] = {}
        self.repos: dict[str, set] = {}
        for part in self.parts:
            self.repos.setdefault(part.blob, set()).add(part.repo)
            held = self.owner.get(part.blob)
            if held is None or (not held.units and not held.findings and (part.units or part.findings)):
                self.owner[part.blob] = part
        self.base: dict[str, int] = {}  # blob -> uid of its first non-line unit
        count = 0
        for part in self.parts:
            if part.blob not in self.base:
                self.base[part.blob] = count
                count += sum(1 for u in self.owner[part.blob].units if u.kind != "line")
        self.count = count

    def owns(self, part: PartUnits) -> bool:
        return self.owner[part.blob] is part

    def uids(self, blob: str) -> list[int]:
        base = self.base[blob]
        return list(range(base, base + sum(1 for u in self.owner[blob].units if u.kind != "line")))

    def spread_uids(self, min_repos: int) -> set[int]:
        """Units of blobs seen in >= min_repos sources: campaign candidates even without an edge."""
        out: set[int] = set()
        for blob, repos in self.repos.items():
            if len(repos) >= min_repos:
                out.update(self.uids(blob))
        return out


def campaigns_from_parts(layout: Layout, edges: np.ndarray, signatures: Callable[[set[int]], dict[int, bytes]],
                         threshold: float = lsh.THRESHOLD, min_repos: int = 2) -> list:
    """Campaigns over the parts: only units on an edge or in a spread blob enter the clustering corpus
    (others cannot join a campaign), so only their signatures are asked for."""
    needed = set(np.unique(edges).tolist()) | layout.spread_uids(min_repos)
    sigs = signatures(needed) if needed else {}
    corpus = Corpus()
    position: dict[int, int] = {}
    for part in layout.parts:
        if part.blob not in corpus.blobs:
            bid = corpus.blob_id(part.blob)
            owner = layout.owner[part.blob]
            uid = layout.base[part.blob]
            for idx, unit in enumerate(owner.units):
                if unit.kind == "line":
                    corpus.add_unit(bid, idx, unit)
                    continue
                if uid in needed:
                    position[uid] = len(corpus.units)
                    corpus.add_unit(bid, idx, replace(unit, signature=sigs[uid]) if not unit.signature else unit)
                uid += 1
            corpus.findings[bid].extend(owner.findings)
        corpus.add_occurrence(part.blob, Occurrence(part.repo, part.path))
    mapped = np.array([(position[a], position[b]) for a, b in edges.tolist()], dtype=np.int64).reshape(-1, 2)
    return cluster(corpus, threshold, min_repos, mapped)


def local_campaigns(parts: Iterable[PartUnits], threshold: float = lsh.THRESHOLD, min_repos: int = 2) -> list:
    """The local engine: every signature is in memory already."""
    from . import bands

    layout = Layout(parts)
    held = [u.signature for blob in layout.base for u in layout.owner[blob].units if u.kind != "line"]
    sigs = np.frombuffer(b"".join(held), dtype="<u8").reshape(len(held), -1) if held else np.zeros((0, 128), np.uint64)
    edges = bands.local_edges(sigs, threshold)
    return campaigns_from_parts(layout, edges, lambda wanted: {u: held[u] for u in wanted}, threshold, min_repos)
