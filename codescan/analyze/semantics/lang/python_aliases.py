"""Other names a same-file function is called by: `g = helper` binds helper to g, and `run = make_runner()`
binds the function make_runner returns (`def make_runner(): def inner(cmd): ...; return inner`) to run. Their
calls are call sites of the function (python_callsites keeps those whose callee resolves to it). Only a name
bound once: one rebound on branches to several functions calls the one a run picks."""
from __future__ import annotations

MAX_ALIASES = 4
_USES_LOOKED_AT = 64


def aliases(values, function, name: bytes) -> list[bytes]:
    """Names bound to the function `name` defines, or to the result of the function that returns it."""
    out: list[bytes] = []
    if _assigned_somewhere(values.source, name):
        out += _bound_to(values, name, call=False)
    outer = _enclosing_function(function)
    if outer is not None and _returns(outer, name):
        outer_name = outer.child_by_field_name("name")
        if outer_name is not None and _assigned_somewhere(values.source, outer_name.text):
            out += _bound_to(values, outer_name.text, call=True)
    return [a for i, a in enumerate(out) if a != name and a not in out[:i]][:MAX_ALIASES]


def _assigned_somewhere(source: bytes, name: bytes) -> bool:
    """A cheap test that some `x = name` / `x = name(...)` may be in the file."""
    return b"= " + name in source or b"=" + name in source


def _bound_to(values, name: bytes, call: bool) -> list[bytes]:
    """x of each `x = name` (or `x = name(...)` when `call`) among the name's uses."""
    text = name.decode("utf-8", "replace")
    scopes = values.scopes
    scopes.index(text)
    found = []
    for node in scopes.uses.get(text, ())[:_USES_LOOKED_AT]:
        held = node
        if call:
            held = node.parent
            if held is None or held.type != "call" or held.child_by_field_name("function") != node:
                continue
        parent = held.parent
        if parent is None or parent.type != "assignment" or parent.child_by_field_name("right") != held:
            continue
        left = parent.child_by_field_name("left")
        if left is not None and left.type == "identifier" and len(scopes.entries(left) or ()) == 1:
            found.append(left.text)  # (a name rebound on branches, `h = md5_utf8` / `h = sha_utf8`: which
    return found  # function a call of it runs is the peer's choice, as in a table; left out)


def _enclosing_function(function):
    """The function whose body defines `function` directly, else None."""
    block = function.parent
    if block is not None and block.type == "decorated_definition":
        block = block.parent
    outer = block.parent if block is not None and block.type == "block" else None
    return outer if outer is not None and outer.type == "function_definition" else None


def _returns(outer, name: bytes) -> bool:
    """Whether a statement of `outer`'s own body is `return name`."""
    body = outer.child_by_field_name("body")
    for statement in body.named_children if body is not None else ():
        if statement.type == "return_statement" and statement.named_child_count == 1 and \
                statement.named_children[0].text == name:
            return True
    return False
