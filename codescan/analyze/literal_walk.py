"""One query walk over a tree for both the literals `payloads` decodes and the comments and docstrings `embedded`
reads (each ran its own walk over every node of the file)."""
from __future__ import annotations

import threading
from functools import lru_cache

import tree_sitter as ts

from . import languages

COMBINED = True  # one walk for both when both ask about the same tree (off: each its own walk, for tests)
_LAST = threading.local()  # .walked: (tree, captures) of this thread's last combined walk, until taken


@lru_cache(maxsize=None)
def _both(language: str, payload_text: str, comment_text: str) -> ts.Query:
    return ts.Query(languages.grammar(language), payload_text + "\n" + comment_text)


def walk(tree, language: str, payload_text: str, comment_text: str, max_start_depth: int) -> dict:
    """The captures of payloads' query (`payload_text`, matches starting at most `max_start_depth` deep) and of
    embedded's (`comment_text`) in one walk, kept for `taken`. The caller knows the tree holds no node deeper than
    `max_start_depth` (embedded's own walk has no such bound): the captures are then those two walks give."""
    cursor = ts.QueryCursor(_both(language, payload_text, comment_text))
    cursor.set_max_start_depth(max_start_depth)
    captures = cursor.captures(tree.root_node)
    _LAST.walked = (tree, captures)
    return captures


def taken(tree) -> dict | None:
    """The captures of the last combined walk when it was over this very tree (once), else None."""
    walked = getattr(_LAST, "walked", None)
    if walked is not None and walked[0] is tree:
        _LAST.walked = None
        return walked[1]
    return None
