"""PHP adapter entry point: the facts of one parsed file (see scripts.py and docs/semantics.md)."""
from __future__ import annotations

import re

from .scripts import PhpFlow
from .treeflow import compare_possible  # noqa: F401 (the engine runs the layer where it holds)

DYNAMIC = (b"call_user_func", b"array_map", b"`")  # calls a sink without naming it (equality tests: treeflow.compare_possible)
DYNAMIC_CALLS = re.compile(rb"\$\w+\s*\(")  # `$f(...)`: the function is named by a variable ($f = 'sys'.'tem')


def facts(source: bytes, tree, wanted, budget):
    return PhpFlow(source, tree, budget, wanted.wants if wanted is not None else None).facts()
