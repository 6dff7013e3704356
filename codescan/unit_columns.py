"""A worker's batch of analyses sent back to the driver with their campaign units as columns, not Unit objects.

A crawl's batch of 50 versions carries ~25,000 units (~200 k on the history bench). Pickled one by one, each is a
dataclass state built in the worker and rebuilt field by field in the driver (0.54 + 0.63 CPU-s and 43.7 MB through
the pipe on that bench); as six columns per analysis they pickle as a few lists, and a signature several units
share (an unchanged function in the batch's next version) is sent once (0.06 + 0.25 CPU-s with the Units rebuilt,
7.4 MB). The driver gets back Analyses equal to the worker's (unpack), or, where only the units' fields are wanted
(the crawl stores them as rows), the rows straight from the columns (rows: no Unit object is built again)."""
from __future__ import annotations

from dataclasses import replace
from typing import Iterable, NamedTuple

from .records import Analysis, Unit


class PackedUnits(NamedTuple):
    """An analysis without its units, and the units' fields as parallel tuples (Unit's field order)."""

    analysis: Analysis
    kinds: tuple
    lines: tuple
    end_lines: tuple
    signatures: tuple
    names: tuple
    tokens: tuple


def pack(results: Iterable) -> list:
    """Analyses with units become PackedUnits; everything else passes as it is. Equal signatures in the batch
    become one object, which pickle then sends once."""
    shared: dict[bytes, bytes] = {}
    out: list = []
    for item in results:
        units = getattr(item, "units", None) if isinstance(item, Analysis) else None
        if not units:
            out.append(item)
            continue
        out.append(PackedUnits(replace(item, units=()), tuple(u.kind for u in units), tuple(u.line for u in units),
                               tuple(u.end_line for u in units),
                               tuple(shared.setdefault(u.signature, u.signature) for u in units),
                               tuple(u.name for u in units), tuple(u.tokens for u in units)))
    return out


def unpack(items: Iterable) -> list:
    """The results `pack` was given, equal to them."""
    out: list = []
    for item in items:
        if isinstance(item, PackedUnits):
            units = tuple(map(Unit, item.kinds, item.lines, item.end_lines, item.signatures, item.names, item.tokens))
            item = replace(item.analysis, units=units)
        out.append(item)
    return out


def rows(item) -> tuple:
    """(the analysis or skip without its units, its units as rows (kind, name, line, end_line, tokens, signature)):
    a PackedUnits' rows are zipped from its columns, so the ~200 k Units of the history bench's crawl are not
    rebuilt in the driver only to be taken apart again for the state."""
    if isinstance(item, PackedUnits):
        return item.analysis, list(zip(item.kinds, item.names, item.lines, item.end_lines, item.tokens,
                                       item.signatures))
    units = getattr(item, "units", None) if isinstance(item, Analysis) else None
    if not units:
        return item, []
    return replace(item, units=()), [(u.kind, u.name, u.line, u.end_line, u.tokens, u.signature) for u in units]
