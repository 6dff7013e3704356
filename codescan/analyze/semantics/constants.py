"""A tiny, bounded interpreter that folds Python constant expressions over tree-sitter nodes.

It never runs scanned code: it only combines literal values (strings, bytes, numbers, bools,
containers) with a fixed list of pure operations (concatenation, %-format, join, slicing,
chr, base64/hex/rot13 decoding...). Anything else raises NotConstant."""
from __future__ import annotations

import binascii
import re
from dataclasses import dataclass

from .. import budget as budgets
from .constants_memo import CONTEXT, LITERAL_ONLY, remembered
from .fstrings import NotTemplate, filled, literal, template
from .string_literals import MISS, decoded, number

MAX_LEN = 100_000  # longest string/bytes/container a fold may produce
MAX_DEPTH = 60  # expression nesting the interpreter follows
MAX_ITEMS = 10_000  # elements a comprehension may iterate


class NotConstant(Exception):
    """The expression is not a constant this interpreter can fold."""


@dataclass(frozen=True, slots=True)
class Name:
    """A reference to a (dotted) name stored in a container, e.g. `{'x': eval}`."""
    dotted: str


class _Unknown:
    __slots__ = ()


UNKNOWN = _Unknown()  # a container element that is not constant
_BIG_WIDTH = re.compile(r"\d{5,}|\*")  # format widths that could allocate huge strings
_SCALARS = (str, bytes, int, float, bool, type(None))


class Env:
    """What the interpreter needs from its caller: name lookups (overridden by the folder)."""

    const_memo: dict | None = None  # node id -> (value, depth) of literal-only subtrees (PyValues keeps one)

    def lookup(self, node):
        """The constant value bound to identifier `node`, else raise NotConstant."""
        raise NotConstant

    def name_of(self, node) -> str | None:
        """The dotted name an expression denotes (`os.system`, `eval`), or None."""
        return None

    def is_builtin(self, node) -> bool:
        """True when identifier `node` is not rebound in scope (so `chr` is the builtin)."""
        return True

    def constant_of(self, node):
        """The constant of a call/subscript/attribute inside an expression that the interpreter
        itself cannot fold (the semantic layer answers: `str(oct)[-3]`); else raise NotConstant."""
        raise NotConstant


_ASK_ENV = frozenset({"call", "subscript", "attribute"})


def evaluate(node, env: Env, local: dict | None = None, depth: int = 0):
    """The constant value of `node`; raises NotConstant (never anything else for bad input)."""
    memo = env.const_memo if local is None else None
    try:
        if memo is None:
            return dispatch(_HANDLERS, node, depth, env, local)
        return remembered(memo, node, depth, lambda: dispatch(_HANDLERS, node, depth, env, None), NotConstant)
    except NotConstant:
        if depth and local is None and node.type in _ASK_ENV:
            return env.constant_of(node)
        raise


# What evaluating attacker-written literals may raise; all of it just means "not a constant".
BAD_INPUT = (ValueError, TypeError, IndexError, KeyError, OverflowError, SyntaxError, MemoryError,
             UnicodeError, binascii.Error, AttributeError, LookupError, ZeroDivisionError)


def dispatch(handlers: dict, node, depth: int, *args):
    """Shared by the Python and JS interpreters: depth bound, handler by node type, size bound."""
    if depth > MAX_DEPTH:
        CONTEXT[0] += 1
        raise NotConstant
    budgets.tick()  # evaluation of attacker-sized expressions is bounded by the file's CPU budget
    if node.type not in LITERAL_ONLY:
        CONTEXT[0] += 1
    handler = handlers.get(node.type)
    if handler is None:
        raise NotConstant
    try:
        value = handler(node, *args, depth + 1)
    except NotConstant:
        raise
    except BAD_INPUT:
        raise NotConstant from None
    _check_size(value)
    return value


def _check_size(value) -> None:
    if isinstance(value, (str, bytes, list, tuple, dict)) and len(value) > MAX_LEN:
        raise NotConstant
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 4096:
        raise NotConstant


def _ev(node, env, local, depth):
    return evaluate(node, env, local, depth)


def _known(value):
    if value is UNKNOWN or isinstance(value, Name):
        raise NotConstant
    return value


# -- literals ----------------------------------------------------------------------------
def _string(node, env, local, depth):
    children = node.children
    start = children[0].text.decode("utf-8", "replace")
    prefix = start.rstrip("'\"")
    if "f" not in prefix.lower():
        text = node.text.decode("utf-8")
        if not prefix and "\\" not in text and len(children) <= 3:
            return text[len(start):len(text) - len(start)]  # plain quotes, no escapes
        value = decoded(text, start, prefix)  # escapes, prefixes: decoded without compiling the text
        return literal(text) if value is MISS else value

    def one(expression) -> tuple[str]:
        value = _known(_ev(expression, env, local, depth))
        if not isinstance(value, (str, int, float, bool, type(None))):
            raise NotConstant
        return (str(value),)

    try:
        text, slots = template(node, one)
    except NotTemplate:
        raise NotConstant from None
    return filled(text, slots)[0]


def _concatenated(node, env, local, depth):
    values = [_ev(c, env, local, depth) for c in node.named_children if c.type == "string"]
    if all(isinstance(v, str) for v in values):
        return "".join(values)
    if all(isinstance(v, bytes) for v in values):
        return b"".join(values)
    raise NotConstant


def _number(node, env, local, depth):
    text = node.text.decode("ascii")
    if text.isdigit() and (text[0] != "0" or not text.strip("0")):
        return int(text)  # a plain decimal integer (the common case) without parsing it as Python
    value = number(text)  # 0x1F, 1_000, 2.5e3: read by int()/float(), whose grammar these literals share
    if value is not None:
        return value
    value = literal(text)
    if isinstance(value, complex):
        raise NotConstant
    return value


def _paren(node, env, local, depth):
    inner = [c for c in node.named_children if c.type != "comment"]
    if len(inner) != 1:
        raise NotConstant
    return _ev(inner[0], env, local, depth)


def _identifier(node, env, local, depth):
    if local is not None:
        name = node.text.decode("utf-8")
        if name in local:
            return local[name]
    return env.lookup(node)


def _elements(node, env, local, depth):
    out = []
    for child in node.named_children:
        if child.type == "comment":
            continue
        if child.type in ("list_splat", "dictionary_splat", "parenthesized_list_splat"):
            raise NotConstant
        out.append(_element(child, env, local, depth))
    return out


def _element(child, env, local, depth):
    try:
        return _ev(child, env, local, depth)
    except NotConstant:
        dotted = env.name_of(child) if child.type in ("identifier", "attribute") else None
        return Name(dotted) if dotted else UNKNOWN


def _dictionary(node, env, local, depth):
    out = {}
    for pair in node.named_children:
        if pair.type == "comment":
            continue
        if pair.type == "dictionary_splat" and pair.named_children:  # {**DEFAULTS, "timeout": 3}
            inner = _known(_ev(pair.named_children[0], env, local, depth))
            if not isinstance(inner, dict):
                raise NotConstant
            out.update(inner)
            continue
        if pair.type != "pair":
            raise NotConstant
        key = _known(_ev(pair.child_by_field_name("key"), env, local, depth))
        if not isinstance(key, (str, bytes, int, float, bool, type(None))):
            raise NotConstant
        out[key] = _element(pair.child_by_field_name("value"), env, local, depth)
    return out


# -- operators ---------------------------------------------------------------------------
def _unary(node, env, local, depth):
    op = node.child_by_field_name("operator").type
    value = _known(_ev(node.child_by_field_name("argument"), env, local, depth))
    if not isinstance(value, (int, float)):
        raise NotConstant
    return {"-": lambda v: -v, "+": lambda v: +v, "~": lambda v: ~v}[op](value)


def _not(node, env, local, depth):
    return not _known(_ev(node.child_by_field_name("argument"), env, local, depth))


def _boolean(node, env, local, depth):
    left = _known(_ev(node.child_by_field_name("left"), env, local, depth))
    op = node.child_by_field_name("operator").type
    if (op == "and" and not left) or (op == "or" and left):
        return left
    return _known(_ev(node.child_by_field_name("right"), env, local, depth))


def _conditional(node, env, local, depth):
    parts = [c for c in node.named_children if c.type != "comment"]
    if len(parts) != 3:
        raise NotConstant
    chosen = parts[0] if _known(_ev(parts[1], env, local, depth)) else parts[2]
    return _ev(chosen, env, local, depth)


def _binary(node, env, local, depth):
    op = node.child_by_field_name("operator").type
    left = _known(_ev(node.child_by_field_name("left"), env, local, depth))
    right = _known(_ev(node.child_by_field_name("right"), env, local, depth))
    if op == "+":
        if type(left) is type(right) and isinstance(left, (str, bytes, list, tuple)):
            if len(left) + len(right) > MAX_LEN:
                raise NotConstant
            return left + right
        if _is_int(left) and _is_int(right):
            return left + right
        raise NotConstant
    if op == "%" and isinstance(left, (str, bytes)):
        if _BIG_WIDTH.search(left if isinstance(left, str) else left.decode("latin-1")):
            raise NotConstant
        if not isinstance(right, (tuple, *_SCALARS)) or (
                isinstance(right, tuple) and not all(isinstance(v, _SCALARS) for v in right)):
            raise NotConstant
        return left % right
    if op == "*":
        seq, count = (left, right) if _is_int(right) else (right, left)
        if isinstance(seq, (str, bytes, list, tuple)) and _is_int(count):
            if len(seq) * max(count, 0) > MAX_LEN:
                raise NotConstant
            return seq * count
        if _is_int(left) and _is_int(right):
            return left * right
        raise NotConstant
    if _is_int(left) and _is_int(right) and op in _INT_OPS:
        if op == "<<" and right > 4096:
            raise NotConstant
        return _INT_OPS[op](left, right)
    raise NotConstant


_INT_OPS = {"-": lambda a, b: a - b, "//": lambda a, b: a // b, "%": lambda a, b: a % b,
            "&": lambda a, b: a & b, "|": lambda a, b: a | b, "^": lambda a, b: a ^ b,
            "<<": lambda a, b: a << b, ">>": lambda a, b: a >> b}


def _is_int(value) -> bool:
    return isinstance(value, int)


def _subscript(node, env, local, depth):
    container = _ev(node.child_by_field_name("value"), env, local, depth)
    keys = node.children_by_field_name("subscript")
    if len(keys) != 1 or isinstance(container, (Name, _Unknown)):
        raise NotConstant
    key = keys[0]
    if key.type == "slice":
        index = _slice(key, env, local, depth)
    else:
        index = _known(_ev(key, env, local, depth))
    if isinstance(container, dict):
        value = container[index]
    elif isinstance(container, (str, bytes, list, tuple)) and isinstance(index, (int, slice)):
        value = container[index]
    else:
        raise NotConstant
    if value is UNKNOWN:
        raise NotConstant
    return value


def _slice(node, env, local, depth) -> slice:
    bounds: list = [None]
    for child in node.children:
        if child.type == ":":
            bounds.append(None)
        elif child.type != "comment":
            value = _known(_ev(child, env, local, depth))
            if value is not None and not _is_int(value):
                raise NotConstant
            bounds[-1] = value
    if len(bounds) > 3:
        raise NotConstant
    return slice(*bounds)


_COMPARE = {"<": lambda a, b: a < b, ">": lambda a, b: a > b, "<=": lambda a, b: a <= b, ">=": lambda a, b: a >= b,
            "==": lambda a, b: a == b, "!=": lambda a, b: a != b, "in": lambda a, b: a in b,
            "not in": lambda a, b: a not in b}


def _comparison(node, env, local, depth):
    """`7 * 42 - num > 200`, `"x" in "abc"`: scalars (and strings in strings/lists) only."""
    operands = [c for c in node.named_children if c.type != "comment"]
    operators = [c.type for c in node.children if not c.is_named]
    if len(operators) != len(operands) - 1 or not operators:
        raise NotConstant
    values = [_known(_ev(o, env, local, depth)) for o in operands]
    for value in values:
        if not isinstance(value, (*_SCALARS, list, tuple)):
            raise NotConstant
    for op, left, right in zip(operators, values, values[1:]):
        compare = _COMPARE.get(op)
        if compare is None:
            raise NotConstant
        if not compare(left, right):
            return False
    return True


from . import constants_calls as calls  # noqa: E402  (calls need evaluate, defined above)

_HANDLERS = {
    "string": _string, "concatenated_string": _concatenated, "integer": _number, "float": _number,
    "true": lambda *a: True, "false": lambda *a: False, "none": lambda *a: None,
    "parenthesized_expression": _paren, "identifier": _identifier,
    "list": lambda n, e, l, d: _elements(n, e, l, d),
    "tuple": lambda n, e, l, d: tuple(_elements(n, e, l, d)),
    "dictionary": _dictionary, "unary_operator": _unary, "not_operator": _not,
    "boolean_operator": _boolean, "conditional_expression": _conditional, "binary_operator": _binary,
    "subscript": _subscript, "call": calls.call, "comparison_operator": _comparison,
    "generator_expression": calls.comprehension, "list_comprehension": calls.comprehension,
}
