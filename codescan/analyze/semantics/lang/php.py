"""PHP adapter entry point: the facts of one parsed file (see scripts.py and docs/semantics.md)."""
from __future__ import annotations

from .scripts import PhpFlow

DYNAMIC = (b"call_user_func", b"array_map", b"`")  # ways to call a sink without naming it


def facts(source: bytes, tree, wanted, deadline: float | None):
    return PhpFlow(source, tree, deadline, wanted.wants if wanted is not None else None).facts()
