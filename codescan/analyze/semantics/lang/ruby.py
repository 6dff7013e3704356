"""Ruby adapter entry point: the facts of one parsed file (see scripts.py and docs/semantics.md)."""
from __future__ import annotations

from .scripts import RubyFlow
from .treeflow import COMPARE_TOKENS

DYNAMIC = (b"send", b"public_send", b"__send__", b"`", b"%x", *COMPARE_TOKENS)  # calls a sink without naming it; equality tests


def facts(source: bytes, tree, wanted, budget):
    return RubyFlow(source, tree, budget, wanted.wants if wanted is not None else None).facts()
