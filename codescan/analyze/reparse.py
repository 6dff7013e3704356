"""A file's next version parsed from its previous version's tree: the tree edited by the one span that changed; and
the trees of the small sources found inside a file (code in its comments and docstrings), kept by their text; a
tree edited row by row into the shape of a same-length text (a folded view)."""
from __future__ import annotations

from collections import OrderedDict

KEEP = 64  # files whose last tree a worker keeps (a crawl hands out a file's versions together, oldest first)
FRAGMENTS = 1024  # inner sources (comment and docstring code, decoded payloads) whose trees a worker keeps
FRAGMENT_BYTES = 16384  # ... each at most this big


class LastTrees:
    """The last error-free tree parsed per (path, language). `old_tree(key, source)` gives it edited into the
    shape of `source` (None when there is none), for tree-sitter to re-parse only around the change.

    Tree-sitter's incremental parse gives the tree a fresh parse gives. Its error recovery can differ, so a tree
    with an error is never kept and a re-parse that has one is not used (the caller parses afresh)."""

    def __init__(self, keep: int = KEEP):
        self.keep = keep
        self._trees: OrderedDict[tuple[str, str], tuple[bytes, object, set]] = OrderedDict()
        self._fragments: dict[tuple[str, bytes], object] = {}

    def fragment(self, language: str, source: bytes, parse):
        """The tree of an inner source (`parse()` parses it afresh): the tree kept for the same text when there is
        one. A file's next version holds the same comments and docstrings, and prose parsed as code is slow (error
        recovery everywhere): 734 such parses on the history bench were 55 distinct texts. A fresh parse of the same
        bytes gives the same tree, and no analysis edits a tree it is given (edits go to copies)."""
        if len(source) > FRAGMENT_BYTES:
            return parse()
        key = (language, source)
        tree = self._fragments.get(key)
        if tree is None:
            tree = parse()
            if len(self._fragments) >= FRAGMENTS:
                for old in list(self._fragments)[:FRAGMENTS // 4]:  # the oldest quarter
                    del self._fragments[old]
            self._fragments[key] = tree
        return tree

    def old_tree(self, key: tuple[str, str], source: bytes):
        found = self.previous(key, source)
        return None if found is None else found[0]

    def previous(self, key: tuple[str, str], source: bytes):
        """(the last tree edited into the shape of `source`, the edited byte span in `source`, the rule ids its
        version was found quiet for: quiet_rules) or None."""
        found = self._trees.get(key)
        if found is None:
            return None
        old, tree, quiet = found
        start = _common_prefix(old, source)
        room = min(len(old), len(source)) - start  # the suffix may not overlap the prefix
        end = _common_prefix(old[::-1][:room], source[::-1][:room]) if room else 0
        edited = tree.copy()
        edited.edit(start_byte=start, old_end_byte=len(old) - end, new_end_byte=len(source) - end,
                    start_point=_point(old, start), old_end_point=_point(old, len(old) - end),
                    new_end_point=_point(source, len(source) - end))
        return edited, (start, len(source) - end), quiet

    def keep_tree(self, key: tuple[str, str], source: bytes, tree, quiet: set | None = None) -> None:
        """`quiet`: the set the analysis of this version fills with the rules that matched nothing in it."""
        self._trees.pop(key, None)
        if tree.root_node.has_error:
            return
        self._trees[key] = (source, tree, quiet if quiet is not None else set())
        while len(self._trees) > self.keep:
            self._trees.popitem(last=False)


def base_path(path: str) -> str:
    """The path without the `./` prefixes the crawl adds to tell versions of one file apart in flight."""
    while path.startswith("./"):
        path = path[2:]
    return path


def _common_prefix(a: bytes, b: bytes) -> int:
    """Length of the longest common prefix (halving: each step one C-level slice comparison)."""
    lo, hi = 0, min(len(a), len(b))
    if a[:hi] == b[:hi]:
        return hi
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if a[lo:mid] == b[lo:mid]:
            lo = mid
        else:
            hi = mid - 1
    return lo


def _point(source: bytes, offset: int) -> tuple[int, int]:
    """Tree-sitter's (row, byte column) of a byte offset."""
    return source.count(b"\n", 0, offset), offset - (source.rfind(b"\n", 0, offset) + 1)


def edited_rows(tree, before: list[bytes], after: list[bytes], rows: list[tuple[int, int]]):
    """A copy of `tree` edited row range by row range into the shape of `after`, so the folded text
    re-parses incrementally (unchanged subtrees reused); None when the line counts differ."""
    if len(before) != len(after):
        return None
    edited = tree.copy()
    starts = [0]
    for line in before:
        starts.append(starts[-1] + len(line) + 1)
    for first, last in reversed(rows):  # from the end: earlier offsets stay valid
        start = starts[first]
        old_end = starts[last] + len(before[last])
        new_end = start + sum(len(line) + 1 for line in after[first:last + 1]) - 1
        edited.edit(start_byte=start, old_end_byte=old_end, new_end_byte=new_end,
                    start_point=(first, 0), old_end_point=(last, len(before[last])),
                    new_end_point=(last, len(after[last])))
    return edited


def changed_rows(before: list[bytes], after: list[bytes]) -> list[tuple[int, int]]:
    """Merged (first, last) 0-based row ranges where two same-length line lists differ."""
    ranges: list[tuple[int, int]] = []
    for row, (old, new) in enumerate(zip(before, after)):
        if old != new:
            if ranges and ranges[-1][1] >= row - 1:
                ranges[-1] = (ranges[-1][0], row)
            else:
                ranges.append((row, row))
    if len(after) != len(before):  # never expected (fold keeps line counts); stay correct anyway
        ranges.append((min(len(before), len(after)), max(len(before), len(after))))
    return ranges
