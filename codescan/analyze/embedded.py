"""Code hidden in comments and docstrings (COVERT / TrojanPuzzle), as fragments to parse as code."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Fragment:
    line: int  # 1-based document line where `code` starts
    code: bytes  # the comment/docstring body, markers stripped, same line count
    kind: str  # "comment" or "docstring"
    trigger: bool  # "use the safe/secure method"-style phrasing next to it


def fragments(source: bytes, tree, language: str):
    """Yield comment and docstring bodies that may hold code."""
    return iter(())
