"""Ruby adapter entry point: the facts of one parsed file (see scripts.py and docs/semantics.md)."""
from __future__ import annotations

from .scripts_ruby import RubyFlow
from .treeflow import compare_possible  # noqa: F401 (the engine runs the layer where it holds)

DYNAMIC = (b"send", b"public_send", b"__send__", b"`", b"%x")  # calls a sink without naming it (equality tests: treeflow.compare_possible)


def facts(source: bytes, tree, wanted, budget):
    return RubyFlow(source, tree, budget, wanted.wants if wanted is not None else None).facts()
