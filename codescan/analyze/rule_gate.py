"""Which literal tokens a tree-sitter rule needs in the source before it can match (rule gating).

A rule whose every pattern tests a mandatory capture against literals (`#eq?`, `#any-of?`, or a
`#match?` regex with required literal text) cannot match a source holding none of them, so the
analyzer neither compiles nor runs it for that source. A rule with any pattern that cannot be
gated is always run. Derived from the query text alone: nothing to declare, nothing to keep in sync.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .rule_gate_regex import MIN_TOKEN, anchored_strings, regex_requirement  # noqa: F401 (re-exported)

# A token ending in END is a word that occurs where no word character follows it: the whole text of an
# identifier a predicate names (`iv`, too short as a substring, is selective as a whole name).
END = "\n"
WORD_NODES = frozenset({"identifier"})  # node types lexed as maximal runs of identifier characters


SPAN_GAP = 512  # token occurrences closer than this share one query walk
MAX_SPANS = 256  # more scattered than this: one walk over the hull of them all (a confined walk costs ~10 us)
_FINDERS: dict = {}  # token -> a compiled search for it
_WORD = re.compile(r"[A-Za-z0-9_]+")
_WORDS = re.compile(rb"[A-Za-z0-9_]+")
# every byte that is not a word character made a space: split() then gives the runs _WORDS finds, in C (half its CPU)
_SPACED = bytes(b if re.fullmatch(rb"[A-Za-z0-9_]", bytes([b])) else 32 for b in range(256))

# One requirement: any of `tokens` occurs in the source, or any of `folded` in the lower-cased source.
Clause = tuple[frozenset[str], frozenset[str]]
# Python's `re` (which evaluates #match?) folds these non-ASCII letters onto ASCII under IGNORECASE
# (Kelvin sign, long s, dotted/dotless i); bytes.lower() does not, so a source holding one admits
# every case-insensitive requirement.
_CASEFOLD_TRAPS = ("\u212a".encode(), "\u017f".encode(), "\u0130".encode(), "\u0131".encode())


_LAST_PRESENCE: list = []  # the Presence of the source text seen last (its gates and the label gate share it)


def presence_of(source: bytes) -> "Presence":
    """The Presence of this very bytes object, shared with whoever asked last about it (one kept)."""
    last = _LAST_PRESENCE[0] if _LAST_PRESENCE else None
    if last is not None and last.source is source:
        return last
    found = Presence(source)
    _LAST_PRESENCE[:] = [found]
    return found


def ends_a_word(token: bytes, listed: bytes) -> bool:
    """Whether some word of a newline-separated word list ends with `token` (a word followed by END)."""
    return token in listed or listed.endswith(token[:-1])


class Presence:
    """Memoized substring tests on one source (a file's gates share most of their tokens)."""

    __slots__ = ("source", "_lowered", "_seen", "_trap", "_words", "_words_lowered", "_marks", "_word_set", "_known")

    def __init__(self, source: bytes, lowered: bytes | None = None):
        self.source = source
        self._lowered = lowered
        self._seen: dict[tuple[str, bool], bool] = {}
        self._trap: bool | None = None
        self._words: bytes | None = None
        self._words_lowered: bytes | None = None
        self._word_set: set[bytes] | None = None
        self._marks: dict[tuple[str, bool], list[tuple[int, int]]] = {}
        self._known: list[tuple[dict, set[int]]] = []  # (token ids, ids present) a GateIndex looked up (note_all)

    def has(self, token: str, folded: bool) -> bool:
        key = (token, folded)
        found = self._seen.get(key)
        if found is None:
            for ids, present in self._known:
                at = ids.get(key)
                if at is not None:
                    return at in present
            if folded and self.trapped():
                found = True
            elif token.endswith(END):
                found = ends_a_word(token.encode("utf-8"), self.text(True, folded))
            else:
                found = token.encode("utf-8") in self.text(_WORD.fullmatch(token) is not None, folded)
            self._seen[key] = found
        return found

    def note_all(self, ids: dict[tuple[str, bool], int], present: set[int]) -> None:
        """Record what a GateIndex found, which checks every token at once: `ids` numbers (token, folded) pairs,
        `present` holds the numbers of those that occur (kept as they are: most are never asked about again)."""
        self._known.append((ids, present))

    def trapped(self) -> bool:
        """Whether the source holds a letter that `re` case-folds onto ASCII and bytes.lower() does not."""
        if self._trap is None:
            # every trap is a multi-byte letter: ASCII text (most sources) holds none, one C-level test says so
            self._trap = not self.source.isascii() and any(t in self.source for t in _CASEFOLD_TRAPS)
        return self._trap

    def text(self, word: bool, folded: bool) -> bytes:
        """Where to look for a token: one of word characters only can only occur inside a run of
        them, so the source's distinct words (one a line, about a sixth of its size) hold it iff the
        source does (ends_a_word tells whether one of them ends with a word). `folded`: lower-cased."""
        if not word:
            if not folded:
                return self.source
            if self._lowered is None:
                self._lowered = self.source.lower()
            return self._lowered
        if self._words is None:
            self._words = b"\n".join(self.word_set())
        if not folded:
            return self._words
        if self._words_lowered is None:
            self._words_lowered = self._words.lower()
        return self._words_lowered

    def word_set(self) -> set[bytes]:
        """The source's distinct runs of `[A-Za-z0-9_]` (do not change it)."""
        if self._word_set is None:
            self._word_set = set(self.source.translate(_SPACED).split())
        return self._word_set

    def clause_spans(self, patterns: tuple[tuple[Clause, ...], ...]) -> list[tuple[int, int]] | None:
        """Byte spans every match of a gated rule overlaps, near ones merged: per pattern, the occurrences of the
        tokens of its clause that occurs least (a match holds a token of each of its clauses inside one of its
        captures, so it overlaps an occurrence of any one of them; a pattern with a clause that does not hold
        cannot match). None when a pattern's every clause needs case-folded offsets that case-folding traps make
        unreliable, nothing occurs, or the occurrences are too scattered to be worth several walks."""
        marks: list[tuple[int, int]] = []
        for clauses in patterns:
            best: list[tuple[int, int]] | None = None
            for tokens, folded in clauses:
                if folded and self.trapped():
                    continue
                found = [span for token in tokens if self.has(token, False) for span in self._occurrences(token, False)]
                found += [span for token in folded if self.has(token, True) for span in self._occurrences(token, True)]
                if best is None or len(found) < len(best):
                    best = found
                if not found:
                    break
            if best is None:
                return None
            marks += best
        if not marks:
            return None
        marks.sort()
        spans = [list(marks[0])]
        for start, end in marks[1:]:
            if start - spans[-1][1] <= SPAN_GAP:
                spans[-1][1] = max(spans[-1][1], end)
            else:
                spans.append([start, end])
        if len(spans) > MAX_SPANS:
            return [(spans[0][0], max(e for _s, e in spans))]
        return [(s, e) for s, e in spans]

    def _occurrences(self, token: str, folded: bool) -> list[tuple[int, int]]:
        """Byte spans of every occurrence of a token (memoized: a file's rules share tokens)."""
        key = (token, folded)
        found = self._marks.get(key)
        if found is None:
            finder = _FINDERS.get(token)
            if finder is None:
                finder = _FINDERS[token] = re.compile(re.escape(token.encode("utf-8"))) if not token.endswith(END) \
                    else re.compile(re.escape(token[:-1].encode("utf-8")) + rb"(?![A-Za-z0-9_])")
            found = self._marks[key] = [m.span() for m in finder.finditer(self.text(False, folded))]
        return found

    def holds(self, clause: Clause) -> bool:
        tokens, folded = clause
        return any(self.has(t, False) for t in tokens) or any(self.has(t, True) for t in folded)


@dataclass(frozen=True, slots=True)
class Gate:
    """A rule can match only where, for one of its patterns, every clause holds.

    `tokens`/`folded` summarize it: one clause per pattern, the union over patterns."""

    tokens: frozenset[str]
    folded: frozenset[str]  # lower-cased tokens from case-insensitive regexes
    patterns: tuple[tuple[Clause, ...], ...] = ()

    def admits(self, source: bytes | Presence, lowered: bytes | None = None) -> bool:
        seen = source if isinstance(source, Presence) else Presence(source, lowered)
        return any(all(seen.holds(c) for c in clauses) for clauses in self.patterns)

    def spans(self, seen: Presence) -> list[tuple[int, int]] | None:
        """Byte spans every match overlaps: a match holds a token of each clause of its pattern inside one of its
        captures, so it overlaps that token's occurrence; the clause occurring least is used (None: anywhere)."""
        return seen.clause_spans(self.patterns)


# -- the query text as a small s-expression tree ---------------------------------------------
_TOKEN = re.compile(r'''
    (?P<ws>\s+|;[^\n]*)
  | (?P<string>"(?:[^"\\]|\\.)*")
  | (?P<open>[(\[])
  | (?P<close>[)\]])
  | (?P<atom_pred>\#[\w-]+[?!]?)
  | (?P<quant>[?*+])
  | (?P<capture>@[\w.-]+)
  | (?P<atom>[^\s()\[\]"@?*+;]+)
''', re.VERBOSE | re.DOTALL)


@dataclass
class _Node:
    kind: str  # "(" group/node, "[" alternation, "atom", "string"
    children: list
    captures: list
    quant: str = ""
    text: str = ""


def _tokens(query: str):
    pos = 0
    while pos < len(query):
        m = _TOKEN.match(query, pos)
        if m is None:
            raise ValueError(f"unexpected query text at {pos}")
        pos = m.end()
        if m.lastgroup == "atom_pred":
            yield "atom", m.group()
        elif m.lastgroup != "ws":
            yield m.lastgroup, m.group()


def _parse(query: str) -> list[_Node]:
    stack: list[_Node] = [_Node("(", [], [])]
    for kind, text in _tokens(query):
        top = stack[-1]
        if kind == "open":
            node = _Node(text, [], [])
            top.children.append(node)
            stack.append(node)
        elif kind == "close":
            if len(stack) == 1:
                raise ValueError("unbalanced query")
            stack.pop()
        elif kind in ("quant", "capture"):
            if not top.children:
                continue
            last = top.children[-1]
            if kind == "quant":
                last.quant = text
            else:
                last.captures.append(text[1:])
        else:
            top.children.append(_Node("string" if kind == "string" else "atom", [], [], text=text))
    if len(stack) != 1:
        raise ValueError("unbalanced query")
    return stack[0].children


def _is_predicate(node: _Node) -> bool:
    return node.kind == "(" and bool(node.children) and node.children[0].kind == "atom" \
        and node.children[0].text.startswith("#")


def _predicates(node: _Node):
    for child in node.children:
        if _is_predicate(child):
            yield child
        elif child.kind in ("(", "["):
            yield from _predicates(child)


def _unquote(text: str) -> str:
    body = text[1:-1]
    return re.sub(r"\\(.)", lambda m: {"n": "\n", "t": "\t", "r": "\r", "0": "\0"}.get(m.group(1), m.group(1)),
                  body)


_POSITIVE = ("#eq?", "#any-of?", "#match?")


def _predicate_clause(pred: _Node) -> tuple[str, Clause] | None:
    """(capture, clause) for a positive text predicate on one capture, else None."""
    name = pred.children[0].text
    args = pred.children[1:]
    # the predicate's capture argument was attached to the name atom by the parser
    captures = pred.children[0].captures
    if name not in _POSITIVE or len(captures) != 1:
        return None
    strings = [_unquote(a.text) for a in args if a.kind == "string"]
    if not strings or len(strings) != len(args):
        return None
    if name in ("#eq?", "#any-of?"):
        if min(len(s) for s in strings) < MIN_TOKEN:
            return None
        return captures[0], (frozenset(strings), frozenset())
    if len(strings) != 1:
        return None
    req = regex_requirement(strings[0])
    if req is None:
        return None
    return captures[0], ((frozenset(), req[0]) if req[1] else (req[0], frozenset()))


def _word_clause(pred: _Node) -> tuple[str, Clause] | None:
    """(capture, clause) for a positive predicate that fixes a capture's whole text to a finite set of
    words (`#eq?`/`#any-of?`, or a `#match?` anchored at both ends): held by an identifier, such a
    word occurs in the source with no word character after it (END tokens), however short it is."""
    name = pred.children[0].text
    args = pred.children[1:]
    captures = pred.children[0].captures
    if name not in _POSITIVE or len(captures) != 1 or not args or any(a.kind != "string" for a in args):
        return None
    strings = [_unquote(a.text) for a in args]
    folded = False
    if name == "#match?":
        if len(strings) != 1:
            return None
        whole = anchored_strings(strings[0])
        if whole is None:
            return None
        strings, folded = whole
    if not strings or not all(_WORD.fullmatch(s) for s in strings):
        return None
    words = frozenset(s + END for s in strings)
    return captures[0], ((frozenset(), words) if folded else (words, frozenset()))


def _strength(clause: Clause) -> int:
    return min(len(t) for t in (*clause[0], *clause[1]))


def _clauses(node: _Node, by_capture: dict[str, list[Clause]],
             by_word: dict[str, list[Clause]] | None = None) -> list[Clause]:
    """Clauses every match of this element satisfies (tree-sitter applies a pattern's predicates to
    its captures wherever they sit; a capture in an optional or unchosen branch proves nothing).
    `by_word`: END clauses, which hold only where the capture is an identifier node."""
    if node.quant in ("?", "*"):
        return []
    out = [c for cap in node.captures for c in by_capture.get(cap, ())]
    if by_word and node.kind == "(" and node.children and node.children[0].kind == "atom" \
            and node.children[0].text in WORD_NODES:
        out += [c for cap in node.captures for c in by_word.get(cap, ())]
    if node.kind == "(":
        for child in node.children:
            if not _is_predicate(child):
                out += _clauses(child, by_capture, by_word)
    elif node.kind == "[":
        branches = [_clauses(c, by_capture, by_word) for c in node.children if not _is_predicate(c)]
        if branches and all(branches):
            # Whichever branch matched satisfies its strongest clause, so their union always holds.
            picked = [max(b, key=_strength) for b in branches]
            out.append((frozenset().union(*(p[0] for p in picked)), frozenset().union(*(p[1] for p in picked))))
    return out


def gate_for_query(query: str) -> Gate | None:
    """The rule's gate, or None when some pattern can match without any required literal."""
    try:
        patterns = [p for p in _parse(query) if p.kind in ("(", "[")]
    except ValueError:
        return None
    summary: list[Clause] = []
    conjunctions: list[tuple[Clause, ...]] = []
    for pattern in patterns:
        by_capture: dict[str, list[Clause]] = {}
        by_word: dict[str, list[Clause]] = {}
        for pred in _predicates(pattern):
            found = _predicate_clause(pred)
            if found is not None:
                by_capture.setdefault(found[0], []).append(found[1])
            elif (word := _word_clause(pred)) is not None:
                by_word.setdefault(word[0], []).append(word[1])
        clauses = list(dict.fromkeys(_clauses(pattern, by_capture, by_word)))
        if not clauses:
            return None
        conjunctions.append(tuple(sorted(clauses, key=_strength, reverse=True)))
        summary.append(max(clauses, key=_strength))
    if not conjunctions:
        return None
    return Gate(frozenset().union(*(c[0] for c in summary)), frozenset().union(*(c[1] for c in summary)),
                tuple(conjunctions))

