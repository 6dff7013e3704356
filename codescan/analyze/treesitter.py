"""Run tree-sitter query rules over a parsed tree: all of a language's rules in one query pass."""
from __future__ import annotations

import time
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
        sources = []
        for rule in self.rules:
            query = compile_rule(rule, language)
            self.pattern_rule.extend([rule] * query.pattern_count)
            sources.append(rule.query)
        self.query = ts.Query(languages.grammar(language), "\n".join(sources)) if sources else None

    def run(self, root: ts.Node, deadline: float | None = None) -> Iterator[Hit]:
        if self.query is None:
            return
        if deadline is not None and time.monotonic() > deadline:
            raise Deadline()
        # No progress_callback: with text predicates it crashes py-tree-sitter 0.26 (segfault);
        # the budget is checked between passes and the match limit bounds pathological queries.
        cursor = ts.QueryCursor(self.query, match_limit=MATCH_LIMIT)
        matches = cursor.matches(root)
        seen: set[tuple[str, int, int]] = set()
        for pattern_index, captures in matches:
            rule = self.pattern_rule[pattern_index]
            node = _main_node(captures)
            if node is None:
                continue
            key = (rule.id, node.start_byte, node.end_byte)
            if key in seen:
                continue
            seen.add(key)
            yield Hit(rule, node, captures)


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
