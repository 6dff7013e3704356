"""Where the chosen distinct units occur: one pass over the blobs' key lists gives every copy (blob, place in the
blob, lines, whether a finding sits inside it) as numpy columns, 21 bytes a copy, never a Python object a copy."""
from __future__ import annotations

import numpy as np

from ..state.unitread import blob_lists

FLUSH = 2000  # blobs whose copies are gathered before their columns are joined
PAIRS = 65536  # copies read at a time when counting repositories


def member(held: np.ndarray, wanted: np.ndarray) -> np.ndarray:
    """Which of held are in wanted (sorted, distinct)."""
    if not len(wanted):
        return np.zeros(len(held), dtype=bool)
    at = np.minimum(np.searchsorted(wanted, held), len(wanted) - 1)
    return wanted[at] == held


class Copies:
    """Columns of the copies of some distinct units, in (blob, place in blob) order: pos (the unit's index in the
    sorted keys asked for), bid (the blob's place in blob order), idx, line, end, flag (a finding inside)."""

    NAMES = ("pos", "bid", "idx", "line", "end", "flag")

    def __init__(self, columns: dict[str, np.ndarray]):
        for name in self.NAMES:
            setattr(self, name, columns[name])

    def __len__(self) -> int:
        return len(self.pos)

    def take(self, order: np.ndarray) -> "Copies":
        """These copies in another order (a column at a time, each old column let go once taken)."""
        columns = {}
        for name in self.NAMES:
            columns[name] = getattr(self, name)[order]
            setattr(self, name, None)
        return Copies(columns)


def find(conn, keys: np.ndarray, blobs, findings) -> Copies:
    """Copies of keys (sorted, distinct) in blobs that occur somewhere (blobs: blobfacts.Blobs); findings
    (blobfacts.Findings) gives the lines of each blob's findings."""
    done: dict[str, list] = {name: [] for name in Copies.NAMES}
    pending: dict[str, list] = {name: [] for name in Copies.NAMES}

    def flush() -> None:
        if pending["pos"]:
            for name in Copies.NAMES:
                done[name].append(np.concatenate(pending[name]))
                pending[name].clear()

    for bid, (_blob, held, lines, ends) in enumerate(blob_lists(conn)):
        if not blobs.occurs(bid):
            continue
        hits = np.flatnonzero(member(held, keys))
        if not len(hits):
            continue
        line, end = lines[hits], ends[hits]
        found = findings.lines(bid)
        flag = (np.zeros(len(hits), dtype=bool) if found is None else
                np.searchsorted(found, end, side="right") > np.searchsorted(found, line, side="left"))
        pending["pos"].append(np.searchsorted(keys, held[hits]).astype(np.int32))
        pending["bid"].append(np.full(len(hits), bid, dtype=np.int32))
        pending["idx"].append(hits.astype(np.int32))
        pending["line"].append(line.astype(np.int32))
        pending["end"].append(end.astype(np.int32))
        pending["flag"].append(flag)
        if len(pending["pos"]) >= FLUSH:
            flush()
    flush()
    return Copies({name: np.concatenate(parts) if parts else np.zeros(0, dtype=bool if name == "flag" else np.int32)
                   for name, parts in done.items()})


def repo_counts(copies: Copies, labels: np.ndarray, count: int, blobs) -> np.ndarray:
    """Per label (0..count-1): how many repositories hold one of its copies. labels: the label of each copy. Read a
    chunk of copies at a time; what is kept is one code per distinct (label, repository)."""
    found = np.zeros(0, dtype=np.int64)
    width = max(blobs.total, 1)
    for lo in range(0, len(copies), PAIRS):
        bid, label = copies.bid[lo:lo + PAIRS].astype(np.int64), labels[lo:lo + PAIRS].astype(np.int64)
        span = int(bid.max()) + 1
        pairs = np.unique(label * span + bid)
        label, bid = pairs // span, pairs % span
        bids, at = np.unique(bid, return_inverse=True)
        which, repo = blobs.repo_pairs(bids)
        starts = np.searchsorted(which, np.arange(len(bids) + 1))  # each blob's repositories: repo[starts[i]:]
        n = (starts[1:] - starts[:-1])[at]
        offsets = np.repeat(starts[at], n) + (np.arange(int(n.sum())) - np.repeat(np.cumsum(n) - n, n))
        found = np.union1d(found, np.repeat(label, n) * width + repo[offsets])
    return np.bincount(found // width, minlength=count)
