"""JavaScript strings known to be one of a few constants: an allow-list table read with a key the program does not
fix (`ORDERS[req.query.order]`), a value checked against a constant list or Set before use
(`COLUMNS.has(col) ? col : 'id'`), a default (`x || 'id'`, `x ?? 'id'`), and text joined from such parts
(`` `ORDER BY ${order}` ``, `'uptime ' + flag`). A command or query built only from them is built only from
constants, whatever the key or the client's value was."""
from __future__ import annotations

from itertools import product

from ..constants import UNKNOWN
from ..facts import Value
from ..values import whole

MAX_CHOICES = 16  # texts a value is known to be one of; beyond, it is just unknown
MAX_PARTS = 12  # pieces of one template or concatenation combined
_TEXT = (str, int)


def options(value: Value) -> tuple | None:
    """The constants `value` may be (itself when known), or None when one of them is not a string or number."""
    if value.known:
        return (value.const,) if isinstance(value.const, _TEXT) and not isinstance(value.const, bool) else None
    if value.choices and all(whole(c) and isinstance(c.const, _TEXT) and not isinstance(c.const, bool)
                             for c in value.choices):
        return tuple(c.const for c in value.choices)
    return None


_CHANGERS = frozenset((b"push", b"unshift", b"splice", b"add", b"set", b"delete", b"clear", b"fill"))


def fixed_literal(values, obj_node):
    """The literal a name is bound to once and never changed afterwards (`const ORDERS = {...}`, `const COLUMNS =
    new Set([...])`): not assigned into (`ORDERS[k] = v`) and no changing method called on it (`COLUMNS.add(v)`,
    `LIST.push(v)`); None otherwise."""
    if obj_node is None or obj_node.type != "identifier":
        return None
    bindings = values.scopes.bindings(obj_node)
    if len(bindings) != 1:
        return None
    kind, what, _scope = bindings[0]
    if kind != "assign" or what is None or not hasattr(what, "type"):
        return None
    for use in values.scopes.uses.get(obj_node.text.decode("utf-8", "replace"), ())[:64]:
        parent = use.parent
        holder = parent.parent if parent is not None else None
        if parent is None or parent.type not in ("member_expression", "subscript_expression") or \
                parent.child_by_field_name("object") != use or holder is None:
            continue
        if holder.type in ("assignment_expression", "augmented_assignment_expression") and \
                holder.child_by_field_name("left") == parent:
            return None  # ORDERS[k] = v somewhere: the table is not fixed
        if holder.type == "call_expression" and holder.child_by_field_name("function") == parent and \
                parent.type == "member_expression" and parent.child_by_field_name("property").text in _CHANGERS:
            return None  # COLUMNS.add(v): the list grows at run time
    return what


def table_choices(values, obj_node) -> tuple:
    """The values of an object literal bound once to `obj_node`'s name (`const ORDERS = {name: 'name', ...}`), when
    every one is a constant string or number and the table is never changed; () otherwise."""
    what = fixed_literal(values, obj_node)
    if what is None or what.type != "object":
        return ()
    pairs = [p for p in what.named_children if p.type != "comment"]
    if not pairs or len(pairs) > MAX_CHOICES or any(p.type != "pair" for p in pairs):
        return ()
    found = []
    for pair in pairs:
        got = values.ev(pair.child_by_field_name("value"))
        if not got.known or not isinstance(got.const, _TEXT) or isinstance(got.const, bool):
            return ()
        if got.const not in found:
            found.append(got.const)
    return tuple(Value(c) for c in found)


def either(values, node, out: Value) -> Value:
    """`a || b` / `a ?? b`: one of the two, so one of their constants when both are known to be constants."""
    left = options(values.ev(node.child_by_field_name("left")))
    right = options(values.ev(node.child_by_field_name("right")))
    if left is None or right is None:
        return out
    texts = list(dict.fromkeys((*left, *right)))
    if len(texts) > MAX_CHOICES:
        return out
    return Value(UNKNOWN, out.labels, out.name, out.via, out.trace, tuple(Value(t) for t in texts), out.text)


def joined(values, node, out: Value) -> Value:
    """A template literal or a `+` chain whose every piece is a constant or one of a few: one of the joined texts."""
    pieces = _pieces(node, [])
    if pieces is None or len(pieces) > MAX_PARTS:
        return out
    sets = []
    for piece in pieces:
        if isinstance(piece, str):
            sets.append((piece,))
            continue
        got = options(values.ev(piece))
        if got is None:
            return out
        sets.append(got)
    count = 1
    for s in sets:
        count *= len(s)
        if count > MAX_CHOICES:
            return out
    if count == 1:
        return out
    texts = list(dict.fromkeys("".join(str(p) for p in combo) for combo in product(*sets)))
    return Value(UNKNOWN, out.labels, out.name, out.via, out.trace, tuple(Value(t) for t in texts), out.text)


def _pieces(node, out: list, depth: int = 0) -> list | None:
    """The literal text and the expressions a template literal or a `+` chain is made of, in order; None past
    MAX_PARTS (a chain nested deeper than that is not walked down)."""
    if depth > MAX_PARTS or len(out) > MAX_PARTS:
        return None
    if node.type == "template_string":
        for child in node.named_children:
            if child.type == "string_fragment":
                out.append(child.text.decode("utf-8", "replace"))
            elif child.type == "template_substitution":
                inner = [c for c in child.named_children if c.type != "comment"]
                if len(inner) != 1:
                    return None
                out.append(inner[0])
            else:
                return None  # escape sequences and the like: left to the constant folder
        return out
    if node.type == "binary_expression" and node.child_by_field_name("operator").type == "+":
        for side in ("left", "right"):
            child = node.child_by_field_name(side)
            if child.type == "binary_expression" and child.child_by_field_name("operator").type == "+":
                if _pieces(child, out, depth + 1) is None:
                    return None
            else:
                out.append(child)
        return out
    return None


# -- allow-list checks: `COLUMNS.has(x) ? x : 'id'` ---------------------------------------------------------
MAX_ITEMS = 32  # entries of a constant list or Set a checked value may be
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
    """The constant texts a name bound once (and never changed) to an array literal or `new Set([...])` of literals
    holds, or such a literal written in place (`['csv', 'pdf'].includes(x)`)."""
    what = obj_node if obj_node.type in ("array", "new_expression") else fixed_literal(values, obj_node)
    if what is None:
        return None
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
    if len(args) != 1 or kept is None or other is None:
        return out
    texts = table_texts(values, fn.child_by_field_name("object"))
    if texts is None:
        return out
    if kept.text != args[0].text:  # LIST.includes(x) ? './plugins/' + x : ...: the branch is built around x
        texts = _around(values, kept, args[0].text, texts)
        if texts is None:
            return out
    rest = values.ev(other)
    choices = tuple(Value(t) for t in dict.fromkeys(texts)) + (rest.choices or (rest,))
    # the checked branch brings only the list's own texts: what the other branch carries is all that is left
    return Value(UNKNOWN, rest.labels, None, None, rest.trace, choices)


def _around(values, kept, checked: bytes, texts) -> list | None:
    """The texts of a branch that joins the checked value once with constants (`'./plugins/' + x`,
    `` `./plugins/${x}.js` ``), one per item of the list; None when anything else in it is not known."""
    if kept.type not in ("binary_expression", "template_string") or kept.text.count(checked) != 1:
        return None
    from .js_skeleton import skeleton
    from ..skeleton import HOLE
    shape = skeleton(values, kept)
    if shape is None or shape.count(HOLE) != 1:
        return None
    return [shape.replace(HOLE, str(text)) for text in texts]

