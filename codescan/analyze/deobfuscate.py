"""Fold disguised code into plain code (constant strings, built names, aliases) keeping line numbers."""
from __future__ import annotations


def fold(source: bytes, tree, language: str) -> bytes | None:
    """A folded view of `source` with the same number of lines, or None when nothing folds."""
    return None
