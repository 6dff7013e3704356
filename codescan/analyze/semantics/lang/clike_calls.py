"""Reflection in Go/Java/Kotlin/C#: names built at run time (`Class.forName(..).getMethod(..)`, `reflect.ValueOf`,
`Type.GetType(..).GetMethod(..)`) resolved to the canonical callee they reach, marked `dynamic`."""
from __future__ import annotations

from ..facts import Value, merge

CLASS_BY_NAME = frozenset(("forName", "loadClass", "GetType", "getClass"))
METHOD_BY_NAME = frozenset(("getMethod", "getDeclaredMethod", "GetMethod", "MethodByName", "getMethods"))
INVOKES = frozenset(("invoke", "Invoke", "InvokeMember", "call", "Call"))


def reflective_value(flow, callee, simple, node, args, receiver) -> Value | None:
    """Value(name=...) for a class or method looked up by a constant name, else None."""
    if simple in CLASS_BY_NAME and args and isinstance(args[0].const, str) and \
            (callee is None or callee.endswith(("Class.forName", "Type.GetType", ".loadClass", "*.loadClass",
                                                "ClassLoader.loadClass", "forName", "GetType"))):
        return Value(name=args[0].const.replace("$", "."), via="dynamic")
    if simple in METHOD_BY_NAME and receiver is not None and receiver.name and args and \
            isinstance(args[0].const, str):
        return Value(name=f"{receiver.name}.{args[0].const}", via="dynamic")
    if callee == "reflect.ValueOf":
        parts = flow.parts(node)
        arg_nodes = parts[3] if parts else []
        if arg_nodes:
            name = flow.dotted(arg_nodes[0]) if hasattr(flow, "dotted") else None
            if name:
                return Value(name=name, via="dynamic")
            inner = flow.value(arg_nodes[0])
            if inner.name:
                return inner
    return None


def invoked(flow, name: str, receiver_node, args: list):
    """call_parts for `m.invoke(target, a, b)` / `m.Invoke(target, new object[]{a, b})` when m names a method."""
    if receiver_node is None:
        return None
    target = flow.value(receiver_node)
    if not target.name or "." not in target.name:
        return None
    rest = args[1:]
    if len(rest) == 1 and rest[0].type in ("array_creation_expression", "implicit_array_creation_expression"):
        init = next((c for c in rest[0].named_children if c.type in ("array_initializer", "initializer_expression")),
                    None)
        if init is not None:
            rest = [c for c in init.named_children if "comment" not in c.type]
    return target.name, None, None, rest, [], "dynamic"


def go_reflect_call(flow, node, operand, field: str, args: list):
    """`reflect.ValueOf(exec.Command).Call([]reflect.Value{reflect.ValueOf("sh"), ...})` as a call of the function."""
    if field != "Call":
        return None
    target = flow.value(operand)
    if not target.name:
        return None
    elements = []
    if args and args[0].type == "composite_literal":
        body = args[0].child_by_field_name("body")
        for element in (body.named_children if body is not None else []):
            inner = element.named_children[0] if element.type == "literal_element" and element.named_children \
                else element
            if inner.type == "call_expression" and flow.dotted(inner.child_by_field_name("function")) == \
                    "reflect.ValueOf":
                inner_args = [c for c in inner.child_by_field_name("arguments").named_children
                              if "comment" not in c.type]
                inner = inner_args[0] if inner_args else inner
            elements.append(inner)
    return target.name, None, None, elements, [], "dynamic"


def merged(values) -> Value:
    return merge(values)
