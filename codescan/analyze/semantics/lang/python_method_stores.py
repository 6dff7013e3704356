"""What a method puts into `self.x` when the value is built from its parameters (`def add(self, *parts):
self.steps.append(" ".join(parts))`): the constant it folds to at each same-file call of the method with constant
arguments (`jobs.add("curl", "-s", URL, "|", "sh")`)."""
from __future__ import annotations

from ... import budget as budgets
from ..constants import NotConstant, evaluate
from .python_calls import arguments, callee_value
from .python_callsites import _called_at
from .python_summaries import MAX_FOLDED_FUNCTION, _rebinds, bound_locals

MAX_SITES = 16  # calls of the method folded (more: not followed)
MAX_CANDIDATES = 64  # `x.name(...)` calls whose callee is resolved to find them (a common name: `s.add(...)` on sets)


def folded_at_sites(values, item) -> list | None:
    """The constants `item` (an expression inside a method) folds to at every same-file call of that method;
    None when the method has no such call, a call passes something not constant, or a parameter is bound again."""
    function = item.parent
    while function is not None and function.type != "function_definition":
        function = function.parent
    if function is None or function.end_byte - function.start_byte > MAX_FOLDED_FUNCTION:
        return None
    name = function.child_by_field_name("name").text
    out, candidates = [], 0
    for at in _called_at(values.source, name):
        budgets.tick()
        node = values.scopes.locate(at, at + len(name))
        holder = node.parent if node is not None else None
        if holder is None or holder.type != "attribute" or holder.child_by_field_name("attribute") != node:
            continue  # the def itself, or a plain function of the same name
        call = holder.parent
        if call is None or call.type != "call" or call.child_by_field_name("function") != holder:
            continue
        candidates += 1
        if candidates > MAX_CANDIDATES:
            return None  # the method's calls are not all known: its list's constants may not be all it holds
        if callee_value(values, call).name != f"<def:{function.start_byte}>":
            continue
        if len(out) >= MAX_SITES:
            return None
        args, keywords = arguments(call)
        given = [values.ev(holder.child_by_field_name("object")), *(values.ev(a) for a in args)]
        bound = bound_locals(values, function, given, {k: values.ev(v) for k, v in keywords})
        if bound is None or _rebinds(values, item, *bound):
            return None
        try:
            out.append(evaluate(item, values, bound[0]))
        except NotConstant:
            return None
    return out or None
