"""A same-file helper's return folded statement by statement for constant arguments: plain assignments, `+=`,
`.append`, `for` loops over constants (`s = ""; for c in codes: s += chr(c); return s`) and `if`/`elif`/`else` whose
conditions are constants there (`if c > 96: s += chr(c - 32)`), nothing else."""
from __future__ import annotations

from ..constants import MAX_LEN, UNKNOWN, NotConstant, evaluate

MAX_STEPS = 2_048  # statements run (loop bodies count once per item)
MAX_ITEMS = 512  # items one loop may run over
_FLAT = ("expression_statement", "pass_statement")


class _Stop(Exception):
    """The body does something this folder does not model: its return is not known."""


class _Return(Exception):
    def __init__(self, value):
        self.value = value


def run_body(values, function, local: dict):
    """The constant `function` returns when its parameters hold `local`; UNKNOWN when any statement is not one
    of the forms above (a branch, a call for its effect, a `while`...)."""
    body = function.child_by_field_name("body")
    if body is None or body.type != "block":
        return UNKNOWN
    state = {"steps": 0}
    env = dict(local)
    try:
        _block(values, body, env, state)
    except _Return as done:
        return done.value
    except (_Stop, NotConstant, RecursionError):
        return UNKNOWN
    return UNKNOWN


def _block(values, block, env: dict, state: dict) -> None:
    for statement in block.named_children:
        state["steps"] += 1
        if state["steps"] > MAX_STEPS:
            raise _Stop
        kind = statement.type
        if kind == "comment" or kind == "pass_statement":
            continue
        if kind == "return_statement":
            if not statement.named_children:
                raise _Stop
            raise _Return(_value(values, statement.named_children[0], env))
        if kind == "for_statement":
            _loop(values, statement, env, state)
            continue
        if kind == "if_statement":
            _branch(values, statement, env, state)
            continue
        if kind != "expression_statement" or len(statement.named_children) != 1:
            raise _Stop
        _expression(values, statement.named_children[0], env)


def _expression(values, node, env: dict) -> None:
    kind = node.type
    if kind == "string":
        return  # a docstring
    if kind == "assignment":
        left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
        if left is None or right is None or left.type != "identifier" or node.child_by_field_name("type"):
            raise _Stop
        env[left.text.decode("utf-8", "replace")] = _value(values, right, env)
        return
    if kind == "augmented_assignment":
        left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
        op = node.child_by_field_name("operator")
        name = left.text.decode("utf-8", "replace") if left is not None and left.type == "identifier" else None
        if name not in env or op is None or op.type != "+=":
            raise _Stop
        current, step = env[name], _value(values, right, env)
        if type(current) is not type(step) or not isinstance(current, (str, bytes, list)):
            raise _Stop
        env[name] = _sized(current + step)
        return
    if kind == "call":  # parts.append(x) on a list this body built
        fn = node.child_by_field_name("function")
        args = node.child_by_field_name("arguments")
        if fn is not None and fn.type == "attribute" and fn.child_by_field_name("attribute").text == b"append" \
                and args is not None and len(args.named_children) == 1:
            target = fn.child_by_field_name("object")
            name = target.text.decode("utf-8", "replace") if target.type == "identifier" else None
            if name in env and isinstance(env[name], list):
                env[name] = _sized(env[name] + [_value(values, args.named_children[0], env)])
                return
    raise _Stop


def _loop(values, statement, env: dict, state: dict) -> None:
    left = statement.child_by_field_name("left")
    if statement.child_by_field_name("alternative") is not None or left is None:
        raise _Stop
    items = _value(values, statement.child_by_field_name("right"), env)
    if isinstance(items, (str, bytes, list, tuple)):
        items = list(items)
    else:
        raise _Stop
    if len(items) > MAX_ITEMS:
        raise _Stop
    if left.type == "identifier":
        names = [left.text.decode("utf-8", "replace")]
    elif left.type in ("pattern_list", "tuple_pattern") and all(c.type == "identifier" for c in left.named_children):
        names = [c.text.decode("utf-8", "replace") for c in left.named_children]
    else:
        raise _Stop
    for item in items:
        if len(names) == 1:
            env[names[0]] = item
        elif isinstance(item, (list, tuple)) and len(item) == len(names):
            env.update(zip(names, item))
        else:
            raise _Stop
        _block(values, statement.child_by_field_name("body"), env, state)


def _branch(values, statement, env: dict, state: dict) -> None:
    """Run the block of the first `if`/`elif` whose condition is true (else the `else` block); a condition that is
    not a constant here stops the folding."""
    if bool(_value(values, statement.child_by_field_name("condition"), env)):
        _block(values, statement.child_by_field_name("consequence"), env, state)
        return
    for clause in statement.children_by_field_name("alternative"):
        if clause.type == "elif_clause":
            if bool(_value(values, clause.child_by_field_name("condition"), env)):
                _block(values, clause.child_by_field_name("consequence"), env, state)
                return
        elif clause.type == "else_clause":
            _block(values, clause.child_by_field_name("body"), env, state)
            return
        else:
            raise _Stop


def _value(values, node, env: dict):
    out = evaluate(node, values, env)
    if out is UNKNOWN:
        raise NotConstant
    return out


def _sized(value):
    if len(value) > MAX_LEN:
        raise _Stop
    return value
