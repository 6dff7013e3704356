"""From groups of distinct units to the corpus campaigns are built from. Per group, place and kind only the copy
campaign.build could choose is kept (the widest unit of the kind, then the version introduced first; for a shared
line, its first version), plus each distinct unit's first copy and the copies holding a finding (what
cluster/attach.py looks at), so memory follows the places campaigns report, not how many versions history holds."""
from __future__ import annotations

from typing import Callable

import numpy as np

from ..records import Unit
from ..state.unitread import blob_lists, distinct_units
from . import minhash
from .campaign import _earlier
from .corpus import Corpus


class _Group:
    __slots__ = ("order", "best", "extra", "first_of_kind", "keys_of_kind", "widest", "size", "flagged")

    def __init__(self, order: int):
        self.order = order
        self.best: dict = {}  # (place, kind) -> (line, end, blob order, idx, unit, occ)
        self.extra: dict = {}  # (blob order, idx) -> unit: first copies and copies holding a finding
        self.first_of_kind: dict[str, int] = {}
        self.keys_of_kind: dict[str, set] = {}
        self.widest: tuple[int, str] | None = None
        self.size = 0  # copies, as a whole corpus counts group members
        self.flagged = False


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


def _member(held: np.ndarray, wanted: np.ndarray) -> np.ndarray:
    """Which of held are in wanted (sorted, distinct)."""
    if not len(wanted):
        return np.zeros(len(held), dtype=bool)
    at = np.minimum(np.searchsorted(wanted, held), len(wanted) - 1)
    return wanted[at] == held


def _walk(conn, wanted: np.ndarray, label_of: dict, known: dict, places: dict, findings: dict, groups: dict,
          blob_repos: dict, names: dict) -> None:
    """Offer every copy of the wanted keys to its group (one pass over the blobs' key lists)."""
    seen: set[int] = set()
    wanted = np.unique(wanted)  # sorted once: a binary search per blob (np.isin sorted it again for every blob)
    for bid, (blob, held, lines, ends) in enumerate(blob_lists(conn)):
        if blob not in blob_repos:
            continue
        hits = np.flatnonzero(_member(held, wanted))
        if not len(hits):
            continue
        names[bid] = blob
        here = places.get(blob, ())
        marks = [f.line for f in findings.get(blob, ())]
        for idx in hits.tolist():
            key = int(held[idx])
            kind, name, tokens, signature = known[key]
            unit = Unit(kind, int(lines[idx]), int(ends[idx]), signature, name, tokens)
            label = label_of[key]
            group = groups.get(label)
            if group is None:
                group = groups[label] = _Group(len(groups))
            group.size += 1
            held_finding = any(unit.line <= m <= unit.end_line for m in marks)
            group.flagged |= held_finding
            if key not in seen or held_finding:
                seen.add(key)
                group.extra[(bid, idx)] = unit
            if kind != "line":
                group.first_of_kind.setdefault(kind, key)
                group.keys_of_kind.setdefault(kind, set()).add(key)
                if group.widest is None or tokens > group.widest[0]:
                    group.widest = (tokens, kind)
            for occ in here:
                _offer(group, (occ.repo, occ.path), unit.line, unit.end_line, bid, idx, unit, occ)


def expand(state, group_of: dict[int, int], blob_repos: dict, total_repos: int, min_repos: int,
           loose_scan: Callable | None = None):
    """(corpus, unit groups, line groups, similarity and copies per unit group) for the chosen distinct units.
    loose_scan(flagged, grouped keys) names units outside every group that attach could join (kept as loose
    copies in the corpus)."""
    conn = state.conn
    corpus = Corpus()
    corpus.repo_count = total_repos
    if not group_of:
        return corpus, [], [], {}, []
    places: dict[str, list] = {}
    for occ in state.occurrences():
        if occ.blob in blob_repos:
            places.setdefault(occ.blob, []).append(occ)
    findings: dict[str, list] = {}
    for finding in state.findings():
        findings.setdefault(finding.blob, []).append(finding)
    chosen = np.array(sorted(group_of), dtype=np.int64)
    known = distinct_units(conn, chosen.tolist())
    groups: dict[int, _Group] = {}
    names: dict[int, str] = {}
    _walk(conn, chosen, group_of, known, places, findings, groups, blob_repos, names)
    spanning = {label for label, g in groups.items() if len({slot[0][0] for slot in g.best}) >= min_repos}
    loose_groups: dict[int, _Group] = {}
    if loose_scan is not None:
        flagged = [(g.size, g.widest[1], sorted(set().union(*g.keys_of_kind.values())))
                   for label, g in sorted(groups.items(), key=lambda item: item[1].order)
                   if label in spanning and g.flagged and g.widest is not None]
        loose = sorted(loose_scan(flagged, set(group_of)))
        if loose:
            extra_known = distinct_units(conn, loose)
            known.update(extra_known)
            _walk(conn, np.array(loose, dtype=np.int64), {k: -1 - n for n, k in enumerate(loose)}, known, places,
                  findings, loose_groups, blob_repos, names)
    return _corpus(corpus, groups, spanning, loose_groups, places, findings, names, known)


def _corpus(corpus: Corpus, groups: dict, spanning: set, loose_groups: dict, places: dict, findings: dict,
            names: dict, known: dict):
    """The kept copies as a corpus, in corpus order, with groups in the order a whole corpus would give them."""
    kept: dict[tuple, tuple] = {}
    for label, g in [*groups.items(), *loose_groups.items()]:
        if label >= 0 and label not in spanning:
            continue
        for b in g.best.values():
            kept[(b[2], b[3])] = (label, b[4])
        for (bid, idx), unit in g.extra.items():
            kept.setdefault((bid, idx), (label, unit))
    members: dict[int, list[int]] = {}
    for (bid, idx), (label, unit) in sorted(kept.items(), key=lambda item: item[0]):
        blob = names[bid]
        if blob not in corpus.blobs:
            cid = corpus.blob_id(blob)
            for occ in places.get(blob, ()):
                corpus.add_occurrence(blob, occ)
            corpus.findings[cid].extend(findings.get(blob, ()))
        if label >= 0:
            members.setdefault(label, []).append(len(corpus.line_units) if unit.kind == "line" else len(corpus.units))
        corpus.add_unit(corpus.blobs[blob], idx, unit)
    unit_groups, line_groups, similarity, sizes = [], [], {}, []
    for label, group in sorted(groups.items(), key=lambda item: item[1].order):
        if label not in spanning or label not in members:
            continue
        if group.widest is None:
            line_groups.append(members[label])
            continue
        kind = group.widest[1]
        rows = minhash.stack([known[k][3] for k in sorted(group.keys_of_kind[kind])])
        ref = minhash.from_bytes(known[group.first_of_kind[kind]][3])[None, :]
        similarity[len(unit_groups)] = float(minhash.similarity(rows, ref).min())
        unit_groups.append(members[label])
        sizes.append(group.size)
    return corpus, unit_groups, line_groups, similarity, sizes
