"""Which literal tokens a tree-sitter rule needs in the source before it can match (rule gating).

A rule whose every pattern tests a mandatory capture against literals (`#eq?`, `#any-of?`, or a
`#match?` regex with required literal text) cannot match a source holding none of them, so the
analyzer neither compiles nor runs it for that source. A rule with any pattern that cannot be
gated is always run. Derived from the query text alone: nothing to declare, nothing to keep in sync.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

try:  # Python 3.11+: the regex parser behind `re`
    from re import _parser as sre_parse  # type: ignore[attr-defined]
    from re import _constants as sre_const  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover
    import sre_constants as sre_const  # type: ignore[no-redef]
    import sre_parse  # type: ignore[no-redef]

MIN_TOKEN = 3  # shorter required literals gate almost nothing; treat them as no requirement


@dataclass(frozen=True, slots=True)
class Gate:
    """Any one of `tokens` must occur in the source (`folded` ones compared case-insensitively)."""

    tokens: frozenset[str]
    folded: frozenset[str]  # lower-cased tokens from case-insensitive regexes

    def admits(self, source: bytes, lowered: bytes | None = None) -> bool:
        for token in self.tokens:
            if token.encode("utf-8") in source:
                return True
        if self.folded:
            low = lowered if lowered is not None else source.lower()
            for token in self.folded:
                if token.encode("utf-8") in low:
                    return True
        return False


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


def _mandatory(node: _Node) -> set[str]:
    """Captures present in every match of this element."""
    if node.quant in ("?", "*"):
        return set()
    out = set(node.captures)
    if node.kind == "(":
        for child in node.children:
            if not _is_predicate(child):
                out |= _mandatory(child)
    elif node.kind == "[":
        branches = [_mandatory(c) for c in node.children if c.kind in ("(", "[", "string", "atom")
                    and not _is_predicate(c)]
        if branches:
            out |= set.intersection(*branches)
    return out


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


# -- literals a regex requires ------------------------------------------------------------------
def regex_requirement(pattern: str) -> tuple[frozenset[str], bool] | None:
    """Strings one of which every match of `pattern` contains, and whether case is ignored; None if none."""
    try:
        parsed = sre_parse.parse(pattern)
    except Exception:  # noqa: BLE001 - an odd regex just cannot gate
        return None
    ignore_case = bool(parsed.state.flags & re.IGNORECASE)
    req = _seq_requirement(list(parsed), ignore_case)
    if req is None:
        return None
    strings, ci = req
    return frozenset(s.lower() if ci else s for s in strings), ci


def _seq_requirement(items, ci: bool):
    """Best requirement of a sequence: its longest literal run or a required sub-expression's."""
    best = None
    run: list[str] = []

    def consider(req):
        nonlocal best
        if req is None:
            return
        if best is None or min(len(s) for s in req[0]) > min(len(s) for s in best[0]):
            best = req

    for op, arg in items:
        if op is sre_const.LITERAL:
            run.append(chr(arg))
            continue
        if run:
            consider((frozenset({"".join(run)}), ci))
            run = []
        if op is sre_const.SUBPATTERN:
            add_flags = arg[1] or 0
            consider(_seq_requirement(list(arg[3]), ci or bool(add_flags & re.IGNORECASE)))
        elif op is sre_const.BRANCH:
            alts = [_seq_requirement(list(b), ci) for b in arg[1]]
            if all(a is not None for a in alts):
                consider((frozenset().union(*(a[0] for a in alts)), any(a[1] for a in alts)))
        elif op in (sre_const.MAX_REPEAT, sre_const.MIN_REPEAT) and arg[0] >= 1:
            consider(_seq_requirement(list(arg[2]), ci))
        elif op is sre_const.IN:
            chars = [chr(a) for o, a in arg if o is sre_const.LITERAL]
            if len(chars) == len(arg) and len(chars) == 1:
                run.append(chars[0])
    if run:
        consider((frozenset({"".join(run)}), ci))
    if best is not None and min(len(s) for s in best[0]) < MIN_TOKEN:
        return None
    return best


# -- the gate of a rule ---------------------------------------------------------------------
def _predicate_requirement(pred: _Node, mandatory: set[str]):
    name = pred.children[0].text
    args = pred.children[1:]
    # the predicate's capture argument was attached to the name atom by the parser
    captures = pred.children[0].captures
    if not captures or captures[0] not in mandatory:
        return None
    strings = [_unquote(a.text) for a in args if a.kind == "string"]
    if name in ("#eq?", "#any-of?") and strings and len(strings) == len(args):
        if min(len(s) for s in strings) < MIN_TOKEN:
            return None
        return frozenset(strings), False
    if name == "#match?" and len(strings) == 1 and len(args) == 1:
        return regex_requirement(strings[0])
    return None


def gate_for_query(query: str) -> Gate | None:
    """The rule's gate, or None when some pattern can match without any required literal."""
    try:
        patterns = [p for p in _parse(query) if p.kind in ("(", "[")]
    except ValueError:
        return None
    tokens: set[str] = set()
    folded: set[str] = set()
    for pattern in patterns:
        mandatory = _mandatory(pattern)
        best = None
        for pred in _predicates(pattern):
            req = _predicate_requirement(pred, mandatory)
            if req is not None and (best is None or min(map(len, req[0])) > min(map(len, best[0]))):
                best = req
        if best is None:
            return None
        (folded if best[1] else tokens).update(best[0])
    if not tokens and not folded:
        return None
    return Gate(frozenset(tokens), frozenset(folded))
