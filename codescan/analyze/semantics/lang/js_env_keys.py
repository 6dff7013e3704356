"""process.env[key] read as one variable or as the whole environment (js_values' subscripts of the environment)."""
from __future__ import annotations

from ..constants import UNKNOWN
from ..facts import Value, merge
from ..skeleton import HOLE
from .js_scopes import FUNCTIONS, enclosing_function, param_index


def one_variable(values, key_node, key: Value, obj: Value, node) -> Value | None:
    """process.env[key] as one variable, when it is one: a name with a known part ('PG' + key.toUpperCase());
    a helper's parameter given constants by every call in the file (each name read as itself:
    `grab('NPM_TOKEN')` is a token); any other key outside a loop or an iteration callback (a key met there
    may be every name in turn: `for (k in process.env) out[k] = process.env[k]`). None: the environment."""
    narrowed_labels = (obj.labels - {"env"}) | {"env-var"}
    if key.text and key.text.strip(HOLE):
        return Value(UNKNOWN, narrowed_labels, None, None, obj.trace)
    names = _param_constants(values, key_node) if key_node is not None and key_node.type == "identifier" else None
    if names:
        return merge([values.attribute(obj, n, node) for n in names], UNKNOWN)
    if names is None and key_node is not None and key_node.type == "identifier" and \
            any(k == "param" for k, _w, _s in values.scopes.bindings(key_node)):
        return None  # a helper's parameter whose callers are not all known here: any name
    if _in_iteration(node):
        return None
    return Value(UNKNOWN, narrowed_labels, None, None, obj.trace)


MAX_PARAM_CALLS = 32  # calls of a helper read for the constants they give one parameter


def _param_constants(values, ident) -> list[str] | None:
    """The string constants the calls of a same-file function give its parameter `ident` ([] when no call gives
    one: `val('host', config)` leaves `envVar` undefined); None when a call gives anything else, the function has
    no named call in the file, or `ident` is not a parameter."""
    entries = [e for e in values.scopes.bindings(ident) if e[0] == "param"]
    if not entries:
        return None
    function = enclosing_function(ident)
    if function is None:
        return None
    index = param_index(function, entries[0][1])
    name_node = function.child_by_field_name("name")
    if name_node is None and function.parent is not None and function.parent.type == "variable_declarator":
        name_node = function.parent.child_by_field_name("name")
    if index < 0 or name_node is None:
        return None
    name = name_node.text.decode("utf-8", "replace")
    values.scopes.index(name)
    calls = [u.parent for u in values.scopes.uses.get(name, ())
             if u.parent is not None and u.parent.type == "call_expression"
             and u.parent.child_by_field_name("function") == u][:MAX_PARAM_CALLS + 1]
    if not calls or len(calls) > MAX_PARAM_CALLS:
        return None
    found: list[str] = []
    for call in calls:
        args = [a for a in call.child_by_field_name("arguments").named_children if a.type != "comment"]
        if index >= len(args) or args[index].type in ("false", "undefined", "null"):
            continue
        given = values.ev(args[index])
        if not isinstance(given.const, str):
            return None
        if given.const not in found:
            found.append(given.const)
    return found


_LOOPS = frozenset(("for_in_statement", "for_statement", "while_statement", "do_statement"))
_ITERATORS = frozenset((b"forEach", b"map", b"flatMap", b"reduce", b"filter", b"some", b"every", b"find"))


def _in_iteration(node) -> bool:
    """Whether `node` runs once per item: inside a loop of its function, or in a function given to .forEach,
    .map, .reduce, ... (the callback's own loops count too)."""
    current = node.parent
    while current is not None:
        if current.type in _LOOPS:
            return True
        if current.type in FUNCTIONS:
            holder = current.parent
            call = holder.parent if holder is not None and holder.type == "arguments" else None
            fn = call.child_by_field_name("function") if call is not None else None
            prop = fn.child_by_field_name("property") if fn is not None and fn.type == "member_expression" else None
            return prop is not None and prop.text in _ITERATORS
        current = current.parent
    return False
