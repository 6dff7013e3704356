"""Names a JavaScript call reaches by reflection: Reflect.get, property descriptors, bind, call/apply, and a key
found in Object.keys/entries by a comparing callback (split out of js_calls: what a call calls, not what it returns)."""
from __future__ import annotations

from ..constants import Name
from ..facts import Value
from .js_access import DESCRIPTOR, GLOBAL_NAMES


def unbound(name: str | None) -> str | None:
    """`f.call` / `f.apply` called: the call is a call of f."""
    if name and name.endswith((".call", ".apply")):
        return name.rsplit(".", 1)[0]
    return name


def reflection(values, name: str | None, args, fn) -> Value | None:
    """Names reached by reflection: Reflect.get(o, 'k'), Object.getOwnPropertyDescriptor(o, 'k').value,
    f.bind(...), Object.keys/getOwnPropertyNames(o).find(n => n === 'k'), Object.entries(o).find/filter."""
    if name in ("Reflect.get", "Object.getOwnPropertyDescriptor") and len(args) >= 2:
        owner, key = values.ev(args[0]), values.ev(args[1])
        if owner.name in GLOBAL_NAMES and not owner.labels and isinstance(key.const, str) and name == "Reflect.get":
            return Value(name=key.const, via="dynamic")  # Reflect.get(globalThis, "ev" + "al")
        if owner.name and isinstance(key.const, str):
            suffix = DESCRIPTOR if name == "Object.getOwnPropertyDescriptor" else ""
            return Value(name=f"{owner.name}.{key.const}{suffix}", via="dynamic")
        return None
    if name and name.endswith(".bind") and fn is not None and fn.type == "member_expression":
        target = values.ev(fn.child_by_field_name("object"))
        return Value(name=target.name, via=target.via) if target.name else None
    if name and name.endswith((".find", ".filter")) and args and fn is not None and fn.type == "member_expression":
        wanted = _compared_key(args[0])
        listing = fn.child_by_field_name("object")
        if wanted is None or listing.type != "call_expression":
            return None
        lister = values.ev(listing.child_by_field_name("function")).name
        from .js_calls import arguments
        inner = arguments(listing)
        owner = values.ev(inner[0]).name if inner else None
        if lister in ("Object.keys", "Object.getOwnPropertyNames"):
            found = wanted
        elif lister == "Object.entries" and owner:
            found = [wanted, Name(f"{owner}.{wanted}")]
        else:
            return None
        return Value([found] if name.endswith(".filter") else found, via="dynamic")
    return None


def _compared_key(arrow) -> str | None:
    """'k' for a callback `n => n === 'k'` / `([n]) => n == "k"`."""
    if arrow.type not in ("arrow_function", "function_expression"):
        return None
    body = arrow.child_by_field_name("body")
    if body is not None and body.type == "statement_block":
        statements = [c for c in body.named_children if c.type == "return_statement"]
        body = statements[0].named_children[0] if statements and statements[0].named_children else None
    if body is None or body.type != "binary_expression" or body.child_by_field_name("operator").type not in ("===", "=="):
        return None
    for side in (body.child_by_field_name("left"), body.child_by_field_name("right")):
        if side.type == "string":
            return side.text.decode("utf-8", "replace")[1:-1]
    return None
