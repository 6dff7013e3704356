"""Values built in a loop over a constant, folded item by item: `for c in "eval": n += c`, `n = n + c`,
`parts.append(c)` (the loop body runs once per item, so the result is known when every item is)."""
from __future__ import annotations

from ..constants import MAX_LEN, UNKNOWN, Name, NotConstant, evaluate
from ..facts import Value
from ..names import canonical

MAX_LOOP_ITEMS = 256  # items of a constant iterable a loop is unrolled over


def _loop_of(node):
    """The `for` statement (without an else) whose body holds the statement of `node` directly, or None."""
    current = node.parent
    while current is not None and current.type in ("expression_statement", "block"):
        current = current.parent
    if current is None or current.type != "for_statement" or current.child_by_field_name("alternative"):
        return None
    return current


def loop_over_constant(values, node) -> tuple[str, list] | None:
    """(loop variable, items) when the statement holding `node` runs once per item of a `for` loop over a
    known constant (directly in the loop's body, not under a condition); else None."""
    current = _loop_of(node)
    if current is None:
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


def _unpacking_loop(values, node) -> tuple[list[str], list] | None:
    """(loop variables, items) of a `for k, v in <constant pairs>` (or `<constant dict>.items()`) loop whose body
    holds the statement of `node` directly; else None."""
    current = _loop_of(node)
    if current is None:
        return None
    left = current.child_by_field_name("left")
    if left is not None and left.type == "identifier":  # for n in ("os", "subprocess"): mods[n] = ...
        held = values.ev(current.child_by_field_name("right")).const
        if not isinstance(held, (list, tuple)) or len(held) > MAX_LOOP_ITEMS or \
                any(i is UNKNOWN or isinstance(i, (Name, list, tuple, dict)) for i in held):
            return None
        return [left.text.decode("utf-8", "replace")], [(i,) for i in held]
    if left is None or left.type not in ("pattern_list", "tuple_pattern") or \
            any(c.type != "identifier" for c in left.named_children):
        return None
    names = [c.text.decode("utf-8", "replace") for c in left.named_children]
    right = current.child_by_field_name("right")
    function = right.child_by_field_name("function") if right.type == "call" else None
    if function is not None and function.type == "attribute" and \
            function.child_by_field_name("attribute").text == b"items" and \
            not right.child_by_field_name("arguments").named_children:  # for k, v in OPTIONS.items()
        held = values.ev(function.child_by_field_name("object")).const
        items = list(held.items()) if isinstance(held, dict) else None
    else:
        held = values.ev(right).const
        items = list(held) if isinstance(held, (list, tuple)) else None
    if items is None or len(items) > MAX_LOOP_ITEMS or not all(
            isinstance(i, (list, tuple)) and len(i) == len(names) and
            not any(p is UNKNOWN or isinstance(p, Name) for p in i) for i in items):
        return None
    return names, items


def fold_stores(values, statement, key, item, start: dict):
    """The dict `start` after a loop over constant pairs whose body does `d[key] = item` (`for k, v in PAIRS:
    opts[k] = v`); UNKNOWN when any key or item cannot be folded."""
    loop = _unpacking_loop(values, statement)
    if loop is None:
        return UNKNOWN
    names, items = loop
    out = dict(start)
    for pair in items:
        env = dict(zip(names, pair))
        try:
            k = evaluate(key, values, env)
            v = _imported(values, item, env)
            if v is UNKNOWN:
                v = evaluate(item, values, env)
        except NotConstant:
            return UNKNOWN
        if not isinstance(k, (str, int, bool)):
            return UNKNOWN
        out[k] = v
    return out


_IMPORTERS = frozenset(("importlib.import_module", "builtins.__import__"))


def _imported(values, item, env) -> object:
    """`importlib.import_module(n)` / `__import__(n)` with a name known in this iteration: the module, by name;
    UNKNOWN for anything else."""
    if item.type != "call":
        return UNKNOWN
    args = item.child_by_field_name("arguments")
    first = args.named_children[0] if args is not None and args.named_children else None
    if first is None or first.type in ("keyword_argument", "comment") or \
            canonical(values.ev(item.child_by_field_name("function")).name) not in _IMPORTERS:
        return UNKNOWN
    name = evaluate(first, values, env)
    return Name(name) if isinstance(name, str) and name.replace(".", "").replace("_", "").isalnum() else UNKNOWN



def unpacked_choices(values, loop, name: str, limit: int) -> tuple:
    """`for hook, spec in HOOKS.items()` (or over constant pairs): the constant items `name` is bound to in turn,
    as Values; () when the loop is over nothing known here or `name` is not one of its unpacked names."""
    left, right = loop.child_by_field_name("left"), loop.child_by_field_name("right")
    if left is None or right is None or left.type not in ("pattern_list", "tuple_pattern") or \
            any(c.type != "identifier" for c in left.named_children):
        return ()
    names = [c.text.decode("utf-8", "replace") for c in left.named_children]
    if name not in names:
        return ()
    function = right.child_by_field_name("function") if right.type == "call" else None
    if function is not None and function.type == "attribute" and \
            function.child_by_field_name("attribute").text == b"items" and \
            not right.child_by_field_name("arguments").named_children:
        held = values.ev(function.child_by_field_name("object")).const
        items = list(held.items()) if isinstance(held, dict) else None
    else:
        held = values.ev(right).const
        items = list(held) if isinstance(held, (list, tuple)) else None
    if not items or len(items) > limit or not all(isinstance(i, (list, tuple)) and len(i) == len(names) for i in items):
        return ()
    at = names.index(name)
    return tuple(Value(i[at]) for i in items if i[at] is not UNKNOWN and not isinstance(i[at], Name))
