"""`operator.methodcaller(name, *args)(obj)`: a call of `obj.<name>(*args)`, the method named at run time."""
from __future__ import annotations

from ..names import canonical
from .python_calls import arguments, callee_value


def methodcaller_call(values, node):
    """(callee name, argument nodes, keyword pairs) when `node` applies a methodcaller to an object, else None.
    The bound arguments are the method's; the object is its receiver (`methodcaller("system", cmd)(os)`)."""
    fn = node.child_by_field_name("function")
    if fn is not None and fn.type == "identifier" and _mentioned(values):  # call = methodcaller(...); call(os)
        fn = _bound_call(values, fn)
    if fn is None or fn.type != "call":
        return None
    inner = fn.child_by_field_name("function")
    if inner is None or not inner.text.endswith(b"methodcaller"):
        return None
    if canonical(callee_value(values, fn).name or "") != "operator.methodcaller":
        return None
    bound, keywords = arguments(fn)
    applied, _kw = arguments(node)
    if not bound or len(applied) != 1:
        return None
    method = values.ev(bound[0]).const
    owner = values.ev(applied[0]).name
    if not isinstance(method, str) or not method.isidentifier() or not owner:
        return None
    return canonical(f"{owner}.{method}"), bound[1:], keywords


def _mentioned(values) -> bool:
    """Whether the file says methodcaller at all, asked once per file: without it no name can be bound to one, and
    every call of a local name (most calls) would look its bindings up."""
    found = values.__dict__.get("_methodcaller_named")
    if found is None:
        found = values.__dict__["_methodcaller_named"] = b"methodcaller" in values.source
    return found


def _bound_call(values, name_node):
    """The call a name is bound to by its one assignment (`call = operator.methodcaller(...)`), else None."""
    entries = values.scopes.entries(name_node) or []
    if len(entries) != 1 or entries[0][0] != "assign":
        return None
    what = entries[0][1]
    return what if what is not None and what.type == "call" and b"methodcaller" in what.text[:64] else None
