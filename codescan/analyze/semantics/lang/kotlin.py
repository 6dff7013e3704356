"""Kotlin adapter entry point: the facts of one parsed file (see clike.py and docs/semantics.md)."""
from __future__ import annotations

from .clike import adapter
from .treeflow import COMPARE_TOKENS

DYNAMIC = (b"invoke", b"forName", b"getMethod", *COMPARE_TOKENS)  # calls a sink without naming it; equality tests


def facts(source: bytes, tree, wanted, budget):
    return adapter("kotlin")(source, tree, "kotlin", budget, wanted.wants if wanted is not None else None).facts()
