"""The Python adapter's facts of one source as comparable tuples (for tests that switch an optimisation off)."""
from __future__ import annotations

from codescan.analyze import languages
from codescan.analyze.semantics.lang import python as adapter


def facts_of(rules, source: bytes) -> list[tuple]:
    """Every call fact the adapter gives `source` for the rules it activates; [] when none is active."""
    wanted, _chosen = rules.active("python", source)
    if wanted is None:
        return []
    tree = languages.parser("python").parse(source)
    return [(c.callee, c.line, c.column, c.via, c.args, c.kwargs, c.receiver, c.trace)
            for c in adapter.facts(source, tree, wanted, None).calls]
