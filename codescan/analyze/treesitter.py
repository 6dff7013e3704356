"""Run tree-sitter query rules over a parsed tree: all of a language's rules in one query pass."""
from __future__ import annotations

import time
from bisect import bisect_right
from dataclasses import dataclass
from typing import Iterator

import tree_sitter as ts

from ..records import Rule
from ..rules import RuleError
from . import languages

MATCH_CAPTURE = "match"
MATCH_LIMIT = 4096  # in-progress matches a query may hold at once


class Deadline(Exception):
    """The per-file time budget ran out."""


@dataclass(frozen=True, slots=True)
class Hit:
    rule: Rule
    node: ts.Node
    captures: dict


def compile_rule(rule: Rule, language: str) -> ts.Query:
    """Compile one rule's query for a language; RuleError names the rule and the bad spot."""
    try:
        return ts.Query(languages.grammar(language), rule.query)
    except Exception as exc:  # tree-sitter raises QueryError / NameError subclasses
        raise RuleError(f"{rule.source or rule.id}: query does not compile for {language}: {exc}") from None


class CompiledRules:
    """The tree-sitter rules for one language, combined into one query so a file is walked once."""

    def __init__(self, rules: tuple[Rule, ...], language: str):
        self.language = language
        self.rules = tuple(r for r in rules if r.engine == "treesitter")
        self.pattern_rule: list[Rule] = []
        self.query = None
        if not self.rules:
            return
        # Compiling costs ~1-2 ms per rule, so the combined query is compiled once and its patterns are
        # mapped back to rules by byte offset; rules are compiled one by one only to name a bad one.
        combined = _combined(self.rules, language)
        if combined is None:  # the slow, sure way: each rule alone names a bad rule and counts patterns
            for rule in self.rules:
                self.pattern_rule.extend([rule] * compile_rule(rule, language).pattern_count)
            combined = (ts.Query(languages.grammar(language), "\n".join(r.query for r in self.rules)),
                        self.pattern_rule)
        self.query, self.pattern_rule = combined

    def run(self, root: ts.Node, deadline: float | None = None,
            rows: list[tuple[int, int]] | None = None, source: bytes | None = None) -> Iterator[Hit]:
        """Matches over the whole tree, or only those touching the given (first, last) row ranges."""
        if self.query is None:
            return
        yield from _run_query(self.query, self.pattern_rule, root, deadline, rows)


class GatedRules:
    """The same rules, compiled one by one on first need and run only on sources holding their tokens.

    Start-up for a handful of files: a file compiles and runs only the rules whose literal tokens
    (rule_gate) it contains, about a fifth of them, instead of compiling the whole combined query
    (~0.6 s for the Python rules). For big inputs the combined query is cheaper per file."""

    def __init__(self, rules: tuple[Rule, ...], language: str):
        from .rule_gate import gate_for_query

        self.language = language
        self.rules = tuple(r for r in rules if r.engine == "treesitter")
        self._gates = {r.id: gate_for_query(r.query) for r in self.rules}
        self._queries: dict[str, ts.Query] = {}

    def run(self, root: ts.Node, deadline: float | None = None,
            rows: list[tuple[int, int]] | None = None, source: bytes | None = None) -> Iterator[Hit]:
        lowered = source.lower() if source is not None else None
        for rule in self.rules:
            gate = self._gates[rule.id]
            if gate is not None and source is not None and not gate.admits(source, lowered):
                continue
            query = self._queries.get(rule.id)
            if query is None:
                query = self._queries[rule.id] = compile_rule(rule, self.language)
            yield from _run_query(query, [rule] * query.pattern_count, root, deadline, rows)


def _run_query(query: ts.Query, pattern_rule: list[Rule], root: ts.Node, deadline: float | None,
               rows: list[tuple[int, int]] | None) -> Iterator[Hit]:
    if deadline is not None and time.monotonic() > deadline:
        raise Deadline()
    # No progress_callback: with text predicates it crashes py-tree-sitter 0.26 (segfault);
    # the budget is checked between passes and the match limit bounds pathological queries.
    if rows is None:
        matches = ts.QueryCursor(query, match_limit=MATCH_LIMIT).matches(root)
    else:
        matches = []
        for first, last in rows:
            cursor = ts.QueryCursor(query, match_limit=MATCH_LIMIT)
            cursor.set_point_range(ts.Point(first, 0), ts.Point(last + 1, 0))
            matches.extend(cursor.matches(root))
    seen: set[tuple[str, int, int]] = set()
    for pattern_index, captures in matches:
        rule = pattern_rule[pattern_index]
        node = _main_node(captures)
        if node is None:
            continue
        key = (rule.id, node.start_byte, node.end_byte)
        if key in seen:
            continue
        seen.add(key)
        yield Hit(rule, node, captures)


def _combined(rules: tuple[Rule, ...], language: str) -> tuple[ts.Query, list[Rule]] | None:
    """One query for all rules and the rule of each pattern, or None when a rule is broken.

    A pattern must start and end inside one rule's text, and every rule must own a pattern:
    otherwise one rule's unbalanced text was completed by its neighbour's and the map is wrong."""
    parts, spans, offset = [], [], 0
    for rule in rules:
        data = rule.query.encode("utf-8")
        spans.append((offset, offset + len(data)))
        parts.append(data)
        offset += len(data) + 1
    text = b"\n".join(parts)
    try:
        query = ts.Query(languages.grammar(language), text.decode("utf-8"))
    except Exception:  # noqa: BLE001 - QueryError and friends; the caller finds the culprit
        return None
    starts = [s for s, _ in spans]
    owners: list[Rule] = []
    for i in range(query.pattern_count):
        start, end = query.start_byte_for_pattern(i), query.end_byte_for_pattern(i)
        k = bisect_right(starts, start) - 1
        if k < 0 or start >= spans[k][1] or not _blank(text[spans[k][1]:max(end, spans[k][1])]):
            return None
        owners.append(rules[k])
    if {id(r) for r in owners} != {id(r) for r in rules}:
        return None
    return query, owners


def _blank(query_text: bytes) -> bool:
    """True when query text holds only whitespace and `;` comments."""
    return all(not line.split(b";", 1)[0].strip() for line in query_text.splitlines())


def _main_node(captures: dict) -> ts.Node | None:
    """The node a finding points at: the @match capture, else the widest capture."""
    nodes = captures.get(MATCH_CAPTURE)
    if nodes:
        return nodes[0]
    best = None
    for group in captures.values():
        for node in group:
            if best is None or (node.end_byte - node.start_byte) > (best.end_byte - best.start_byte):
                best = node
    return best
