"""PHP adapter entry point: the facts of one parsed file (see scripts.py and docs/semantics.md)."""
from __future__ import annotations

import re

from .scripts import PHP_CALLBACKS, PhpFlow
from .treeflow import compare_possible  # noqa: F401 (the engine runs the layer where it holds)

# calls a sink without naming it: every callback-taking builtin the adapter follows (call_user_func_array was
# missing: a file calling only it never reached the layer), and backticks (equality tests: treeflow.compare_possible)
DYNAMIC = tuple(sorted(name.encode() for name in PHP_CALLBACKS)) + (b"`",)
DYNAMIC_CALLS = re.compile(rb"\$\w+\s*\(")  # `$f(...)`: the function is named by a variable ($f = 'sys'.'tem')


def facts(source: bytes, tree, wanted, budget):
    return PhpFlow(source, tree, budget, wanted.wants if wanted is not None else None).facts()
