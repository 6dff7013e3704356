"""Which distinct units outside every group cluster/attach.py could join to a group holding findings, found over
the signature file a group at a time (attach then runs on the expanded copies, these among them)."""
from __future__ import annotations

from pathlib import Path

import numpy as np

from . import minhash, sigfile
from .attach import ATTACH, MAX_GROUPS, REPRESENTATIVES
from .units import MIN_TOKENS


def loose_candidates(flagged: list[tuple[int, int, list[int]]], signed: np.ndarray, kinds: np.ndarray,
                     tokens: np.ndarray, sig_path: Path, grouped) -> set[int]:
    """flagged: (size, widest kind, member keys) of each group holding findings, in group order. Returns keys of
    units in no group (grouped: a set or an array of keys) whose estimated Jaccard with a representative of such a group reaches ATTACH."""
    out: set[int] = set()
    if not len(signed) or not flagged:
        return out
    order = sorted(range(len(flagged)), key=lambda i: -flagged[i][0])[:MAX_GROUPS]
    grouped = np.fromiter(grouped, dtype=np.int64, count=len(grouped)) if isinstance(grouped, set) else grouped
    loose = ~np.isin(signed, grouped) & (tokens >= MIN_TOKENS)
    for i in order:
        _size, kind, members = flagged[i]
        mine = np.searchsorted(signed, np.array(sorted(members), dtype=np.int64))
        mine = mine[kinds[mine] == kind]
        if not len(mine):
            continue
        reps = np.unique(sigfile.rows(sig_path, len(signed), mine), axis=0)[:REPRESENTATIVES]
        pool = np.flatnonzero(loose & (kinds == kind))
        for block, rows in sigfile.blocks(sig_path, len(signed), pool):
            best = np.zeros(len(block))
            for rep in reps:
                best = np.maximum(best, minhash.similarity(rows, rep[None, :]))
            out.update(signed[block[best >= ATTACH]].tolist())
    return out
