"""Members reached through a property-path helper instead of by name: lodash's `_.get(global, 'eval')`,
`_.result(process, 'mainModule.require')`, `_.invoke(require('child_process'), 'exec', cmd)` (also the one-function
packages `lodash.get`/`lodash/get`, underscore, `dot-prop` and `object-path`). The path is read like the member
chain it spells (`global.eval`, `process.mainModule.require`), the name marked as found at run time."""
from __future__ import annotations

from ..facts import Call, Value

# helpers that read obj at a path: (object's position, path's position)
GETTERS = {name: (0, 1) for name in (
    "lodash.get", "lodash.result", "lodash/get", "lodash/result", "underscore.result",
    "underscore.get", "dot-prop.get", "dot-prop.getProperty", "object-path.get")}
# helpers that call the function at obj's path with the arguments after the path
INVOKERS = frozenset({"lodash.invoke", "lodash/invoke", "object-path.invoke"})
# helpers that store a value at obj's path: (object, path, value) positions
SETTERS = frozenset({"lodash.set", "lodash/set", "lodash.set", "dot-prop.set", "dot-prop.setProperty", "object-path.set"})
MAX_PARTS = 8


def path_member(values, name: str | None, args, node) -> Value | None:
    """The member `_.get(obj, 'a.b')` (or an invoker's target) reads, named as `obj.a.b` would be; None when the
    helper is not one of these or the path is not a constant."""
    at = GETTERS.get(name) if name else None
    if at is None and name in INVOKERS:
        at = (0, 1)
    if at is None or len(args) <= at[1]:
        return None
    path = values.ev(args[at[1]]).const
    parts = path.split(".") if isinstance(path, str) else path if isinstance(path, list) else None
    if not parts or len(parts) > MAX_PARTS or not all(isinstance(p, str) and p for p in parts):
        return None
    member = values.ev(args[at[0]])
    for part in parts:
        member = values.attribute(member, part, node)
        if member is None or not (member.name or member.labels):
            return None
    return Value(member.const, member.labels, member.name, "dynamic", member.trace)


def path_sets(values, callee: str, node) -> list:
    """`_.set(process.env, 'NODE_TLS_REJECT_UNAUTHORIZED', '0')` (`node` inside the setter's name): the set
    `callee(key, value)` when the path is one constant key; [] otherwise."""
    call = node
    while call is not None and call.type != "call_expression":
        call = call.parent
    if call is None or values.ev(call.child_by_field_name("function")).name not in SETTERS:
        return []
    listed = call.child_by_field_name("arguments")
    args = [a for a in listed.named_children if a.type != "comment"] if listed is not None else []
    key = values.ev(args[1]) if len(args) == 3 else None
    if key is None or not isinstance(key.const, str) or "." in key.const:
        return []
    return [Call.at(call, callee, (key, values.ev(args[2])))]
