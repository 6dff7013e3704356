"""Rules that matched nothing in a file's previous version are queried again only on the top-level statements that
changed: most versions of a file differ in a few lines, and most rules match nothing in most files.

Why the result is the same as a query over the whole tree (CompiledRules.run):
- A rule qualifies (`pattern_roots`) when the root of each of its patterns is one named node type, never the
  tree's root type nor a wildcard, alternation or sibling sequence. A match of such a pattern lies in the subtree
  of its root node, which is a top-level statement or inside one, and depends on nothing outside that subtree
  (fields, anchors and predicates are all inside the pattern).
- The previous version's tree, edited by the one span that changed, and the new tree are compared by tree-sitter
  (`changed_ranges`): a top-level statement touching neither that span nor a changed range has the text and the
  syntax it had, so it holds the matches it held: none, when the rule's whole-tree run yielded no hit and did not
  hit the match limit (a gated rule's run over its token spans finds every match, rule_gate).
- So the rule's matches are those rooted in the changed statements. Each is queried as a subtree; when any match
  turns up (or a limit is hit) the rule runs as before over the whole tree, so hits and their order are unchanged.
Only error-free trees take part (reparse.LastTrees keeps no tree with an error, and a re-parse with one is redone)."""
from __future__ import annotations

from dataclasses import dataclass, field

import tree_sitter as ts

from .rule_gate import _is_predicate, _parse

_ROOTS: dict[tuple[str, int], frozenset[str] | None] = {}
QUIET_SPANS = True  # a gated quiet rule is queried only where its tokens are (off: whole changed statements; tests)


def pattern_roots(query: str, pattern_count: int) -> frozenset[str] | None:
    """The node types the query's patterns are rooted at, or None when a pattern's root is not one named type
    (a wildcard, an alternation, siblings, a quantifier, an anchor) or the text is not understood."""
    if (query, pattern_count) in _ROOTS:
        return _ROOTS[query, pattern_count]
    try:
        items = _parse(query)
    except ValueError:
        items = None
    roots: set[str] | None = set() if items else None
    for item in items or ():
        root = _root(item)
        if root is None:
            roots = None
            break
        roots.add(root)
    if roots is not None and len(items) != pattern_count:
        roots = None
    _ROOTS[query, pattern_count] = frozenset(roots) if roots is not None else None
    return _ROOTS[query, pattern_count]


def _root(item) -> str | None:
    if item.kind != "(" or item.quant or not item.children:
        return None
    head = item.children[0]
    if head.kind == "(":  # a group: one node pattern and its predicates
        nodes = [c for c in item.children if not _is_predicate(c)]
        return _root(nodes[0]) if len(nodes) == 1 else None
    if head.kind != "atom" or not head.text or head.text[0] in "#_.!" or ":" in head.text:
        return None
    return head.text


@dataclass
class Quiet:
    """One analysis of a file version that has a previous one: the rules quiet there (`before`), the top-level
    statements that changed since (`changed`), and the rules found quiet now (`now`, kept for the next version)."""

    before: frozenset
    changed: list
    now: set = field(default_factory=set)


def changed_statements(old_edited: ts.Tree, new: ts.Tree, span: tuple[int, int]) -> list[ts.Node]:
    """Top-level nodes of `new` that touch the edited byte span or a range whose syntax changed."""
    ranges = [(r.start_byte, r.end_byte) for r in old_edited.changed_ranges(new)] + [span]
    return [child for child in new.root_node.children
            if any(child.start_byte <= end and start <= child.end_byte for start, end in ranges)]


def quiet_in(query: ts.Query, statements: list[ts.Node], limit: int, spans: list[tuple[int, int]] | None = None
             ) -> bool:
    """True when no pattern matches in any of these subtrees (and no cursor hit its match limit).

    `spans` (a gated rule's token spans, rule_gate.Gate.spans): every match overlaps one of them, so only the parts
    of a statement that a span touches are queried (a cursor confined to a byte range returns every match
    overlapping it); a statement no span touches holds no match. None: whole statements."""
    for node in statements:
        if spans is None or not QUIET_SPANS:
            ranges = [None]
        else:
            ranges = [(max(start, node.start_byte), min(end, node.end_byte)) for start, end in spans
                      if start <= node.end_byte and node.start_byte <= end]
        for bounds in ranges:
            cursor = ts.QueryCursor(query, match_limit=limit)
            if bounds is not None:
                cursor.set_byte_range(*bounds)
            if cursor.matches(node) or cursor.did_exceed_match_limit:
                return False
    return True
