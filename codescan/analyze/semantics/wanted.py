"""What the fact rules of one language (or a subset of them) need from a file: the canonical callees of their sinks,
and the words those callees end with, found in the source cheaply (a set look-up per word, regexes compiled once
per process and shared by the rule subsets)."""
from __future__ import annotations

import re

from .names import last_parts, pattern_regex
from .token_words import WordFinder

# Distinct rule subsets kept with their compiled Wanted: a mixed tree has a few hundred (language x labels
# present); at 64 the cache was cleared over and over and recompiling the regexes cost more than the layer.
MAX_SUBSETS = 2048
_WANTED: dict = {}


class Wanted:
    """What the fact rules for one language need: callees (canonical patterns) and, for finding call
    sites cheaply, the words those callees end with."""

    def __init__(self, rules, prefilter=None, patterns: frozenset | None = None):
        patterns = sorted(callees_of(rules) if patterns is None else patterns)
        self.patterns = patterns
        # A pattern without `*` is one name: a set look-up. The wildcard ones: one regex over all of them, compiled
        # once per process for each distinct set — or, for a rule subset, the regex of its language's whole set
        # (`prefilter`) and the subset's own patterns one by one (a subset's regex cost ~4 ms to compile).
        self._exact = frozenset(p for p in patterns if "*" not in p)
        wild = tuple(p for p in patterns if "*" in p)
        if not wild:
            self._callee = None
        elif prefilter is not None:
            self._callee = _WildSubset(prefilter, wild)
        else:
            self._callee = _compiled(("callee", wild), lambda: pattern_regex(wild))
        words = sorted({w for w in last_parts(patterns) if w.strip("*")})
        self._word_list = words
        self._words = frozenset(w for w in words if "*" not in w)
        wild_words = tuple(_escaped(w) for w in words if "*" in w)
        self._word = _compiled(("word", wild_words), lambda: re.compile("(?:" + "|".join(wild_words) + r")\Z")) \
            if wild_words else None
        kinds = [_word_kind(w) for w in words]
        self._literal = frozenset(w.encode() for w, kind in zip(words, kinds) if kind == "word")
        self._hyphens = tuple(w.encode() for w, kind in zip(words, kinds) if kind == "other")
        self._wild = tuple(w.encode() for w in words if "*" in w)  # as written: `exec*`, `*Async`
        # words and wildcards of identifier characters, and hyphenated module names (`node-fetch`, called
        # after require): token_regex finds them word by word; any other form keeps one regex
        self._plain = all(_PLAIN.get(w) or _plain(w) for w in words)
        self._regexes: dict = {}

    @property
    def _body(self) -> bytes:
        """The alternation of every wanted word (wildcards as `[\\w$]*`), for the one-regex form of token_regex."""
        return ("|".join(_escaped(w) for w in self._word_list) or "(?!)").encode()

    def wants(self, callee: str) -> bool:
        return callee in self._exact or (self._callee is not None and self._callee.match(callee) is not None)

    def token_full(self, word: str) -> bool:
        return word in self._words or (self._word is not None and self._word.match(word) is not None)

    def token_regex(self, extra: tuple[bytes, ...] = ()):
        """Finds the wanted words (and `extra`) as whole words: `.finditer(source)`, `.search(source)`."""
        found = self._regexes.get(extra)
        if found is None:
            words = tuple(e for e in extra if re.match(rb"[\w$]", e))
            marks = tuple(e for e in extra if e not in words)  # `, ==: found anywhere, no word boundary
            if self._plain and all(_WORD.fullmatch(w) for w in words):
                found = _Tokens(self._literal, self._wild, marks, self._hyphens, frozenset(words))
            else:
                alternatives = self._body + b"".join(b"|" + re.escape(e) for e in words)
                pattern = rb"(?<![\w$])(?:" + alternatives + rb")(?![\w$])"
                if marks:
                    pattern += b"|" + b"|".join(re.escape(m) for m in marks)
                found = re.compile(pattern)
            self._regexes[extra] = found
        return found


_WORD = re.compile(rb"[\w$]+")
_COMPILED: dict = {}
_PLAIN: dict[str, bool] = {}  # word -> token_regex can find it word by word (memo: subsets share their words)
_KINDS: dict[str, str] = {}


def _plain(word: str) -> bool:
    found = _PLAIN[word] = re.fullmatch(r"[\w$*]+|[A-Za-z0-9_]+(?:-[A-Za-z0-9_]+)+", word) is not None
    return found


def _word_kind(word: str) -> str:
    """"wild" (holds `*`), "word" (identifier characters and `$`) or "other" (`node-fetch`), memoized."""
    kind = _KINDS.get(word)
    if kind is None:
        kind = _KINDS[word] = "wild" if "*" in word else "word" if _WORD.fullmatch(word.encode()) else "other"
    return kind


def _escaped(word: str) -> str:
    return re.escape(word).replace(r"\*", r"[\w$]*")


class _WildSubset:
    """`match(callee)` of a rule subset's wildcard patterns: the language's regex over all of its patterns says
    no for nearly every callee; the few it fits are tried against the subset's own patterns (each compiled once
    per process), memoized. The same answers as one regex over the subset's patterns."""

    __slots__ = ("_prefilter", "_patterns", "_memo", "_fitting")

    def __init__(self, prefilter, patterns: tuple):
        self._prefilter = prefilter
        self._patterns = patterns
        self._memo: dict[str, bool] = {}
        # the language's regex over all its patterns: one answer a callee, shared by the subsets. Keyed by its text:
        # a compiled regex hashes its whole program (~17 us for this one, at every call)
        self._fitting = _PREFILTERED.setdefault(prefilter.pattern, {})

    def match(self, callee: str):
        memo = self._fitting
        fits = memo.get(callee)
        if fits is None:
            if len(memo) > MAX_PREFILTERED:
                memo.clear()
            fits = memo[callee] = self._prefilter.match(callee) is not None
        if not fits:
            return None
        found = self._memo.get(callee)
        if found is None:
            found = self._memo[callee] = any(
                _compiled(("one", pattern), lambda p=pattern: pattern_regex((p,))).match(callee) is not None
                for pattern in self._patterns)
        return True if found else None


# prefilter regex's text -> callee -> whether it matches (shared by every rule subset of the language; a match of that
# regex over a few hundred patterns cost ~15 us, asked for the same callees file after file)
_PREFILTERED: dict = {}
MAX_PREFILTERED = 65_536


def _compiled(key: tuple, build):
    """A regex shared by every Wanted and _Tokens that needs the same one (rule subsets differ mostly in
    their literal words; the wildcard ones are few and the same)."""
    found = _COMPILED.get(key)
    if found is None:
        if len(_COMPILED) > MAX_SUBSETS:
            _COMPILED.clear()
        found = _COMPILED[key] = build()
    return found


def _lone_dollars(source: bytes) -> bool:
    """Whether every `$` of the source (at most 64 looked at) stands beside no word character and no `$`: then
    every match, a whole run of `[\\w$]`, is a run of word characters, one of the source's distinct words
    (a regex `r"^\\d+$"` in Python; `$name` of a template is not)."""
    pos = source.find(b"$")
    for _ in range(64):
        if pos < 0:
            return True
        before, after = source[pos - 1:pos] if pos else b"", source[pos + 1:pos + 2]
        if before.isalnum() or before in (b"_", b"$") or after.isalnum() or after in (b"_", b"$"):
            return False
        pos = source.find(b"$", pos + 1)
    return pos < 0


class _Tokens:
    r"""The matches of `(?<![\w$])(?:words|extra)(?![\w$])|marks`, found word by word (a set look-up per word):
    one alternation of ~250 words, some with a leading `[\w$]*`, cost 4x as much on the stdlib.

    `hyphens` (`node-fetch`) span several words: tried where their first word occurs, after the wanted
    words (which sort before them in the alternation) and before `extra` (which comes after it)."""

    def __init__(self, literal: frozenset, wild: tuple[bytes, ...], marks: tuple[bytes, ...],
                 hyphens: tuple[bytes, ...] = (), extra: frozenset = frozenset()):
        self._literal = literal
        self._extra = extra - literal
        rest = tuple(re.escape(w).replace(rb"\*", rb"[\w$]*") for w in wild)
        self._wild = _compiled(("wild", rest), lambda: re.compile(rb"(?:" + b"|".join(rest) + rb")\Z").match) \
            if rest else None
        self._marks = frozenset(marks)
        self._heads = frozenset(h.split(b"-", 1)[0] for h in hyphens)
        self._hyphen = re.compile(rb"(?:" + b"|".join(re.escape(h) for h in sorted(hyphens)) + rb")(?![\w$])").match \
            if hyphens else None
        # one set look-up decides for most of a file's words (98% are none of these)
        self._any = literal | self._marks | self._heads | self._extra
        self._scan = _compiled(("scan", marks), lambda: re.compile(
            rb"[\w$]+" + b"".join(b"|" + re.escape(m) for m in marks)))
        # no marks, no hyphenated words: every match is a whole word in _any or fitting a wildcard
        self._by_words = WordFinder(self._any, rest) if not marks and not hyphens else None
        # a word of `$` only (jQuery's `$`) would match a `$` standing alone: then every `$` takes the scan
        self._dollar_words = any(w and not w.replace(b"*", b"").strip(b"$") for w in (*self._any, *wild))

    def finditer(self, source: bytes):
        if self._by_words is not None and (b"$" not in source or (not self._dollar_words and _lone_dollars(source))):
            yield from self._by_words.finditer(source)  # the same matches, from the source's distinct words
            return
        any_word, wild = self._any, self._wild
        end = 0
        for match in self._scan.finditer(source):
            text = match.group()
            if text in any_word:
                found = self._decide(source, match, text, end)
                if found is not None:
                    if found is not match:
                        end = found.end()  # a hyphenated word: the words inside it are not matched again
                    yield found
            elif wild is not None and wild(text) is not None and match.start() >= end:
                yield match

    def _decide(self, source: bytes, match, text: bytes, end: int):
        """The match this word gives (itself, the hyphenated word it starts, or None), in the alternation's
        order: the wanted words and wildcards, then the hyphenated words, then `extra`."""
        if match.start() < end:
            return None
        if text in self._literal or text in self._marks or (self._wild is not None and self._wild(text) is not None):
            return match
        if text in self._heads:
            found = self._hyphen(source, match.start())
            if found is not None:
                return found
        return match if text in self._extra else None

    def search(self, source: bytes):
        return next(self.finditer(source), None)


def wanted_for(rules: tuple, whole: Wanted | None = None, patterns: frozenset | None = None) -> Wanted:
    """One Wanted per distinct set of sink callees: its regexes are compiled once per process (rule subsets
    that differ only in their labels share it). `whole`: the Wanted of all the language's rules (a superset);
    `patterns`: callees_of(rules) when the caller has it (the union of each rule's, kept per rule)."""
    if patterns is None:
        patterns = callees_of(rules)
    found = _WANTED.get(patterns)
    if found is None:
        if len(_WANTED) > MAX_SUBSETS:
            _WANTED.clear()
        prefilter = whole._callee if whole is not None and isinstance(whole._callee, re.Pattern) else None
        found = _WANTED[patterns] = Wanted(rules, prefilter, patterns)
    return found


def callees_of(rules) -> frozenset:
    """The canonical callee patterns the rules need as facts: their sinks, and the calls a case wants `paired`
    with them in the same file (the other half of a round trip)."""
    return frozenset(c for r in rules for s in r.facts.sinks() for c in s.callee) | frozenset(
        c for r in rules for case in r.facts.cases for c in case.when.paired + case.when.paired_too)
