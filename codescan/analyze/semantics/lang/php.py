"""PHP adapter entry point: the facts of one parsed file (see scripts.py and docs/semantics.md)."""
from __future__ import annotations

from .scripts import PhpFlow
from .treeflow import COMPARE_TOKENS

DYNAMIC = (b"call_user_func", b"array_map", b"`", *COMPARE_TOKENS)  # calls a sink without naming it; equality tests


def facts(source: bytes, tree, wanted, budget):
    return PhpFlow(source, tree, budget, wanted.wants if wanted is not None else None).facts()
