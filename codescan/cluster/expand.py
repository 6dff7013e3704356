"""Which copies of a group to keep as its copies stream by: per place and kind only the copy campaign.build could
choose (the widest unit of the kind, then the version introduced first; for a shared line, its first version), plus
each distinct unit's first copy and the copies holding a finding (what attach looks at), so a group's memory follows
the places campaigns report, not how many versions history holds (used by batched.py)."""
from __future__ import annotations

from ..records import Unit
from .campaign import _earlier


class _Group:
    __slots__ = ("best", "extra")

    def __init__(self):
        self.best: dict = {}  # (place, kind) -> (line, end, blob order, idx, unit, occ)
        self.extra: dict = {}  # (blob order, idx) -> unit: first copies and copies holding a finding


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
