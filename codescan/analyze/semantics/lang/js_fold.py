"""A small same-file JavaScript function called with constants, folded: straight-line `var`/assignments then
one `return` (`function _0x51c2(i) { i = i - 0x1a0; const a = _0x3a1f(); return a[i]; }` — the accessor of a
string-array obfuscator), evaluated over the arguments without running anything."""
from __future__ import annotations

from .. import js_constants
from ..constants import UNKNOWN, Name, NotConstant

MAX_FUNCTION = 2_000  # bytes of a function folded at a call site
MAX_STATEMENTS = 8
_INT_OPS = {"-": lambda a, b: a - b, "+": lambda a, b: a + b, "*": lambda a, b: a * b, "^": lambda a, b: a ^ b,
            "&": lambda a, b: a & b, "|": lambda a, b: a | b, "%": lambda a, b: a % b if b else None}


class _NoFold(Exception):
    pass


def _params(function, arg_values: list) -> dict | None:
    """The function's parameter names bound to the arguments' constants (UNKNOWN where not known); None when a
    parameter is a pattern."""
    params = function.child_by_field_name("parameters")
    names = []
    if params is not None:
        for p in params.named_children:
            ident = p if p.type == "identifier" else p.child_by_field_name("pattern") if p.type in (
                "required_parameter", "optional_parameter") else None
            if ident is None or ident.type != "identifier":
                return None
            names.append(ident.text.decode("utf-8", "replace"))
    elif function.child_by_field_name("parameter") is not None:
        names.append(function.child_by_field_name("parameter").text.decode("utf-8", "replace"))
    return {n: (a.const if a.known else UNKNOWN) for n, a in zip(names, arg_values)}


def fold_call(values, function, arg_values: list):
    """The constant `function` returns for these constant arguments, or UNKNOWN."""
    if function.end_byte - function.start_byte > MAX_FUNCTION:
        return UNKNOWN
    env = _params(function, arg_values)
    if env is None:
        return UNKNOWN
    body = function.child_by_field_name("body")
    try:
        if body is None:
            return UNKNOWN
        if body.type != "statement_block":
            return _value(values, body, env)
        statements = [c for c in body.named_children if c.type != "comment"]
        if len(statements) > MAX_STATEMENTS:
            return UNKNOWN
        for statement in statements:
            if statement.type == "return_statement":
                inner = statement.named_children
                return _value(values, inner[0], env) if inner else UNKNOWN
            _run(values, statement, env)
    except (_NoFold, RecursionError):
        return UNKNOWN
    return UNKNOWN


def fold_reference(values, function, arg_values: list):
    """What `function` returns for these constant arguments when it returns `OBJ[key]` with a key the arguments
    fold to (`function pick(name) { return globalThis[TABLE[name]]; }` then `pick('eval')`): the global, module
    member or table entry of that name; None otherwise."""
    body = function.child_by_field_name("body")
    if body is None or function.end_byte - function.start_byte > MAX_FUNCTION:
        return None
    returned = body
    if body.type == "statement_block":
        statements = [c for c in body.named_children if c.type != "comment"]
        if len(statements) != 1 or statements[0].type != "return_statement" or not statements[0].named_children:
            return None
        returned = statements[0].named_children[0]
    if returned.type != "subscript_expression":
        return None
    env = _params(function, arg_values)
    if env is None:
        return None
    try:
        key = _value(values, returned.child_by_field_name("index"), env)
    except (_NoFold, RecursionError):
        return None
    if not isinstance(key, str):
        return None
    obj_node = returned.child_by_field_name("object")
    if obj_node.type == "identifier" and obj_node.text.decode("utf-8", "replace") in env:
        return None  # the object is a parameter: not known here
    return values.keyed(obj_node, values.ev(obj_node), key, returned)


def _run(values, statement, env: dict) -> None:
    if statement.type in ("lexical_declaration", "variable_declaration"):
        for declarator in statement.named_children:
            if declarator.type != "variable_declarator":
                continue
            name, value = declarator.child_by_field_name("name"), declarator.child_by_field_name("value")
            if name is None or name.type != "identifier":
                raise _NoFold
            env[name.text.decode("utf-8", "replace")] = _value(values, value, env) if value is not None else None
        return
    if statement.type == "expression_statement" and statement.named_children:
        expression = statement.named_children[0]
        if expression.type in ("assignment_expression", "augmented_assignment_expression"):
            left = expression.child_by_field_name("left")
            if left.type != "identifier":
                raise _NoFold
            name = left.text.decode("utf-8", "replace")
            right = _value(values, expression.child_by_field_name("right"), env)
            if expression.type == "augmented_assignment_expression":
                op = expression.child_by_field_name("operator").type[:-1]
                right = _combine(op, env.get(name, UNKNOWN), right)
            env[name] = right
            return
    raise _NoFold


def _value(values, node, env: dict):
    kind = node.type
    if kind == "identifier":
        name = node.text.decode("utf-8", "replace")
        if name in env:
            if env[name] is UNKNOWN:
                raise _NoFold
            return env[name]
    if kind == "parenthesized_expression" and node.named_children:
        return _value(values, node.named_children[0], env)
    if kind == "binary_expression":
        op = node.child_by_field_name("operator").type
        return _combine(op, _value(values, node.child_by_field_name("left"), env),
                        _value(values, node.child_by_field_name("right"), env))
    if kind == "subscript_expression":
        key = _value(values, node.child_by_field_name("index"), env)
        obj_node = node.child_by_field_name("object")
        if isinstance(key, str) and obj_node.type == "identifier" and obj_node.text.decode("utf-8", "replace") \
                not in env:  # TABLE[name]: the entry a table bound in the file holds (entries added later too)
            entry = values._entry(obj_node, key)
            if entry is not None and entry.known:
                return entry.const
        held = _value(values, obj_node, env)
        if isinstance(held, (list, str)) and isinstance(key, int) and not isinstance(key, bool) and 0 <= key < len(held):
            item = held[key]
        elif isinstance(held, dict) and isinstance(key, str) and key in held:  # TABLE[name]: the table's entry
            item = held[key]
        else:
            raise _NoFold
        if item is UNKNOWN or isinstance(item, Name):
            raise _NoFold
        return item
    if kind not in ("string", "number", "template_string", "array", "call_expression", "identifier",
                    "member_expression", "true", "false", "null"):
        raise _NoFold
    if env and kind in ("call_expression", "member_expression", "template_string"):
        # Buffer.from(s, 'base64').toString(), list.reduce(..): the parameters bound to the call's constants
        try:
            return js_constants.evaluate(node, _Env(values, env))
        except (NotConstant, IndexError, TypeError, KeyError, ValueError):
            pass
    value = values.ev(node)
    if not value.known:
        raise _NoFold
    return value.const


class _Env:
    """The constant interpreter's look-up with a folded function's parameters and locals bound."""

    def __init__(self, values, env: dict):
        self.values, self.env = values, env

    def __call__(self, node):
        if node.type == "identifier":
            held = self.env.get(node.text.decode("utf-8", "replace"), UNKNOWN)
            if held is not UNKNOWN:
                return held
            if node.text.decode("utf-8", "replace") in self.env:
                raise NotConstant
        return self.values(node)


def _combine(op: str, left, right):
    if left is UNKNOWN or right is UNKNOWN:
        raise _NoFold
    if op == "+" and (isinstance(left, str) or isinstance(right, str)) and isinstance(left, (str, int)) \
            and isinstance(right, (str, int)):
        return str(left) + str(right)
    if isinstance(left, int) and isinstance(right, int) and not isinstance(left, bool) and op in _INT_OPS:
        result = _INT_OPS[op](left, right)
        if result is None:
            raise _NoFold
        return result
    raise _NoFold
