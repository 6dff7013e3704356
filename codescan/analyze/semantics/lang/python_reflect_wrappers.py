"""Same-file wrappers of the reflection calls (`lambda m, a: getattr(m, a)`, `def load(n): return
importlib.import_module(n)`): a call through one names what the wrapped call would name for these arguments."""
from __future__ import annotations

from ..constants import UNKNOWN
from ..facts import Value
from ..names import canonical

IMPORTERS = {"builtins.__import__", "importlib.import_module", "importlib.__import__"}


def through_wrapper(values, function, arg_values: list) -> Value | None:
    """The name a call of `function` (a lambda or a one-return function around getattr/import_module) gives
    for `arg_values`, else None."""
    from .python_calls import _attribute_of, arguments, callee_value

    body = _wrapped_call(function)
    if body is None:
        return None
    inner = callee_value(values, body).name
    if inner != "builtins.getattr" and inner not in IMPORTERS:
        return None
    params = function.child_by_field_name("parameters")
    names = [p.text.decode("utf-8", "replace") for p in (params.named_children if params is not None else ())
             if p.type == "identifier"]
    bound = dict(zip(names, arg_values))
    inner_args, _keywords = arguments(body)

    def ev(node):
        text = node.text.decode("utf-8", "replace")
        return bound[text] if node.type == "identifier" and text in bound else values.ev(node)

    if inner == "builtins.getattr" and len(inner_args) >= 2:
        return _attribute_of(values, ev(inner_args[0]), ev(inner_args[1]))
    if inner in IMPORTERS and inner_args:
        module = ev(inner_args[0])
        if isinstance(module.const, str) and module.const.replace(".", "").replace("_", "").isalnum():
            return Value(name=canonical(module.const), via="dynamic")
        return Value(UNKNOWN, module.labels, None, "dynamic", module.trace)
    return None


def _wrapped_call(function):
    body = function.child_by_field_name("body")
    if body is None:
        return None
    if function.type == "lambda":
        return body if body.type == "call" else None
    statements = [c for c in body.named_children if c.type not in ("comment",) and not (
        c.type == "expression_statement" and c.named_children and c.named_children[0].type == "string")]
    if len(statements) == 1 and statements[0].type == "return_statement" and statements[0].named_children and \
            statements[0].named_children[0].type == "call":
        return statements[0].named_children[0]
    return None
