"""Splice rewrites of tree-sitter nodes into source text, outermost rewrite winning, line count kept."""
from __future__ import annotations

from bisect import bisect_left
from typing import Callable

from . import budget as budgets


class Splicer:
    """Folded text for spans of `source`, given candidate nodes and a `rewrite(node) -> bytes | None`.

    A candidate's rewrite may itself ask for the folded text of a child span (`text(node)`), so
    rewrites compose (`getattr(__import__('o'+'s'), 'system')` -> `os.system`). Rewrites are memoized."""

    def __init__(self, source: bytes, rewrite: Callable, continuation: bytes):
        self.source = source
        self._rewrite = rewrite
        self._continuation = continuation  # what pads a line that a rewrite made shorter
        self._nodes: dict[tuple[int, int], object] = {}
        self._memo: dict[tuple[int, int], bytes | None] = {}
        self._order: list[tuple[int, int]] = []
        self._starts: list[int] = []

    def add(self, node) -> None:
        self._nodes.setdefault((node.start_byte, node.end_byte), node)

    def seal(self) -> None:
        self._order = sorted(self._nodes, key=lambda k: (k[0], -k[1]))
        self._starts = [k[0] for k in self._order]

    def __bool__(self) -> bool:
        return bool(self._nodes)

    def rewrite(self, key: tuple[int, int]) -> bytes | None:
        if key not in self._memo:
            budgets.tick()
            self._memo[key] = None  # a cycle folds to nothing
            self._memo[key] = self._rewrite(self._nodes[key])
        return self._memo[key]

    def text(self, node) -> bytes:
        """The folded text of `node` (its own rewrite, else its span with inner rewrites)."""
        key = (node.start_byte, node.end_byte)
        if key in self._nodes:
            own = self.rewrite(key)
            if own is not None:
                return own
        return self._splice(node.start_byte, node.end_byte, skip=key, pad=False)

    def result(self) -> bytes | None:
        """The whole folded source, or None when no rewrite applied."""
        out = self._splice(0, len(self.source), skip=None, pad=True)
        return None if out == self.source else out

    def _splice(self, start: int, end: int, skip, pad: bool) -> bytes:
        parts: list[bytes] = []
        pos = start
        i = bisect_left(self._starts, start)
        while i < len(self._order):
            budgets.tick()
            key = self._order[i]
            i += 1
            if key[0] >= end:
                break
            if key[0] < pos or key[1] > end or key == skip:
                continue
            new = self.rewrite(key)
            if new is None:
                continue
            old = self.source[key[0]:key[1]]
            if pad:
                missing = old.count(b"\n") - new.count(b"\n")
                if missing < 0:
                    continue
                new = new + self._continuation * missing
            parts.append(self.source[pos:key[0]])
            parts.append(new)
            pos = key[1]
        parts.append(self.source[pos:end])
        return b"".join(parts)
