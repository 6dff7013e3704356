"""Allow-list checks in JavaScript/TypeScript: a value checked against a constant list or Set before use is one of
its items (`COLUMNS.has(col) ? col : 'created_at'`), whatever it was given; js_choices joins such values into the
texts a query or command may be (`ORDER BY ${column}`), which then holds no outside data."""
from __future__ import annotations

from ..constants import UNKNOWN
from ..facts import Value

MAX_ITEMS = 32  # entries of a constant table read as choices
_CHECKS = frozenset((b"has", b"includes"))


def _literal(node):
    if node is not None and node.type == "string" and all(c.type == "string_fragment" for c in node.named_children):
        return node.text[1:-1].decode("utf-8", "replace")
    if node is not None and node.type == "number":
        return node.text.decode("utf-8", "replace")
    return None


def _items(node) -> list | None:
    """The texts of an array literal of string/number literals (None when any item is something else)."""
    if node is None or node.type != "array":
        return None
    out = [_literal(c) for c in node.named_children if c.type != "comment"]
    return out if out and len(out) <= MAX_ITEMS and None not in out else None


def table_texts(values, obj_node) -> list | None:
    """The constant texts a name bound once to an array literal or `new Set([...])` of literals holds."""
    if obj_node is None or obj_node.type != "identifier":
        return None
    bindings = values.scopes.bindings(obj_node)
    if not bindings or len(bindings) != 1 or bindings[0][0] != "assign" or not hasattr(bindings[0][1], "type"):
        return None
    what = bindings[0][1]
    if what.type == "new_expression" and what.child_by_field_name("constructor") is not None and \
            what.child_by_field_name("constructor").text == b"Set":
        args = what.child_by_field_name("arguments")
        inner = [c for c in args.named_children if c.type != "comment"] if args is not None else []
        return _items(inner[0]) if len(inner) == 1 else None
    return _items(what)


def checked_branch(values, node, out: Value) -> Value:
    """`LIST.has(x) ? x : 'id'` (or `!LIST.includes(x) ? 'id' : x`): the branch that repeats the checked name is one
    of the list's items."""
    cond = node.child_by_field_name("condition")
    negated = False
    while cond is not None and cond.type in ("parenthesized_expression", "unary_expression"):
        if cond.type == "unary_expression":
            if cond.child_by_field_name("operator") is None or cond.child_by_field_name("operator").type != "!":
                return out
            negated = not negated
            cond = cond.child_by_field_name("argument")
        else:
            inner = [c for c in cond.named_children if c.type != "comment"]
            cond = inner[0] if len(inner) == 1 else None
    fn = cond.child_by_field_name("function") if cond is not None and cond.type == "call_expression" else None
    if fn is None or fn.type != "member_expression" or fn.child_by_field_name("property").text not in _CHECKS:
        return out
    args = [c for c in cond.child_by_field_name("arguments").named_children if c.type != "comment"]
    kept = node.child_by_field_name("alternative" if negated else "consequence")
    other = node.child_by_field_name("consequence" if negated else "alternative")
    if len(args) != 1 or kept is None or other is None or kept.text != args[0].text:
        return out
    texts = table_texts(values, fn.child_by_field_name("object"))
    if texts is None:
        return out
    rest = values.ev(other)
    choices = tuple(Value(t) for t in dict.fromkeys(texts)) + (rest.choices or (rest,))
    # the checked branch brings only the list's own texts: what the other branch carries is all that is left
    return Value(UNKNOWN, rest.labels, None, None, rest.trace, choices)
