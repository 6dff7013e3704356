"""C# adapter entry point: the facts of one parsed file (see clike.py and docs/semantics.md)."""
from __future__ import annotations

from .clike import adapter
from .treeflow import compare_possible  # noqa: F401 (the engine runs the layer where it holds)

DYNAMIC = (b"Invoke", b"GetMethod", b"GetType")  # calls a sink without naming it (equality tests: treeflow.compare_possible)


def facts(source: bytes, tree, wanted, budget):
    return adapter("csharp")(source, tree, "csharp", budget, wanted.wants if wanted is not None else None).facts()
