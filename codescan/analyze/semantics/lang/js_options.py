"""The fields of an options object passed to a JS constructor, as dotted keyword facts (`webPreferences.sandbox`)."""
from __future__ import annotations

from .js_calls import arguments

WITH_OPTIONS = ("BrowserWindow", "BrowserView", "WebContentsView")  # constructors whose options rules read
MAX_FIELDS = 64
MAX_DEPTH = 3


def option_fields(values, node, name: str) -> list[tuple[str, object]]:
    """[(dotted key, Value)] of the first argument's object (written there or bound to a name once or more;
    nested objects and `...spread` of such names followed), for the constructors in WITH_OPTIONS only."""
    if name.rsplit(".", 1)[-1] not in WITH_OPTIONS:
        return []
    args = arguments(node)
    out: list = []
    if args:
        _fields(values, args[0], "", out, 0)
    return out[:MAX_FIELDS]


def _objects(values, node, depth: int) -> list:
    """The object literals a node stands for: itself, or what its name was assigned (latest wins last)."""
    if node.type == "object":
        return [node]
    if node.type == "parenthesized_expression" and node.named_children:
        return _objects(values, node.named_children[0], depth)
    if node.type == "identifier" and depth <= MAX_DEPTH:
        found = []
        for kind, what, _scope in values.scopes.bindings(node):
            if kind == "assign" and what is not None and hasattr(what, "type"):
                found.extend(_objects(values, what, depth + 1))
        return found
    return []


def _fields(values, node, prefix: str, out: list, depth: int) -> None:
    if depth > MAX_DEPTH or len(out) >= MAX_FIELDS:
        return
    for obj in _objects(values, node, depth):
        for child in obj.named_children:
            if child.type == "spread_element" and child.named_children:
                _fields(values, child.named_children[0], prefix, out, depth + 1)
                continue
            if child.type != "pair":
                continue
            key_node = child.child_by_field_name("key")
            value_node = child.child_by_field_name("value")
            if key_node is None or value_node is None:
                continue
            key = key_node.text.decode("utf-8", "replace").strip("'\"`")
            if _objects(values, value_node, depth + 1):
                _fields(values, value_node, f"{prefix}{key}.", out, depth + 1)
            else:
                out.append((f"{prefix}{key}", values.ev(value_node)))
