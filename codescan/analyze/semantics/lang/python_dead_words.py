"""Per Python file: the wanted words whose every pattern needs a module the file never names (not searched)."""
from __future__ import annotations

import re

from ..names import BUILTIN_MODULES, MODULE_ALIASES, OBJECT_ALIASES
from .python_functions import REQUEST_NAMES
from .python_builders import asked, building_words
from .python_skip import for_patterns

# A callee name's first part comes from a word of the file: an import, a free name, a parameter (python_heads).
# The exceptions have no such word, so their patterns always stay: unprefixed builtins (`builtins.*`), the
# request object (`request`, `req`, flask.request...), the comparisons auth_gates reports (`operator.eq`),
# same-file functions (`<def:N>`), wildcard heads (`**.execute`, `*.new`). A name built at run time from a
# text (__import__, sys.modules[k], globals()[k], eval...) may have any head: a file where one of those words
# may build a name (python_builders) keeps every word.
_FREE_HEADS = frozenset(BUILTIN_MODULES | REQUEST_NAMES | {"request", "operator"}
                        | {p.split(".")[0] for p in OBJECT_ALIASES})


class DeadWords:
    """Per set of wanted patterns: for each word the finder may meet, the head words one of which must occur."""

    def __init__(self, patterns):
        self.never = False
        self._exact: dict[bytes, list] = {}  # last word -> [needed heads or None (always possible)]
        self._wild: list[tuple[re.Pattern, frozenset | None]] = []
        for pattern in patterns:
            if "<" in pattern:
                self.never = True
            last, needed = _last_needed(pattern)
            if b"*" in last:
                self._wild.append((_fits(last), needed))
            else:
                self._exact.setdefault(last, []).append(needed)
        self._heads = frozenset(h for lists in (*self._exact.values(), [n for _r, n in self._wild])
                                for n in lists if n is not None for h in n)

    def for_file(self, words: set, code_word) -> "_Dead | None":
        """A test of the words the finder meets in one file (None: every word is kept). `words`: the file's
        distinct words; `code_word(word)`: some occurrence may build a name (asked for python_builders.WORDS)."""
        if self.never or not self._heads:
            return None
        if any(code_word(b) for b in asked(words)):
            return None  # a name may be built from a text
        present = frozenset(h for h in self._heads if h in words)
        return _Dead(self, present)


class _Dead:
    """Whether a word met in one file can end a wanted name there (memoized per word)."""

    __slots__ = ("_words", "_present", "_memo")

    def __init__(self, words: DeadWords, present: frozenset):
        self._words = words
        self._present = present
        self._memo: dict[bytes, bool] = {}

    def __call__(self, word: bytes) -> bool:
        found = self._memo.get(word)
        if found is None:
            table = self._words
            needs = [*table._exact.get(word, ()), *(n for regex, n in table._wild if regex.match(word))]
            # a word no pattern ends with reached the finder for the adapter's own reasons: kept
            found = self._memo[word] = bool(needs) and all(n is not None and not n & self._present for n in needs)
        return found


def _last_needed(pattern: str) -> tuple[bytes, frozenset | None]:
    """(the word a name matching `pattern` ends with, _needed(pattern)), made once per process (every rule subset
    holds ~600 patterns, most of them the same)."""
    found = _LAST_NEEDED.get(pattern)
    if found is None:
        parts = [p.rstrip("()") for p in pattern.split(".")]
        while len(parts) > 1 and not parts[-1].strip("*"):
            parts.pop()  # as names.last_parts: `subprocess.*` is found through `subprocess`
        if len(_LAST_NEEDED) > 65_536:
            _LAST_NEEDED.clear()
        found = _LAST_NEEDED[pattern] = (parts[-1].encode(), _needed(pattern))
    return found


_LAST_NEEDED: dict = {}


def _needed(pattern: str) -> frozenset | None:
    """Words one of which must occur for a name matching `pattern` to be made; None: no word is needed
    (memoized: every rule subset asks about its ~400 patterns)."""
    found = _NEEDED.get(pattern, False)
    if found is False:
        found = _NEEDED[pattern] = _needed_words(pattern)
    return found


_NEEDED: dict = {}


def _needed_words(pattern: str) -> frozenset | None:
    parts = pattern.split(".")
    head = parts[0].rstrip("()")
    if len(parts) < 2 or not head or "*" in head or "<" in head or "$" in head or head in _FREE_HEADS:
        return None
    return frozenset({head.encode()} | {a.encode() for a, target in MODULE_ALIASES.items()
                                        if target.split(".")[0] == head})


_FITS: dict = {}


def _fits(last: bytes) -> re.Pattern:
    """A wildcard last part's regex, compiled once per process."""
    found = _FITS.get(last)
    if found is None:
        found = _FITS[last] = re.compile(re.escape(last).replace(rb"\*", rb"[^.]*") + rb"\Z")
    return found


def dead_words_for(wanted) -> DeadWords:
    return for_patterns(DeadWords, wanted)


def code_words(source: bytes, scopes):
    """`code_word(word)` for DeadWords.for_file: some occurrence of a name-building word may build a name."""
    return building_words(source, scopes)
