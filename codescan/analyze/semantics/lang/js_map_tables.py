"""What `TABLE.get(key)` gives for a Map the file fills itself (`new Map([['run', cp.exec]])`, `TABLE.set('shell',
exec)`): the value stored under a constant key, or, for a key not known here (`TABLE.get(req.params.kind)`), any of the
stored values as choices (a call of the lookup is a call of each stored function)."""
from __future__ import annotations

from ..facts import Value

MAX_STORES = 16
MAX_CHOICES = 8


def map_lookup(values, fn, args) -> Value | None:
    """The value of `M.get(key)` (fn the member `M.get`) when M is bound once to `new Map(...)`, else None."""
    if fn is None or fn.type != "member_expression" or len(args) != 1:
        return None
    owner = fn.child_by_field_name("object")
    if owner.type != "identifier":
        return None
    stores = _stores(values, owner)
    if not stores:
        return None
    key = values.ev(args[0])
    if key.known:
        found = [v for k, v in stores if k.known and k.const == key.const]
        return values.ev(found[-1]).with_step(fn.start_point[0] + 1, f"looked up in {owner.text.decode()}") \
            if found else None
    picks = tuple(values.ev(v) for _k, v in stores[:MAX_CHOICES])
    return Value(choices=picks) if any(p.name for p in picks) else None


def _stores(values, owner) -> list:
    """(key Value, value node) of each entry put in the Map `owner` names: its constructor's pairs, then its `.set`s."""
    name = owner.text.decode("utf-8", "replace")
    entries = values.scopes.bindings(owner)
    if len(entries) != 1 or entries[0][0] != "assign" or entries[0][1] is None:
        return []
    made = entries[0][1]
    if made.type != "new_expression" or made.child_by_field_name("constructor") is None or \
            made.child_by_field_name("constructor").text != b"Map":
        return []
    out = []
    given = made.child_by_field_name("arguments")
    listed = [c for c in given.named_children if c.type != "comment"] if given is not None else []
    if listed and listed[0].type == "array":
        for pair in listed[0].named_children[:MAX_STORES]:
            parts = [c for c in pair.named_children if c.type != "comment"] if pair.type == "array" else []
            if len(parts) == 2:
                out.append((values.ev(parts[0]), parts[1]))
    for use in values.scopes.uses.get(name, ())[:64]:
        member = use.parent
        call = member.parent if member is not None and member.type == "member_expression" else None
        if call is None or call.type != "call_expression" or member.child_by_field_name("object") != use or \
                member.child_by_field_name("property").text != b"set":
            continue
        parts = [c for c in call.child_by_field_name("arguments").named_children if c.type != "comment"]
        if len(parts) == 2:
            out.append((values.ev(parts[0]), parts[1]))
        if len(out) >= MAX_STORES:
            break
    return out
