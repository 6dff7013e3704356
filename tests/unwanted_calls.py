"""Shared check of the Python layer's skips: a call it skipped must not resolve to a name a rule wants."""
from __future__ import annotations

from codescan.analyze.semantics.lang.python_calls import callee_value
from codescan.analyze.semantics.names import canonical


def assert_unwanted(facts, wanted, node) -> None:
    """Fails when the candidate call `node`, fully resolved, is one a fact rule wants."""
    callee = callee_value(facts.values, node)
    names = [callee.name] if callee.name else [c.name for c in callee.choices if c.name]
    for name in names:
        assert not wanted.wants(canonical(name) or ""), (name, node.text[:80])
