"""Which files a Semgrep rule can match at all: the names it needs, derived from its patterns or declared.

A requirement is a list of clauses; a file passes when, for every clause, it contains at least one
of the clause's names. It is a necessary condition only (a file that passes may still not match),
so it may be weaker than the rule but never stronger. None means "cannot tell": every file of the
rule's languages goes to Semgrep.
"""
from __future__ import annotations

import json
import re
from typing import Iterable

from ..records import Rule

Requirement = tuple[frozenset[str], ...]

_STRING = re.compile(r'"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'')
_NAME = re.compile(r"(?<![$\w])[A-Za-z_][A-Za-z0-9_]*")
# Words a pattern may hold that are syntax, not names a file must contain (leaving one out only
# weakens the gate; it never drops a file the rule could match).
_KEYWORDS = frozenset("""
and as assert async await break class continue def del elif else except finally for from global if import in
is lambda nonlocal not or pass raise return try while with yield True False None self cls print
function var let const new this typeof instanceof void delete null undefined true false of
""".split())
_NEGATIVE = ("pattern-not", "pattern-not-inside", "pattern-not-regex", "metavariable-regex",
             "metavariable-pattern", "metavariable-comparison", "focus-metavariable", "metavariable-analysis")


def declared(value: object, where: str = "tokens") -> Requirement:
    """`metadata.codescan.tokens`: a list whose items are a name or a list of alternative names."""
    from ..rules import RuleError

    if not isinstance(value, list) or not value:
        raise RuleError(f"{where}: metadata.codescan.tokens must be a non-empty list")
    clauses = []
    for item in value:
        names = [item] if isinstance(item, str) else item
        if not isinstance(names, list) or not names or not all(isinstance(n, str) and n for n in names):
            raise RuleError(f"{where}: each metadata.codescan.tokens item is a name or a list of names")
        clauses.append(frozenset(names))
    return tuple(clauses)


def pattern_names(pattern: str) -> frozenset[str]:
    """Names in a pattern's text, minus metavariables, string contents, keywords and `...`."""
    text = _STRING.sub(" ", pattern)
    return frozenset(n for n in _NAME.findall(text) if n not in _KEYWORDS)


def requirement(rule: Rule) -> Requirement | None:
    """Declared tokens win; else derived from the rule's patterns; None when nothing can be said."""
    spec = json.loads(rule.query)
    own = (spec.get("metadata") or {}).get("codescan") or {}
    if isinstance(own, dict) and own.get("tokens"):
        return declared(own["tokens"])
    if spec.get("mode") == "taint":
        sources = _either(spec.get("pattern-sources") or [])
        sinks = _either(spec.get("pattern-sinks") or [])
        return _and([sources, sinks])
    return _operator(spec)


def _operator(node: object) -> Requirement | None:
    """The requirement of a mapping holding one positive pattern operator (or a rule holding several)."""
    if not isinstance(node, dict):
        return None
    parts: list[Requirement | None] = []
    for key, value in node.items():
        if key in ("pattern", "pattern-inside") and isinstance(value, str):
            names = pattern_names(value)
            parts.append(tuple(frozenset((n,)) for n in sorted(names)) or None)
        elif key == "patterns" and isinstance(value, list):
            parts.append(_and([_operator(child) for child in value]))
        elif key == "pattern-either" and isinstance(value, list):
            parts.append(_either(value))
    return _and(parts) if parts else None


def _either(alternatives: Iterable[object]) -> Requirement | None:
    """A file must hold what one alternative needs: one clause made of each alternative's rarest clause."""
    names: set[str] = set()
    empty = True
    for alternative in alternatives:
        empty = False
        need = _operator(alternative) if isinstance(alternative, dict) else (
            _operator({"pattern": alternative}) if isinstance(alternative, str) else None)
        if not need:
            return None
        names |= max(need, key=lambda clause: (min(len(n) for n in clause), sorted(clause)))
    return None if empty else (frozenset(names),)


def _and(parts: Iterable[Requirement | None]) -> Requirement | None:
    clauses = [clause for part in parts if part for clause in part]
    return tuple(dict.fromkeys(clauses)) or None


def passes(need: Requirement | None, content: bytes) -> bool:
    """Substring test per clause (a superset of whole-word presence, so the gate stays sound)."""
    if need is None:
        return True
    return all(any(name.encode() in content for name in clause) for clause in need)


class Gate:
    """Many rules' requirements checked together: each distinct clause is one compiled alternation,
    searched at most once per document (rules share their request-source clause)."""

    def __init__(self, needs: Iterable[Requirement | None]):
        self.needs = list(needs)
        self._patterns = {clause: re.compile(b"|".join(re.escape(n.encode()) for n in
                                                       sorted(clause, key=len, reverse=True)))
                          for need in self.needs if need for clause in need}

    def matches(self, content: bytes, which: Iterable[int]) -> bool:
        """Does any of the requirements numbered `which` pass on this content?"""
        seen: dict[frozenset[str], bool] = {}
        for index in which:
            need = self.needs[index]
            if need is None:
                return True
            for clause in need:
                found = seen.get(clause)
                if found is None:
                    found = seen[clause] = self._patterns[clause].search(content) is not None
                if not found:
                    break
            else:
                return True
        return False
