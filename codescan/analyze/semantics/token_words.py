"""Whole-word occurrences of many words in a source, found from its distinct words (shared with the rule gate)."""
from __future__ import annotations

import re

from ..rule_gate import presence_of


class WordFinder:
    r"""The matches of `(?<![\w$])(?:words|wildcards)(?![\w$])` in a source holding no `$`, in order: the
    words present are the source's distinct words (a set the rule gate has already built) that are
    wanted or fit a wildcard (one multi-line regex over the distinct words), then each is found with
    bytes.find. A word-by-word scan of the whole source cost a Python step per word of the file."""

    def __init__(self, words: frozenset, wild: tuple[bytes, ...]):
        self._words = words
        self._wild = _wild_search(wild) if wild else None
        self._last: tuple = (None, ())

    def finditer(self, source: bytes):
        last_source, found = self._last
        if last_source is not source:  # the engine's search and the adapter's walk ask about one source
            found = self._last = (source, occurrences(source, self._present(source)))
            found = found[1]
        return iter(found)

    def _present(self, source: bytes) -> set:
        seen = presence_of(source)
        present = seen.word_set() & self._words
        if self._wild is not None:
            present.update(self._wild(seen.text(True, False)))
        return present


_WILD: dict = {}


def _wild_search(wild: tuple[bytes, ...]):
    """findall of the wildcards over a newline-separated word list, compiled once per process for each set."""
    found = _WILD.get(wild)
    if found is None:
        if len(_WILD) > 1024:
            _WILD.clear()
        found = _WILD[wild] = re.compile(rb"(?m)^(?:" + b"|".join(wild) + rb")$").findall
    return found


class _Hit:
    """What callers read of a match: start(), end(), group()."""

    __slots__ = ("_start", "_word")

    def __init__(self, start: int, word: bytes):
        self._start = start
        self._word = word

    def start(self) -> int:
        return self._start

    def end(self) -> int:
        return self._start + len(self._word)

    def group(self, _index: int = 0) -> bytes:
        return self._word


def occurrences(source: bytes, words) -> list:
    """_Hits of each word where no word character or `$` is beside it, by offset."""
    found = []
    for word in words:
        size = len(word)
        pos = source.find(word)
        while pos >= 0:
            before = source[pos - 1:pos] if pos else b""
            after = source[pos + size:pos + size + 1]
            if not (before.isalnum() or before in (b"_", b"$")) or not before:
                if not (after.isalnum() or after in (b"_", b"$")) or not after:
                    found.append(_Hit(pos, word))
            pos = source.find(word, pos + 1)
    found.sort(key=_Hit.start)
    return found
