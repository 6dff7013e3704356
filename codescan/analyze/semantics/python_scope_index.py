"""The functions, lambdas and classes inside one top-level Python statement, by start: found from their keywords in
the text (`def`, `class`, `lambda`), or by a tree query when the tree has errors."""
from __future__ import annotations

import tree_sitter as ts

_QUERY: list = []  # compiled once per process
NO_SCOPES = ([], [], [], [])
# keyword -> the node it starts (its parent)
_KEYWORDS = ((b"def", "function_definition"), (b"class", "class_definition"), (b"lambda", "lambda"))
TEXT = True  # find the scopes from their keywords in an error-free tree (off: the query, for tests comparing both)


def scope_index(top, source: bytes | None):
    """(starts, ends, nodes, enclosing index) of every function, lambda and class in `top`'s subtree, by start,
    outer first at equal starts. `source`: the file's text when its tree has no errors — then each scope is
    the parent of its keyword (a query visits every node of the statement: a big class cost ~1 ms)."""
    found = _by_keywords(top, source) if source is not None and TEXT else _by_query(top)
    found.sort(key=lambda n: (n.start_byte, -n.end_byte))
    starts: list[int] = []
    ends: list[int] = []
    parents: list[int] = []
    stack: list[int] = []
    for j, scope in enumerate(found):
        start = scope.start_byte
        while stack and ends[stack[-1]] <= start:
            stack.pop()
        parents.append(stack[-1] if stack else -1)
        starts.append(start)
        ends.append(scope.end_byte)
        stack.append(j)
    return starts, ends, found, parents


def _by_query(top) -> list:
    if not _QUERY:
        from ..languages import grammar
        _QUERY.append(ts.Query(grammar("python"), "[(function_definition) (lambda) (class_definition)] @s"))
    return [n for n in ts.QueryCursor(_QUERY[0]).captures(top).get("s", ()) if n.end_byte > n.start_byte]


def _by_keywords(top, source: bytes) -> list:
    """The parent of each `def`/`class`/`lambda` keyword token in the statement (the same words in strings,
    comments or longer names are no such token)."""
    found = []
    low, high = top.start_byte, top.end_byte
    for word, kind in _KEYWORDS:
        size = len(word)
        pos = source.find(word, low, high)
        while pos >= 0:
            end = pos + size
            before, after = source[pos - 1:pos] if pos else b"", source[end:end + 1]
            if not (before.isalnum() or before == b"_" or after.isalnum() or after == b"_"):
                token = top.descendant_for_byte_range(pos, end)
                if token is not None and token.type == word.decode() and not token.is_named \
                        and token.start_byte == pos and token.end_byte == end:
                    scope = token.parent
                    if scope is not None and scope.type == kind and scope.end_byte > scope.start_byte:
                        found.append(scope)
            pos = source.find(word, end, high)
    return found
