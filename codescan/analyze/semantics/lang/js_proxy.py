"""What a JavaScript Proxy's properties are: a Proxy whose `get` trap reads the global object is that object."""
from __future__ import annotations

from ..facts import Value
from .js_access import GLOBAL_NAMES

_FUNCTIONS = ("arrow_function", "function_expression", "function")


def proxied(values, target, handler) -> Value | None:
    """`new Proxy(globalThis, {...})`, `new Proxy({}, {get: (_, k) => globalThis[k]})` (or `Reflect.get(window, k)`):
    reading a property of the proxy reads a global (`scope.eval` is `eval`). None for any other proxy."""
    if _is_global(values, target):
        return Value(name="globalThis", via="dynamic")
    trap = _get_trap(handler)
    if trap is None:
        return None
    params = trap.child_by_field_name("parameters")
    names = [p.text.decode("utf-8", "replace") for p in params.named_children] if params is not None else []
    if len(names) < 2:
        return None
    for returned in _returned(trap):
        owner, key = _read(returned)
        if key is not None and key.type == "identifier" and key.text.decode("utf-8", "replace") == names[1] and \
                owner is not None and (_is_global(values, owner) or (
                    owner.type == "identifier" and owner.text.decode("utf-8", "replace") == names[0]
                    and _is_global(values, target))):
            return Value(name="globalThis", via="dynamic")
    return None


def _is_global(values, node) -> bool:
    value = values.ev(node)
    return value.name in GLOBAL_NAMES and not value.labels


def _get_trap(handler):
    """The function stored under `get` in an object literal handler ({get: f} or {get(t, k) {...}})."""
    if handler.type != "object":
        return None
    for part in handler.named_children:
        if part.type == "pair":
            key = part.child_by_field_name("key")
            value = part.child_by_field_name("value")
            if key is not None and key.text.strip(b"'\"") == b"get" and value is not None and value.type in _FUNCTIONS:
                return value
        elif part.type == "method_definition":
            name = part.child_by_field_name("name")
            if name is not None and name.text == b"get":
                return part
    return None


def _returned(function) -> list:
    """The expressions a function returns: an arrow's expression body, else its top-level return statements."""
    body = function.child_by_field_name("body")
    if body is None:
        return []
    if body.type != "statement_block":
        return [body]
    out = []
    for statement in body.named_children:
        if statement.type == "return_statement" and statement.named_children:
            out.append(statement.named_children[0])
    return out[:4]


def _read(node):
    """(object, key) of `o[k]` or `Reflect.get(o, k)`, else (None, None)."""
    while node.type == "parenthesized_expression" and node.named_children:
        node = node.named_children[0]
    if node.type == "subscript_expression":
        return node.child_by_field_name("object"), node.child_by_field_name("index")
    if node.type == "call_expression":
        fn = node.child_by_field_name("function")
        args = node.child_by_field_name("arguments")
        parts = [c for c in args.named_children if c.type != "comment"] if args is not None else []
        if fn is not None and fn.text == b"Reflect.get" and len(parts) >= 2:
            return parts[0], parts[1]
    return None, None
