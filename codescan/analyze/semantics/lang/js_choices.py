"""JavaScript strings known to be one of a few constants: an allow-list table read with a key the program does not
fix (`ORDERS[req.query.order]`), a default (`x || 'id'`, `x ?? 'id'`), and text joined from such parts
(`` `ORDER BY ${order}` ``, `'uptime ' + flag`). A command or query built only from them is built only from
constants, whatever the key was."""
from __future__ import annotations

from itertools import product

from ..constants import UNKNOWN
from ..facts import Value, merge
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


def table_choices(values, obj_node) -> tuple:
    """The values of an object literal bound once to `obj_node`'s name (`const ORDERS = {name: 'name', ...}`), when
    every one is a constant string or number and the name is never assigned into; () otherwise."""
    if obj_node.type != "identifier":
        return ()
    bindings = values.scopes.bindings(obj_node)
    if len(bindings) != 1:
        return ()
    kind, what, _scope = bindings[0]
    if kind != "assign" or what is None or not hasattr(what, "type") or what.type != "object":
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
    for use in values.scopes.uses.get(obj_node.text.decode("utf-8", "replace"), ())[:64]:
        parent = use.parent
        holder = parent.parent if parent is not None else None
        if parent is not None and parent.type in ("member_expression", "subscript_expression") and \
                parent.child_by_field_name("object") == use and holder is not None and \
                holder.type in ("assignment_expression", "augmented_assignment_expression") and \
                holder.child_by_field_name("left") == parent:
            return ()  # ORDERS[k] = v somewhere: the table is not fixed
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


def _pieces(node, out: list) -> list | None:
    """The literal text and the expressions a template literal or a `+` chain is made of, in order."""
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
                if _pieces(child, out) is None:
                    return None
            else:
                out.append(child)
        return out
    return None
