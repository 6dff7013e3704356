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
    """Per set of wanted patterns: for each word the finder may meet, the head words one of which must occur.

    Read from one table of every pattern met so far in this process (a word's patterns, filtered by membership in
    this set when a file asks about the word): each of the few hundred rule subsets of a scan built its own tables
    over its ~500 patterns (0.2 CPU-s over the stdlib), though they differ in a few rules' patterns."""

    def __init__(self, patterns):
        self._patterns = frozenset(patterns)
        _register(self._patterns)
        self.never = not self._patterns.isdisjoint(_ANGLED)  # a same-file function `<def:N>`: any word may end it
        self._some_heads = not self._patterns.isdisjoint(_HEADED)

    def for_file(self, words: set, code_word) -> "_Dead | None":
        """A test of the words the finder meets in one file (None: every word is kept). `words`: the file's
        distinct words; `code_word(word)`: some occurrence may build a name (asked for python_builders.WORDS)."""
        if self.never or not self._some_heads:
            return None
        if any(code_word(b) for b in asked(words)):
            return None  # a name may be built from a text
        # every registered head the file holds: a word's needed heads are met against it, and those are heads of
        # this set's patterns, so the other heads in it change no answer
        return _Dead(self, _HEADS & words)

    def needs(self, word: bytes) -> list:
        """The needed heads (None: always possible) of each pattern of this set a name ending in `word` may match."""
        patterns = self._patterns
        return [*(_NEEDED_OF[p] for p in _BY_LAST.get(word, ()) if p in patterns),
                *(needed for regex, needed, p in _WILD if p in patterns and regex.match(word))]


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
            needs = self._words.needs(word)
            # a word no pattern ends with reached the finder for the adapter's own reasons: kept
            found = self._memo[word] = bool(needs) and all(n is not None and not n & self._present for n in needs)
        return found


# The table of every pattern registered (a process meets the rules' few hundred patterns; never emptied)
_SEEN: set = set()
_BY_LAST: dict[bytes, list] = {}  # literal last word -> the patterns ending with it
_WILD: list = []  # (regex of a wildcard last part, needed heads, pattern)
_NEEDED_OF: dict[str, frozenset | None] = {}
_ANGLED: set = set()  # patterns holding `<`
_HEADED: set = set()  # patterns that need a head word
_HEADS: set = set()  # every needed head word


def _register(patterns: frozenset) -> None:
    for pattern in patterns - _SEEN:
        _SEEN.add(pattern)
        if "<" in pattern:
            _ANGLED.add(pattern)
        last, needed = _last_needed(pattern)
        _NEEDED_OF[pattern] = needed
        if needed is not None:
            _HEADED.add(pattern)
            _HEADS.update(needed)
        if b"*" in last:
            _WILD.append((_fits(last), needed, pattern))
        else:
            _BY_LAST.setdefault(last, []).append(pattern)


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
    # an alias's word (cPickle for pickle) or an aliased object's (ctypes for the libc ctypes.CDLL() loads) makes it too
    return frozenset({head.encode()} | {a.encode() for a, target in MODULE_ALIASES.items()
                                        if target.split(".")[0] == head}
                     | {p.split(".")[0].encode() for p, target in OBJECT_ALIASES.items() if target.split(".")[0] == head})


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
