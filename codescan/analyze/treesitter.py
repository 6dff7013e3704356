"""Run tree-sitter query rules over a parsed tree: all of a language's rules in one query pass."""
from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from typing import Iterator

import tree_sitter as ts

from ..records import Rule
from ..rules import RuleError
from . import languages
from .budget import Budget, OverBudget
from .gate_index import GateIndex
from .quiet_rules import pattern_roots, quiet_in
from .rule_gate import Presence, presence_of

MATCH_CAPTURE = "match"
MATCH_LIMIT = 4096  # in-progress matches a query may hold at once
MAX_START_DEPTH = 1000  # deeper trees: matches start only above it (_run_query); real code measured <= 672
SOLO_LIMIT = 99  # a source admitting more gated rules than this runs the combined query


Deadline = OverBudget  # the name callers used for the per-file budget running out


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
    """The tree-sitter rules for one language: each rule runs as its own query, and only on sources
    that hold the literal tokens its gate (rule_gate) requires.

    A query's cost grows with its pattern count far faster than with the walk over the tree: on the
    standard library, one query combining the ~70 Python rules costs more than running, one by one,
    the ~5 rules a typical file admits plus the ungated ones. The combined query (all rules, one walk)
    is still used when no source text is given, and compiled eagerly unless `lazy`: then each
    rule's query is compiled on first need, so a worker pays only for rules its files admit."""

    def __init__(self, rules: tuple[Rule, ...], language: str, lazy: bool = False):
        from .rule_gate import gate_for_query

        self.language = language
        self.rules = tuple(r for r in rules if r.engine == "treesitter")
        self._combined_query: tuple[ts.Query, list[Rule]] | None = None
        gates = [(r, gate_for_query(r.query)) for r in self.rules]
        self._always = tuple(r for r, g in gates if g is None)
        self._gated = tuple((r, g) for r, g in gates if g is not None)
        self._solo: dict[str, ts.Query] = {}
        self._index = GateIndex([g for _r, g in gates])
        self._order = tuple((r, g) for r, g in gates)
        if self.rules and not lazy:
            self._combine()

    def _combine(self) -> tuple[ts.Query, list[Rule]]:
        if self._combined_query is None:
            # Compiling costs ~1-2 ms per rule, so the combined query is compiled once and its patterns are
            # mapped back to rules by byte offset; rules are compiled one by one only to name a bad one.
            combined = _combined(self.rules, self.language)
            if combined is None:  # the slow, sure way: each rule alone names a bad rule and counts patterns
                owners: list[Rule] = []
                for rule in self.rules:
                    owners.extend([rule] * compile_rule(rule, self.language).pattern_count)
                combined = (ts.Query(languages.grammar(self.language), "\n".join(r.query for r in self.rules)),
                            owners)
            self._combined_query = combined
        return self._combined_query

    def warm(self, source: bytes) -> int:
        """Compile now the queries a run over `source` would compile first (its admitted and ungated rules), so
        that worker processes forked afterwards share them; how many were compiled. A query that does not
        compile is left for run() to report, as before."""
        compiled = 0
        for (rule, gate), ok in zip(self._order, self._index.admitted(presence_of(source))):
            if (ok or gate is None) and rule.id not in self._solo:
                try:
                    self._solo[rule.id] = compile_rule(rule, self.language)
                except RuleError:
                    continue
                compiled += 1
        return compiled

    @property
    def query(self) -> ts.Query | None:
        return self._combine()[0] if self.rules else None

    @property
    def pattern_rule(self) -> list[Rule]:
        return self._combine()[1] if self.rules else []

    def run(self, root: ts.Node, budget: Budget | None = None,
            rows: list[tuple[int, int]] | None = None, source: bytes | None = None,
            start_depth: int | None = None, edited: tuple[bytes, bytes] | None = None, quiet=None) -> Iterator[Hit]:
        """Matches over the whole tree, or only those touching the given (first, last) row ranges.

        `source` (the text the tree was parsed from) lets rules it cannot satisfy be left out. `edited`:
        (the text `source` was made from by replacing whole lines, those new lines joined), for the folded
        view: the rules left out are those neither text can satisfy (GateIndex.admitted_edited). `quiet`
        (quiet_rules.Quiet, for a whole file's tree): rules that matched nothing in its previous version are
        queried on the changed statements first, and the rules that match nothing are noted for the next one."""
        if not self.rules:
            return
        if source is None:
            query, owners = self._combine()
            yield from _run_query(query, owners, root, budget, rows, start_depth=start_depth)
            return
        if edited is not None and rows is not None:
            seen = None  # only the rows are queried: no spans, no words of the whole edited source
            admitted = self._index.admitted_edited(presence_of(edited[0]), Presence(edited[1]))
        else:
            seen = presence_of(source)
            admitted = self._index.admitted(seen)
        runs = [(r, None) for r in self._always]
        runs += [(r, g) for (r, g), ok in zip(self._order, admitted) if ok and g is not None]
        for rule, gate in runs:
            query = self._solo.get(rule.id)
            if query is None:
                query = self._solo[rule.id] = compile_rule(rule, self.language)
            roots = pattern_roots(rule.query, query.pattern_count) if quiet is not None else None
            local = roots is not None and rows is None and start_depth is None and root.type not in roots
            # Tree-sitter returns every match overlapping a byte range; a gated rule's matches all
            # overlap the span of its tokens, so the walk is confined to it (whole tree: no span).
            spans = gate.spans(seen) if gate is not None and rows is None else None
            if local and rule.id in quiet.before and quiet_in(query, quiet.changed, MATCH_LIMIT, spans):
                quiet.now.add(rule.id)
                continue
            over: list[bool] = []
            found = 0
            for hit in _run_query(query, [rule] * query.pattern_count, root, budget, rows, spans, start_depth, over):
                found += 1
                yield hit
            if local and not found and not any(over):
                quiet.now.add(rule.id)


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

    def run(self, root: ts.Node, budget: Budget | None = None,
            rows: list[tuple[int, int]] | None = None, source: bytes | None = None,
            start_depth: int | None = None, edited: tuple[bytes, bytes] | None = None,
            quiet=None) -> Iterator[Hit]:
        """`quiet` goes unused here (quiet_rules): a few files, not a file's versions."""
        lowered = source.lower() if source is not None else None
        for rule in self.rules:
            gate = self._gates[rule.id]
            if gate is not None and source is not None and not gate.admits(source, lowered):
                continue
            query = self._queries.get(rule.id)
            if query is None:
                query = self._queries[rule.id] = compile_rule(rule, self.language)
            yield from _run_query(query, [rule] * query.pattern_count, root, budget, rows, start_depth=start_depth)


def _run_query(query: ts.Query, pattern_rule: list[Rule], root: ts.Node, budget: Budget | None,
               rows: list[tuple[int, int]] | None, spans: list[tuple[int, int]] | None = None,
               start_depth: int | None = None, over: list | None = None) -> Iterator[Hit]:
    """`over` (a list) gets whether each cursor hit its match limit (some matches may be missing)."""
    if budget is not None:
        budget.check()
    # No progress_callback: py-tree-sitter 0.26 keeps a pointer to its options struct after the
    # block that holds it ends, and calls through garbage (segfault). The budget is checked between
    # passes, the match limit bounds pathological queries, and on a tree nested deeper than
    # MAX_START_DEPTH (time grows with depth squared: 5,000 nested calls took 18 s) matches start
    # only above it (the caller reports the file).
    def cursor():
        made = ts.QueryCursor(query, match_limit=MATCH_LIMIT)
        if start_depth is not None:
            made.set_max_start_depth(start_depth)
        return made

    if rows is None and spans is None:
        whole = cursor()
        matches = whole.matches(root)
        if over is not None:
            over.append(whole.did_exceed_match_limit)
    else:
        matches = []
        for first, last in rows or ():
            one = cursor()
            one.set_point_range(ts.Point(first, 0), ts.Point(last + 1, 0))
            matches.extend(one.matches(root))
            if budget is not None:
                budget.check()
        for start, end in spans or ():
            one = cursor()
            one.set_byte_range(start, end)
            matches.extend(one.matches(root))
            if over is not None:
                over.append(one.did_exceed_match_limit)
            if budget is not None:
                budget.check()
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


def deeper_than(root: ts.Node, limit: int = MAX_START_DEPTH) -> bool:
    """True when the tree has a node more than `limit` levels below `root` (a C-level cursor walk that
    skips every subtree too small to reach that deep: a subtree of n nodes is at most n - 1 levels deep,
    so on ordinary code only the few big statements are entered, not each of the ~1M nodes of 300 files)."""
    if root.descendant_count - 1 <= limit:
        return False
    walk = root.walk()
    depth = 0
    while True:
        if depth + walk.node.descendant_count - 1 > limit and walk.goto_first_child():
            depth += 1
            if depth > limit:
                return True
            continue
        while not walk.goto_next_sibling():
            if not walk.goto_parent():
                return False
            depth -= 1


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
