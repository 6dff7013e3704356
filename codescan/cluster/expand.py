"""From groups of distinct units to the corpus campaigns are built from, keeping per group, place and kind only the
copy campaign.build could choose (the widest unit of the kind, then the version introduced first; for a shared
line, its first version), so memory follows the places campaigns report, not how many versions history holds."""
from __future__ import annotations

import numpy as np

from ..records import Unit
from ..state.unitread import blob_lists, distinct_units
from . import minhash
from .campaign import _earlier
from .corpus import Corpus


class _Group:
    __slots__ = ("order", "best", "first_of_kind", "keys_of_kind", "widest")

    def __init__(self, order: int):
        self.order = order
        self.best: dict = {}  # (place, kind) -> (line, end, blob order, idx, unit, occ)
        self.first_of_kind: dict[str, int] = {}
        self.keys_of_kind: dict[str, set] = {}
        self.widest: tuple[int, str] | None = None


def _offer(group: _Group, place, line: int, end: int, bid: int, idx: int, unit: Unit, occ) -> None:
    """The copy campaign._spans / _unit_spans could pick at this place, kept as the copies stream by."""
    slot = (place, unit.kind)
    old = group.best.get(slot)
    if unit.kind == "line":
        if old is None or (old[2] != bid and _earlier(occ, bid, old[5], old[2])):
            group.best[slot] = (line, end, bid, idx, unit, occ)
        elif old[2] == bid:
            group.best[slot] = (min(old[0], line), max(old[1], end), bid, idx, unit, occ)
    elif old is None or _rank(unit, occ, bid) < _rank(old[4], old[5], old[2]):
        group.best[slot] = (line, end, bid, idx, unit, occ)


def _rank(unit: Unit, occ, bid: int) -> tuple:
    return -unit.tokens, getattr(occ, "date", None) or "~", unit.line, bid


def expand(state, group_of: dict[int, int], blob_repos: dict, total_repos: int, min_repos: int):
    """(corpus, unit groups, line groups, similarity per unit group) for the chosen distinct units."""
    conn = state.conn
    chosen = np.array(sorted(group_of), dtype=np.int64)
    corpus = Corpus()
    corpus.repo_count = total_repos
    if not len(chosen):
        return corpus, [], [], {}
    hit: set[str] = set()
    for blob, held, _lines, _ends in blob_lists(conn):
        if blob in blob_repos and np.isin(held, chosen).any():
            hit.add(blob)
    places: dict[str, list] = {}
    for occ in state.occurrences():
        if occ.blob in hit:
            places.setdefault(occ.blob, []).append(occ)
    known = distinct_units(conn, chosen.tolist())
    groups: dict[int, _Group] = {}
    bid = -1
    for blob, held, lines, ends in blob_lists(conn):
        if blob not in hit:
            continue
        bid += 1
        for idx in np.flatnonzero(np.isin(held, chosen)).tolist():
            key = int(held[idx])
            kind, name, tokens, signature = known[key]
            unit = Unit(kind, int(lines[idx]), int(ends[idx]), signature, name, tokens)
            label = group_of[key]
            group = groups.get(label)
            if group is None:
                group = groups[label] = _Group(len(groups))
            if kind != "line":
                group.first_of_kind.setdefault(kind, key)
                group.keys_of_kind.setdefault(kind, set()).add(key)
                if group.widest is None or tokens > group.widest[0]:
                    group.widest = (tokens, kind)
            for occ in places.get(blob, ()):
                _offer(group, (occ.repo, occ.path), unit.line, unit.end_line, bid, idx, unit, occ)
    return _corpus(corpus, groups, places, known, min_repos)


def _corpus(corpus: Corpus, groups: dict, places: dict, known: dict, min_repos: int):
    """The kept copies as a corpus, in corpus order, with groups in the order a whole corpus would give them."""
    kept = {(b[2], b[3], label): (b[5].blob, b[4]) for label, g in groups.items() for b in g.best.values()}
    members: dict[int, list[int]] = {}
    for (bid, idx, label), (blob, unit) in sorted(kept.items(), key=lambda item: item[0]):
        fresh = blob not in corpus.blobs
        cid = corpus.blob_id(blob)
        if fresh:
            for occ in places[blob]:
                corpus.add_occurrence(blob, occ)
        members.setdefault(label, []).append(len(corpus.line_units) if unit.kind == "line" else len(corpus.units))
        corpus.add_unit(cid, idx, unit)
    unit_groups, line_groups, similarity = [], [], {}
    for label, group in sorted(groups.items(), key=lambda item: item[1].order):
        if len({slot[0][0] for slot in group.best}) < min_repos or label not in members:
            continue
        if group.widest is None:
            line_groups.append(members[label])
            continue
        kind = group.widest[1]
        rows = minhash.stack([known[k][3] for k in sorted(group.keys_of_kind[kind])])
        ref = minhash.from_bytes(known[group.first_of_kind[kind]][3])[None, :]
        similarity[len(unit_groups)] = float(minhash.similarity(rows, ref).min())
        unit_groups.append(members[label])
    return corpus, unit_groups, line_groups, similarity
