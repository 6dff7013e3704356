"""Callbacks run over constants by the JS constant interpreter: LIST.map(x => ..), LIST.reduce((acc, x) => .., init)
and TEXT.replace(/re/g, m => ..) with a one-expression callback or a block of `const` lines then `return`
(`codes.reduce((s, n) => s + String.fromCharCode(n ^ 42), '')`, a rot13 replace): how droppers spell their code.
Bounded: the list's length, the text built, the callback's statements; the file's budget ticks per node."""
from __future__ import annotations

from .constants import NotConstant
from .js_constants import MAX_REGEX_TEXT, NOT_A_CALLBACK, Regex, evaluate

MAX_FOLD_ITEMS = 4_096  # items of a constant list a map/reduce callback is run over
MAX_FOLD_TEXT = 65_536  # characters a folded reduce may build
_CALLBACKS = ("arrow_function", "function_expression", "function")


class _Bound:
    """A lookup with a callback's parameters bound to constants (the rest asked of the outer lookup)."""

    def __init__(self, lookup, names: dict):
        self.lookup, self.names = lookup, names
        ask = getattr(lookup, "constant_of", None)
        if ask is not None:
            self.constant_of = ask

    def __call__(self, node):
        if node.type == "identifier" and node.text in self.names:
            return self.names[node.text]
        return self.lookup(node)


def folded_callback(node, target, method: str, lookup, depth):
    """What the call gives, NOT_A_CALLBACK when a replace is given a text (not a function); raises NotConstant."""
    if method in ("replace", "replaceAll"):
        nodes = [c for c in node.child_by_field_name("arguments").named_children if c.type != "comment"]
        if len(nodes) != 2 or nodes[1].type not in _CALLBACKS:
            return NOT_A_CALLBACK
        return _replace_by_callback(target, nodes, lookup, depth)
    return _callback_fold(node, target, method, lookup, depth)


def _callback_fold(node, target, method: str, lookup, depth):
    """LIST.map(x => expr) and LIST.reduce((acc, x) => acc + expr, init) over a constant list or text with a
    one-expression callback, run item by item (`codes.reduce((s, n) => s + String.fromCharCode(n ^ 42), '')`:
    how droppers spell their code)."""
    args = [c for c in node.child_by_field_name("arguments").named_children if c.type != "comment"]
    if not args or args[0].type not in _CALLBACKS or len(args) != (2 if method == "reduce" else 1):
        raise NotConstant
    wanted = 2 if method == "reduce" else 1
    names = _params(args[0], wanted)
    items = evaluate(target, lookup, depth + 1)
    if not isinstance(items, (list, str)) or len(items) > MAX_FOLD_ITEMS:
        raise NotConstant
    if method == "map":
        out = [_run_callback(args[0], _Bound(lookup, {names[0]: item}), depth + 1) for item in items]
        if sum(len(v) if isinstance(v, str) else 1 for v in out) > MAX_FOLD_TEXT:
            raise NotConstant
        return out
    acc = evaluate(args[1], lookup, depth + 1)
    for item in items:
        acc = _run_callback(args[0], _Bound(lookup, {names[0]: acc, names[1]: item}), depth + 1)
        if isinstance(acc, str) and len(acc) > MAX_FOLD_TEXT or isinstance(acc, list):
            raise NotConstant
    return acc


def _replace_by_callback(target, nodes, lookup, depth):
    """TEXT.replace(/[a-z]/gi, c => ...): each match replaced by what the callback gives for it (a rot13 decoder)."""
    text = evaluate(target, lookup, depth + 1)
    pattern = evaluate(nodes[0], lookup, depth + 1)
    if not isinstance(text, str) or not isinstance(pattern, Regex) or len(text) > MAX_REGEX_TEXT:
        raise NotConstant
    name = _params(nodes[1], 1)[0]

    def each(match):
        out = _run_callback(nodes[1], _Bound(lookup, {name: match.group(0)}), depth + 1)
        if not isinstance(out, str):
            raise NotConstant
        return out
    return pattern.compiled.sub(each, text, count=0 if "g" in pattern.flags else 1)


def _params(function, wanted: int) -> list:
    """The names of a callback's first `wanted` parameters (plain identifiers), else NotConstant."""
    params = function.child_by_field_name("parameters")
    names = [function.child_by_field_name("parameter")] if params is None else \
        [c.named_children[0] if c.type == "required_parameter" and c.named_children else c
         for c in params.named_children if c.type != "comment"]
    if len(names) < wanted or any(n is None or n.type != "identifier" for n in names[:wanted]):
        raise NotConstant
    return [n.text for n in names[:wanted]]


MAX_CALLBACK_STATEMENTS = 6
_COMPARE = {"<": lambda a, b: a < b, "<=": lambda a, b: a <= b, ">": lambda a, b: a > b, ">=": lambda a, b: a >= b,
            "===": lambda a, b: a == b, "!==": lambda a, b: a != b}


def _run_callback(function, bound: _Bound, depth):
    """A callback's result: its expression body, or a block of `const x = ...;` lines then `return ...`."""
    body = function.child_by_field_name("body")
    if body is None:
        raise NotConstant
    if body.type != "statement_block":
        return _callback_value(body, bound, depth)
    statements = [c for c in body.named_children if c.type != "comment"]
    if not statements or len(statements) > MAX_CALLBACK_STATEMENTS:
        raise NotConstant
    for statement in statements:
        if statement.type == "return_statement" and statement.named_children:
            return _callback_value(statement.named_children[0], bound, depth)
        declared = [c for c in statement.named_children if c.type == "variable_declarator"] \
            if statement.type in ("lexical_declaration", "variable_declaration") else []
        if len(declared) != 1 or declared[0].child_by_field_name("name").type != "identifier" or \
                declared[0].child_by_field_name("value") is None:
            raise NotConstant
        bound.names = {**bound.names, declared[0].child_by_field_name("name").text:
                       _callback_value(declared[0].child_by_field_name("value"), bound, depth)}
    raise NotConstant


def _callback_value(node, bound: _Bound, depth):
    """evaluate(), plus the conditionals a decoder callback picks its alphabet with (`c <= 'Z' ? 65 : 97`)."""
    if node.type == "parenthesized_expression" and node.named_child_count == 1:
        return _callback_value(node.named_children[0], bound, depth)
    if node.type == "ternary_expression":
        test = _callback_value(node.child_by_field_name("condition"), bound, depth)
        if not isinstance(test, bool):
            raise NotConstant
        return _callback_value(node.child_by_field_name("consequence" if test else "alternative"), bound, depth)
    if node.type == "binary_expression" and node.child_by_field_name("operator").type in _COMPARE:
        left = evaluate(node.child_by_field_name("left"), bound, depth)
        right = evaluate(node.child_by_field_name("right"), bound, depth)
        if type(left) is not type(right) or not isinstance(left, (str, int)) or isinstance(left, bool):
            raise NotConstant
        return _COMPARE[node.child_by_field_name("operator").type](left, right)
    return evaluate(node, bound, depth)
