"""`Cfg.mod` where `Cfg` is a class of the same file: what its static getter returns, its static field holds, or its
static method is (and the same of an instance, `new Cfg().mod`) (`class Cfg { static get mod() { return ["chi", "ld_process"].join("") } }`; `require(Cfg.mod)`)."""
from __future__ import annotations

import re

from ..facts import Value

_CLASSES = frozenset(("class_declaration", "class", "abstract_class_declaration"))
_CLASS_NAME = re.compile(rb"\bclass\s+([\w$]+)")
MAX_MEMBERS = 200  # members of a class body examined


def static_member(values, obj_node, prop: str) -> Value | None:
    """Also `new Job().cmd` / `job.cmd` after `const job = new Job()`: the instance's getter, field or method."""
    if not _class_names(values):  # a file without a class: nothing to read
        return None
    static = True
    if obj_node.type == "identifier":
        cls = _class_of(values, obj_node)
        if cls is None:
            obj_node = _constructed(values, obj_node)
            static = False
    if obj_node is not None and obj_node.type == "new_expression":
        made = obj_node.child_by_field_name("constructor")
        cls = _class_of(values, made) if made is not None and made.type == "identifier" else None
        static = False
    elif obj_node is None or obj_node.type != "identifier":
        return None
    if cls is None:
        return None
    body = cls.child_by_field_name("body")
    for member in (body.named_children[:MAX_MEMBERS] if body is not None else ()):
        if member.type not in ("method_definition", "public_field_definition", "field_definition") or \
                any(c.type == "static" for c in member.children) != static:
            continue
        name = member.child_by_field_name("name") or member.child_by_field_name("property")
        if name is None or name.text.decode("utf-8", "replace").strip("'\"") != prop:
            continue
        if member.type != "method_definition":
            value = member.child_by_field_name("value")
            return values.ev(value) if value is not None else None
        values.defs[member.start_byte] = member
        if any(c.type == "get" for c in member.children):
            from .js_calls import _returns
            return _returns(values, member)
        return Value(name=f"<def:{member.start_byte}>")
    return None


def _class_names(values) -> frozenset:
    """The names the file gives classes, found once per file: every member read of a global name asks."""
    names = values.__dict__.get("_class_names")
    if names is None:
        names = values.__dict__["_class_names"] = frozenset(_CLASS_NAME.findall(values.source))
    return names


def _constructed(values, ident):
    """The `new C(...)` expression a name is bound to once (`const job = new Job()`), or None."""
    entries = values.scopes.bindings(ident)
    if len(entries) != 1 or entries[0][0] != "assign":
        return None
    what = entries[0][1]
    return what if getattr(what, "type", None) == "new_expression" else None


def _class_of(values, ident):
    """The class declaration the name is bound to in this file (one binding, a class)."""
    entries = values.scopes.bindings(ident)
    if entries:
        if len(entries) != 1:
            return None
        kind, what, _scope = entries[0]
        return what if kind == "def" and getattr(what, "type", None) in _CLASSES else None
    return _typescript_class(values, ident)


def _typescript_class(values, ident):
    """TypeScript names a class with a type_identifier the scope index does not hold: the top-level class of that name."""
    text = ident.text
    if text not in _class_names(values):
        return None
    root = ident
    while root.parent is not None:
        root = root.parent
    for node in root.named_children:
        target = node.child_by_field_name("declaration") if node.type == "export_statement" else node
        if target is not None and target.type in _CLASSES:
            name = target.child_by_field_name("name")
            if name is not None and name.text == text:
                return target
    return None
