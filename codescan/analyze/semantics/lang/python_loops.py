"""Values built in a loop over a constant, folded item by item: `for c in "eval": n += c`, `n = n + c`,
`parts.append(c)` (the loop body runs once per item, so the result is known when every item is)."""
from __future__ import annotations

from ..constants import MAX_LEN, UNKNOWN, Name, NotConstant, evaluate

MAX_LOOP_ITEMS = 256  # items of a constant iterable a loop is unrolled over


def loop_over_constant(values, node) -> tuple[str, list] | None:
    """(loop variable, items) when the statement holding `node` runs once per item of a `for` loop over a
    known constant (directly in the loop's body, not under a condition); else None."""
    current = node.parent
    while current is not None and current.type in ("expression_statement", "block"):
        current = current.parent
    if current is None or current.type != "for_statement" or current.child_by_field_name("alternative"):
        return None
    left = current.child_by_field_name("left")
    if left is None or left.type != "identifier":
        return None
    iterable = values.ev(current.child_by_field_name("right")).const
    if isinstance(iterable, str):
        items = list(iterable)
    elif isinstance(iterable, (list, tuple)):
        items = list(iterable)
    else:
        return None
    if len(items) > MAX_LOOP_ITEMS or any(i is UNKNOWN or isinstance(i, Name) for i in items):
        return None
    return left.text.decode("utf-8", "replace"), items


def fold_accumulation(values, name: str, statement, right, start, augmented: bool):
    """The value of `name` after a loop whose body does `name += right` (or `name = <right using name>`),
    starting from the constant `start`; UNKNOWN when any step cannot be folded."""
    loop = loop_over_constant(values, statement)
    if loop is None:
        return UNKNOWN
    variable, items = loop
    acc = start
    for item in items:
        try:
            step = evaluate(right, values, {variable: item, name: acc})
        except NotConstant:
            return UNKNOWN
        if augmented:
            if type(step) is not type(acc) or not isinstance(acc, (str, bytes, list, int)) or isinstance(acc, bool):
                return UNKNOWN
            step = acc + step
        if isinstance(step, (str, bytes, list)) and len(step) > MAX_LEN:
            return UNKNOWN
        acc = step
    return acc


def fold_appends(values, call, argument):
    """The items a loop over a constant appends with `x.append(argument)`, or None."""
    loop = loop_over_constant(values, call)
    if loop is None:
        return None
    variable, items = loop
    out = []
    for item in items:
        try:
            out.append(evaluate(argument, values, {variable: item}))
        except NotConstant:
            return None
    return out
