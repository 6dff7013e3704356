"""`setattr(obj, name, value)` as the attribute set it is: a `<obj>.__setattr__` call whose keyword `name` holds
value (so `setattr(session, "verify", False)` reads as the session's verify set to False), one call per entry when
the name and value come from a loop over a constant table (`for k, v in SETTINGS.items(): setattr(s, k, v)`)."""
from __future__ import annotations

from ..constants import UNKNOWN, Name
from ..facts import Call, Value
from ..names import canonical
from .python_calls import arguments

MAX_ENTRIES = 32  # entries of one constant table a loop sets


def setattr_facts(facts, node) -> list:
    """The calls `setattr(...)` at `node` stands for, as far as some rule wants `<obj>.__setattr__`."""
    args, keywords = arguments(node)
    if len(args) != 3 or keywords:
        return []
    values = facts.values
    receiver = values.ev(args[0])
    if not receiver.name:
        return []
    callee = canonical(receiver.name + ".__setattr__")
    if not callee or not facts.wanted.wants(callee):
        return []
    line = node.start_point[0] + 1
    scope = values.scopes.scope_of(node)
    return [Call(callee=callee, args=(), kwargs=((key, value),), line=line, end_line=node.end_point[0] + 1,
                 column=node.start_point[1] + 1, scope=-1 if scope is None else scope.start_byte, via="dynamic",
                 receiver=receiver, kwlines=(line,))
            for key, value in _entries(facts, node, args[1], args[2])]


def _entries(facts, node, name_node, value_node) -> list:
    name = facts.values.ev(name_node)
    if isinstance(name.const, str):
        return [(name.const, facts._argument(value_node))]
    table = _loop_table(facts.values, node, name_node, value_node)
    if table is None:
        return []
    out = []
    for key, item in list(table.items())[:MAX_ENTRIES]:
        if isinstance(key, str) and item is not UNKNOWN:
            out.append((key, Value(name=canonical(item.dotted)) if isinstance(item, Name) else Value(item)))
    return out


def _loop_table(values, node, name_node, value_node) -> dict | None:
    """The constant dict `for k, v in TABLE.items():` walks, when the setattr is in that loop's body and is given
    (k, v) as (name, value)."""
    if name_node.type != "identifier" or value_node.type != "identifier":
        return None
    loop = node.parent
    while loop is not None and loop.type not in ("for_statement", "function_definition", "module"):
        loop = loop.parent
    if loop is None or loop.type != "for_statement":
        return None
    left, right = loop.child_by_field_name("left"), loop.child_by_field_name("right")
    names = [c.text for c in left.named_children] if left is not None and left.type in (
        "pattern_list", "tuple_pattern") else []
    if names != [name_node.text, value_node.text] or right is None or right.type != "call":
        return None
    fn = right.child_by_field_name("function")
    if fn is None or fn.type != "attribute" or fn.child_by_field_name("attribute").text != b"items":
        return None
    table = values.ev(fn.child_by_field_name("object")).const
    return table if isinstance(table, dict) else None
