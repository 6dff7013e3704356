"""cluster/attach.py's joins decided on distinct units before any group is expanded: which loose units and which
groups without findings each group holding findings takes in (the same choices attach makes over the copies, since
every copy of a distinct unit has its kind, size and signature)."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import numpy as np

from . import minhash, sigfile
from .attach import ATTACH, MAX_GROUPS, REPRESENTATIVES
from .units import MIN_TOKENS


@dataclass
class Joins:
    """What one group holding findings takes in: loose unit keys, and (group index, its keys that matched)."""

    loose: set = field(default_factory=set)
    groups: list = field(default_factory=list)


def decide(universe: np.ndarray, owner: np.ndarray, sizes: np.ndarray, flags: np.ndarray, keys_of: Callable,
           loose: np.ndarray, signed: np.ndarray, kinds: np.ndarray, tokens: np.ndarray, sig_path: Path
           ) -> tuple[dict[int, Joins], set[int]]:
    """universe, owner: the keys of every unit group and the index of their group (groups in group order);
    sizes/flags per group: its copies and whether one holds a finding; keys_of(group index): its keys in
    first-copy order; loose: keys in no group that have copies. Returns the joins per group index and the groups
    taken in whole."""
    joins: dict[int, Joins] = {}
    gone: set[int] = set()
    order = sorted(np.flatnonzero(flags).tolist(), key=lambda gi: -int(sizes[gi]))[:MAX_GROUPS]
    if not order or not len(signed):
        return joins, gone
    universe = np.concatenate([universe, loose]).astype(np.int64)
    owner = np.concatenate([owner, np.full(len(loose), -1, dtype=np.int64)])
    where = np.searchsorted(signed, universe)
    ukind, ulong = kinds[where], tokens[where] >= MIN_TOKENS
    flagged = np.asarray(flags, dtype=bool)
    count = len(signed)
    for gi in order:
        mine = np.searchsorted(signed, keys_of(gi))
        kind = kinds[mine[int(np.argmax(tokens[mine]))]]
        pool = np.flatnonzero((ukind == kind) & ulong & (owner != gi))
        if not len(pool):
            continue
        reps = np.unique(sigfile.rows(sig_path, count, mine[kinds[mine] == kind]), axis=0)[:REPRESENTATIVES]
        hits = []
        pool = pool[np.argsort(where[pool], kind="stable")]  # in file order (hits are used as a set)
        for at, rows in sigfile.blocks(sig_path, count, where[pool]):
            block, pool = pool[:len(at)], pool[len(at):]
            best = np.zeros(len(block))
            for rep in reps:
                best = np.maximum(best, minhash.similarity(rows, rep[None, :]))
            hits.append(block[best >= ATTACH])
        hits = np.concatenate(hits)
        if not len(hits):
            continue
        mine_joins = Joins()
        who = owner[hits]
        taken = who < 0
        mine_joins.loose.update(universe[hits[taken]].tolist())
        owner[hits[taken]] = gi
        for other in sorted(set(who[~taken].tolist())):
            if other in gone or flagged[other]:
                continue
            mine_joins.groups.append((other, set(universe[hits[who == other]].tolist())))
            owner[owner == other] = gi
            gone.add(other)
        if mine_joins.loose or mine_joins.groups:
            joins[gi] = mine_joins
    return joins, gone
