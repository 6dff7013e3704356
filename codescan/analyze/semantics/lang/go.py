"""Go adapter entry point: the facts of one parsed file (see clike.py and docs/semantics.md)."""
from __future__ import annotations

from .clike import adapter

DYNAMIC = (b"Call", b"ValueOf",)  # words that call a sink without naming it


def facts(source: bytes, tree, wanted, deadline: float | None):
    return adapter("go")(source, tree, "go", deadline, wanted.wants if wanted is not None else None).facts()
