"""Campaigns from the chosen distinct units a batch of groups at a time: copies are found as numpy columns
(copies.py), attach's joins are decided on distinct units (keyattach.py), then groups are expanded in group order a
batch at a time (only the batch's occurrences and unit facts loaded; per place and kind only the copy campaign.build
could choose kept, as expand.py does) and handed to campaign.Builder, which keeps only the campaigns found."""
from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Callable

import numpy as np

from ..records import Unit
from ..state.queries import _OCC
from ..state.records import Occurrence
from ..state.unitread import distinct_units
from . import copies as copy_cols
from .blobfacts import Blobs, Findings
from . import keyattach, minhash, sigfile
from .campaign import Builder, _spans
from .expand import _Group, _offer

BATCH = 20000  # copies expanded at a time (a bigger group is expanded alone)


def campaigns(state, keys: np.ndarray, labels: np.ndarray, line_from: int, units: sigfile.Signed, blobs: Blobs,
              min_repos: int, loose_scan: Callable, tmp: Path) -> list:
    """keys: the chosen distinct units (sorted), labels: their group (labels from line_from on: one shared line
    each); units: the signed units' columns, narrowed to the keys expansion reads once attach's joins are decided.
    loose_scan(flagged, grouped keys) names units in no group that attach could join. tmp: a folder for the run's
    files (the folded findings)."""
    findings = Findings(state.conn, blobs, tmp)
    try:
        return _campaigns(state.conn, keys, labels, line_from, units, blobs, min_repos, loose_scan, findings)
    finally:
        findings.close()


def _campaigns(conn, keys, labels, line_from, signed: sigfile.Signed, blobs, min_repos, loose_scan, findings) -> list:
    builder = Builder(findings.of, blobs.total, min_repos)
    if not len(keys):
        return builder.finish()
    cp = copy_cols.find(conn, keys, blobs, findings)
    if not len(cp):
        return builder.finish()
    label = labels[cp.pos]
    count = int(labels.max()) + 1
    size = np.bincount(label, minlength=count)
    flag = np.zeros(count, dtype=bool)
    np.logical_or.at(flag, label, cp.flag)
    repos = copy_cols.repo_counts(cp, label, count, blobs)
    # The copies regrouped by label (each group's copies kept in copy order): a group's copies are then one slice.
    by_label = np.argsort(label, kind="stable")
    grouped = label[by_label]
    del label
    starts = np.flatnonzero(np.r_[True, grouped[1:] != grouped[:-1]])
    present, first = grouped[starts], by_label[starts]
    cuts_cp = np.searchsorted(grouped, np.arange(count + 1))
    del grouped, starts
    cp = cp.take(by_label)
    del by_label
    order = present[np.argsort(first, kind="stable")]
    order = order[repos[order] >= min_repos].tolist()
    unit_labels = [lab for lab in order if lab < line_from]
    line_labels = [lab for lab in order if lab >= line_from]
    # Each group's keys in the order of their first copies (held: key positions sorted by group, then first copy).
    held, first_copy = np.unique(cp.pos, return_index=True)
    held = held[np.lexsort((first_copy, labels[held]))]
    cuts = np.searchsorted(labels[held], np.arange(count + 1))
    units = np.array(unit_labels, dtype=np.int64)

    def keys_of(gi: int) -> np.ndarray:
        return keys[held[cuts[units[gi]]:cuts[units[gi] + 1]]]

    gi_of = np.full(count, -1, dtype=np.int64)
    gi_of[units] = np.arange(len(units))
    universe = held[gi_of[labels[held]] >= 0]
    sizes, flags = size[units], flag[units]
    flagged = [(int(sizes[gi]), _widest_kind(keys_of(gi), signed.keys, signed.kinds, signed.tokens),
                sorted(keys_of(gi).tolist()))
               for gi in np.flatnonzero(flags).tolist()]
    loose = np.array(sorted(loose_scan(flagged, keys)), dtype=np.int64)
    lcp = copy_cols.find(conn, loose, blobs, findings) if len(loose) else None
    loose_held = loose[np.unique(lcp.pos)] if lcp is not None and len(lcp) else np.zeros(0, dtype=np.int64)
    joins, gone = keyattach.decide(keys[universe], gi_of[labels[universe]], sizes, flags, keys_of, loose_held,
                                   signed.keys, signed.kinds, signed.tokens, signed.path)
    del universe, gi_of
    signed.narrow(np.union1d(keys, loose))  # expansion reads only these keys' signatures
    by_loose = _Index(lcp.pos) if lcp is not None else None

    def of_label(lab: int):
        lo, hi = int(cuts_cp[lab]), int(cuts_cp[lab + 1])
        return np.arange(lo, hi) if hi > lo else None

    def unit_work():
        for gi, lab in enumerate(unit_labels):
            if gi in gone:
                continue
            parts = [("g", lab, cp, of_label(lab))]
            done = joins.get(gi)
            if done is not None:
                parts += [("l", int(k), lcp, by_loose.get(int(np.searchsorted(loose, k)))) for k in sorted(done.loose)]
                parts += [("g", unit_labels[other], cp, of_label(unit_labels[other])) for other, _ in done.groups]
            yield gi, parts

    for batch in _batches(unit_work()):
        _expand(conn, batch, blobs, keys, loose, builder, joins, signed, keys_of, line=False)
    line_work = ((None, [("g", lab, cp, of_label(lab))]) for lab in line_labels)
    for batch in _batches(line_work):
        _expand(conn, batch, blobs, keys, loose, builder, joins, signed, keys_of, line=True)
    return builder.finish()


class _Index:
    """value -> the positions holding it (in order), by binary search in one sorted copy of the values."""

    def __init__(self, values: np.ndarray):
        self.by = np.argsort(values, kind="stable")
        self.values = values[self.by]

    def get(self, value: int):
        lo, hi = np.searchsorted(self.values, [value, value + 1]).tolist()
        return self.by[lo:hi] if hi > lo else None


def _widest_kind(keys: np.ndarray, signed: np.ndarray, kinds: np.ndarray, tokens: np.ndarray) -> int:
    at = np.searchsorted(signed, keys)
    return kinds[at[int(np.argmax(tokens[at]))]]


def _batches(work: list):
    batch, copies = [], 0
    for item in work:
        batch.append(item)
        copies += sum(len(part[3]) for part in item[1] if part[3] is not None)
        if copies >= BATCH:
            yield batch
            batch, copies = [], 0
    if batch:
        yield batch


def _occurrences(conn, blobs: list[str]) -> dict[str, list]:
    out: dict[str, list] = {}
    for start in range(0, len(blobs), 500):
        chunk = blobs[start:start + 500]
        marks = ",".join("?" * len(chunk))
        for row in conn.execute(f"SELECT {_OCC} FROM occurrences o WHERE o.blob IN ({marks}) "
                                "ORDER BY o.repo, o.path, o.ts", chunk):
            out.setdefault(row[3], []).append(Occurrence(*row))
    return out


def _kept(rows: np.ndarray, cols, known: dict, key_of, places: dict) -> dict:
    """(bid, idx) -> (key, Unit) of the copies expand.py keeps of one group's copies (rows of cols, in order)."""
    group = _Group()
    seen: set[int] = set()
    keys: dict[tuple, int] = {}
    for r in rows.tolist():
        bid, idx = int(cols.bid[r]), int(cols.idx[r])
        key = key_of(int(cols.pos[r]))
        kind, name, tokens, _sig = known[key]
        unit = Unit(kind, int(cols.line[r]), int(cols.end[r]), b"", name, tokens)
        keys[(bid, idx)] = key
        if key not in seen or cols.flag[r]:
            seen.add(key)
            group.extra[(bid, idx)] = unit
        for occ in places.get(bid, ()):
            _offer(group, (occ.repo, occ.path), unit.line, unit.end_line, bid, idx, unit, occ)
    kept: dict[tuple, tuple] = {}
    for b in group.best.values():
        kept[(b[2], b[3])] = (keys[(b[2], b[3])], b[4])
    for spot, unit in group.extra.items():
        kept.setdefault(spot, (keys[spot], unit))
    return kept


def _expand(conn, batch: list, blobs: Blobs, keys: np.ndarray, loose: np.ndarray, builder: Builder, joins: dict,
            signed: sigfile.Signed, keys_of: Callable, line: bool) -> None:
    rows = [part for _gi, parts in batch for part in parts if part[3] is not None]
    bids = sorted({int(b) for _t, _l, cols, at in rows for b in np.unique(cols.bid[at]).tolist()})
    places = _occurrences(conn, [blobs.name(b) for b in bids])
    wanted: set[int] = set()
    for kind_, _lab, cols, at in rows:
        wanted.update((keys if kind_ == "g" else loose)[np.unique(cols.pos[at])].tolist())
    known = distinct_units(conn, wanted)
    occurrences = {b: places.get(blobs.name(b), []) for b in bids}
    with sigfile.Reader(signed.path) as sigs:  # rows read as asked: nothing of the file stays resident
        for gi, parts in batch:
            kept = []
            for kind_, _lab, cols, at in parts:
                if at is None:
                    kept.append({})
                    continue
                table = keys if kind_ == "g" else loose
                kept.append(_kept(at, cols, known, lambda p, t=table: int(t[p]), occurrences))
            members = sorted(kept[0].items())
            if len(parts) > 1:
                members += _joined(parts[1:], kept[1:], joins[gi])
            units = [u for _spot, (_k, u) in members]
            blobs = [spot[0] for spot, _ in members]
            ns = SimpleNamespace(occurrences=occurrences, unit_blob=blobs, units=units, line_blob=blobs,
                                 line_units=list(units))
            if line:
                builder.line_group(_spans(ns, ns.line_blob, ns.line_units, list(range(len(units)))))
                continue
            spans = _spans(ns, ns.unit_blob, ns.units, list(range(len(units))))
            member_keys = [k for _spot, (k, _u) in members]
            if gi in joins:
                sim = _similarity(member_keys, units, signed, sigs)
            else:
                ordered = keys_of(gi)
                sim = _similarity(ordered.tolist(), [known[int(k)] for k in ordered.tolist()], signed, sigs)
            builder.unit_group(spans, sim)


def _joined(parts: list, kept: list, joins) -> list:
    """The copies a group takes in, in the order attach appends them: loose copies one by one, a group whole at its
    first copy that matched, all in copy order."""
    events = []
    for (kind_, _lab, _cols, _at), mine in zip(parts, kept):
        if kind_ == "l":
            events.extend((spot, [(spot, item)]) for spot, item in mine.items())
    hit_sets = [hit for _other, hit in joins.groups]
    for hit, mine in zip(hit_sets, kept[len(joins.loose):]):
        ordered = sorted(mine.items())
        trigger = min(spot for spot, (k, _u) in ordered if k in hit)
        events.append((trigger, ordered))
    out = []
    for _spot, block in sorted(events, key=lambda e: e[0]):
        out.extend(block)
    return out


def _similarity(member_keys: list, units: list, signed: sigfile.Signed, sigs: sigfile.Reader) -> float:
    """The least estimated Jaccard of a group's widest kind of unit to its first such member (units: a Unit or the
    (kind, name, tokens, signature) facts of each member)."""
    facts = [(u.kind, u.tokens) if isinstance(u, Unit) else (u[0], u[2]) for u in units]
    widest = max(range(len(facts)), key=lambda i: facts[i][1])
    kind = facts[widest][0]
    chosen = [k for k, f in zip(member_keys, facts) if f[0] == kind]
    rows = sigs.rows(signed.rows_of(np.array(chosen, dtype=np.int64)))
    return float(minhash.similarity(rows, rows[:1]).min())
