"""Clean-looking copies joined to a campaign that holds findings: the same unit before its payload was armed.

An attacker's first commits often carry the planted function with the payload not armed yet (another
module loaded, a call left out). Such a copy differs from the armed ones in a statement or two, below
the link threshold. For a group whose copies hold findings, units of the same kind in other places
whose estimated Jaccard with a member reaches ATTACH join the group.
"""
from __future__ import annotations

import numpy as np

from . import minhash
from .corpus import Corpus
from .units import MIN_TOKENS

ATTACH = 0.5  # estimated Jaccard with a member of a group that holds findings
MAX_GROUPS = 200  # flagged groups checked (the most repositories first); each is one pass over the signatures
REPRESENTATIVES = 4  # members compared per group (distinct signatures)


def _flagged(corpus: Corpus, members: list[int]) -> bool:
    for m in members:
        unit = corpus.units[m]
        if any(unit.line <= f.line <= unit.end_line for f in corpus.findings[corpus.unit_blob[m]]):
            return True
    return False


def attach(corpus: Corpus, groups: list[list[int]], sigs: np.ndarray, sizes: list[int] | None = None
           ) -> list[list[int]]:
    """groups with near copies added to those holding findings: a loose unit joins, a group without
    findings joins whole (the unarmed copies often link among themselves first). sizes: each group's copies when
    the corpus holds only some of them (cluster/expand.py), for the order groups are checked in."""
    if not groups or not len(sigs):
        return groups
    owner = np.full(len(corpus.units), -1, dtype=np.int64)
    for gi, g in enumerate(groups):
        owner[g] = gi
    kinds = np.array([u.kind for u in corpus.units])
    long = np.array([u.tokens >= MIN_TOKENS for u in corpus.units])
    flags = [_flagged(corpus, g) for g in groups]
    order = sorted((gi for gi, f in enumerate(flags) if f), key=lambda gi: -(sizes[gi] if sizes else len(groups[gi])))
    out = [list(g) for g in groups]
    gone: set[int] = set()
    for gi in order[:MAX_GROUPS]:
        members = out[gi]
        kind = max((corpus.units[m] for m in members), key=lambda u: u.tokens).kind
        pool = np.flatnonzero((kinds == kind) & long & (owner != gi))
        if not len(pool):
            continue
        reps = np.unique(sigs[[m for m in members if corpus.units[m].kind == kind]], axis=0)[:REPRESENTATIVES]
        best = np.zeros(len(pool))
        for rep in reps:
            best = np.maximum(best, minhash.similarity(sigs[pool], rep[None, :]))
        for unit in pool[best >= ATTACH].tolist():
            other = int(owner[unit])
            if other < 0:
                members.append(unit)
                owner[unit] = gi
            elif other not in gone and not flags[other]:
                members.extend(out[other])
                owner[out[other]] = gi
                gone.add(other)
    return [g for gi, g in enumerate(out) if gi not in gone]
