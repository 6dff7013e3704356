"""A tiny, bounded interpreter that folds Python constant expressions over tree-sitter nodes.

It never runs scanned code: it only combines literal values (strings, bytes, numbers, bools,
containers) with a fixed list of pure operations (concatenation, %-format, join, slicing,
chr, base64/hex/rot13 decoding...). Anything else raises NotConstant."""
from __future__ import annotations

import ast
import base64
import binascii
import codecs
import re
from dataclasses import dataclass

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
_CODECS = {"rot13", "rot_13", "hex", "hex_codec", "base64", "base64_codec", "utf-8", "utf8", "ascii",
           "latin-1", "latin1", "iso-8859-1", "utf-16", "utf_8"}
_TEXT_CODECS = {"utf-8", "utf8", "ascii", "latin-1", "latin1", "iso-8859-1", "utf-16", "utf_8"}
_B64 = {
    "b64decode": base64.b64decode, "standard_b64decode": base64.standard_b64decode,
    "urlsafe_b64decode": base64.urlsafe_b64decode, "b32decode": base64.b32decode,
    "b16decode": base64.b16decode, "b85decode": base64.b85decode, "a85decode": base64.a85decode,
    "decodebytes": base64.decodebytes,
}
_BINASCII = {"unhexlify": binascii.unhexlify, "a2b_hex": binascii.a2b_hex, "a2b_base64": binascii.a2b_base64}
_STR_METHODS0 = {"lower", "upper", "title", "capitalize", "swapcase", "casefold"}
_STRIPS = {"strip", "lstrip", "rstrip"}
_SCALARS = (str, bytes, int, float, bool, type(None))


class Env:
    """What the interpreter needs from its caller: name lookups (overridden by the folder)."""

    def lookup(self, node):
        """The constant value bound to identifier `node`, else raise NotConstant."""
        raise NotConstant

    def name_of(self, node) -> str | None:
        """The dotted name an expression denotes (`os.system`, `eval`), or None."""
        return None

    def is_builtin(self, node) -> bool:
        """True when identifier `node` is not rebound in scope (so `chr` is the builtin)."""
        return True


def evaluate(node, env: Env, local: dict | None = None, depth: int = 0):
    """The constant value of `node`; raises NotConstant (never anything else for bad input)."""
    if depth > MAX_DEPTH:
        raise NotConstant
    handler = _HANDLERS.get(node.type)
    if handler is None:
        raise NotConstant
    try:
        value = handler(node, env, local, depth + 1)
    except NotConstant:
        raise
    except (ValueError, TypeError, IndexError, KeyError, OverflowError, SyntaxError, MemoryError,
            UnicodeError, binascii.Error, AttributeError, LookupError, ZeroDivisionError):
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
        return ast.literal_eval(text)
    quote = start[len(prefix):]
    parts: list[str] = []
    values: list[str] = []
    for child in children[1:-1]:
        if child.type == "interpolation":
            if child.child_by_field_name("format_specifier") or child.child_by_field_name("type_conversion"):
                raise NotConstant
            value = _known(_ev(child.child_by_field_name("expression"), env, local, depth))
            if not isinstance(value, (str, int, float, bool, type(None))):
                raise NotConstant
            parts.append(f"\ue000{len(values)}\ue001")
            values.append(str(value))
        else:
            parts.append(child.text.decode("utf-8").replace("{{", "{").replace("}}", "}"))
    plain = prefix.replace("f", "").replace("F", "")
    text = ast.literal_eval(plain + quote + "".join(parts) + quote)
    return re.sub("\ue000(\\d+)\ue001", lambda m: values[int(m.group(1))], text)


def _concatenated(node, env, local, depth):
    values = [_ev(c, env, local, depth) for c in node.named_children if c.type == "string"]
    if all(isinstance(v, str) for v in values):
        return "".join(values)
    if all(isinstance(v, bytes) for v in values):
        return b"".join(values)
    raise NotConstant


def _number(node, env, local, depth):
    value = ast.literal_eval(node.text.decode("ascii"))
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
        if isinstance(right, (list, dict)) or not isinstance(right, (tuple, *_SCALARS)):
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


# -- calls -------------------------------------------------------------------------------
def _arguments(node, env, local, depth) -> tuple[list, dict]:
    args_node = node.child_by_field_name("arguments")
    if args_node is None:
        raise NotConstant
    if args_node.type == "generator_expression":
        return [_comprehension(args_node, env, local, depth)], {}
    args, kwargs = [], {}
    for child in args_node.named_children:
        if child.type == "comment":
            continue
        if child.type == "keyword_argument":
            kwargs[child.child_by_field_name("name").text.decode()] = _known(
                _ev(child.child_by_field_name("value"), env, local, depth))
        elif child.type in ("list_splat", "dictionary_splat"):
            raise NotConstant
        else:
            args.append(_known(_ev(child, env, local, depth)))
    return args, kwargs


def _call(node, env, local, depth):
    function = node.child_by_field_name("function")
    if function.type == "identifier":
        name = function.text.decode("utf-8")
        if name in _BUILTINS and (local is None or name not in local) and env.is_builtin(function):
            if name == "map":
                return _map(node, env, local, depth)
            args, kwargs = _arguments(node, env, local, depth)
            return _BUILTINS[name](args, kwargs)
        raise NotConstant
    if function.type != "attribute":
        raise NotConstant
    method = function.child_by_field_name("attribute").text.decode("utf-8")
    target = function.child_by_field_name("object")
    owner = env.name_of(target) if target.type in ("identifier", "attribute") else None
    if owner is not None:
        args, kwargs = _arguments(node, env, local, depth)
        return _module_call(owner, method, args, kwargs)
    value = _known(_ev(target, env, local, depth))
    args, kwargs = _arguments(node, env, local, depth)
    return _method(value, method, args, kwargs)


def _module_call(owner: str, method: str, args: list, kwargs: dict):
    if owner == "base64" and method in _B64 and len(args) == 1 and not kwargs:
        return _B64[method](args[0])
    if owner == "binascii" and method in _BINASCII and len(args) == 1 and not kwargs:
        return _BINASCII[method](args[0])
    if owner == "bytes" and method == "fromhex" and len(args) == 1 and isinstance(args[0], str):
        return bytes.fromhex(args[0])
    if owner == "codecs" and method in ("decode", "encode") and 1 <= len(args) <= 2:
        encoding = args[1] if len(args) == 2 else kwargs.get("encoding", "utf-8")
        if not isinstance(encoding, str) or encoding.lower() not in _CODECS:
            raise NotConstant
        return getattr(codecs, method)(args[0], encoding)
    if owner == "str" and method == "join" and len(args) == 2:
        return _method(args[0], "join", args[1:], {})
    raise NotConstant


def _method(value, method: str, args: list, kwargs: dict):
    if isinstance(value, str) and method == "format":
        if _BIG_WIDTH.search(value) or any(not isinstance(a, _SCALARS) for a in (*args, *kwargs.values())):
            raise NotConstant
        return value.format(*args, **kwargs)
    if not isinstance(value, (str, bytes)):
        raise NotConstant
    if method == "join" and len(args) == 1 and not kwargs:
        items = args[0]
        if isinstance(items, (str, bytes)):
            items = list(items) if isinstance(items, str) else [bytes([b]) for b in items]
        if not isinstance(items, (list, tuple)) or any(type(i) is not type(value) for i in items):
            raise NotConstant
        return value.join(items)
    if method in _STR_METHODS0 and not args and not kwargs:
        return getattr(value, method)()
    if method in _STRIPS and len(args) <= 1 and not kwargs:
        return getattr(value, method)(*args)
    if method == "replace" and 2 <= len(args) <= 3 and not kwargs:
        if len(value) * max(len(args[1]), 1) > MAX_LEN:
            raise NotConstant
        return value.replace(*args)
    if method in ("removeprefix", "removesuffix") and len(args) == 1:
        return getattr(value, method)(args[0])
    if method == "split" and len(args) <= 2 and not kwargs:
        return value.split(*args)
    if method == "decode" and isinstance(value, bytes):
        return value.decode(*_codec_args(args, kwargs))
    if method == "encode" and isinstance(value, str):
        return value.encode(*_codec_args(args, kwargs))
    if method == "hex" and isinstance(value, bytes) and not args:
        return value.hex()
    raise NotConstant


def _codec_args(args: list, kwargs: dict) -> tuple:
    encoding = args[0] if args else kwargs.get("encoding", "utf-8")
    errors = args[1] if len(args) > 1 else kwargs.get("errors", "strict")
    if not isinstance(encoding, str) or encoding.lower() not in _TEXT_CODECS or errors not in ("strict", "ignore"):
        raise NotConstant
    return encoding, errors


def _chr(args, kwargs):
    (code,) = args
    if not _is_int(code) or not 0 <= code < 0x110000:
        raise NotConstant
    return chr(code)


def _str(args, kwargs):
    if len(args) == 1 and not kwargs and isinstance(args[0], (str, int, float, bool, type(None))):
        return str(args[0])
    if isinstance(args[0], bytes) and len(args) >= 2:
        return args[0].decode(*_codec_args(args[1:], kwargs))
    raise NotConstant


def _int(args, kwargs):
    if len(args) == 1 and isinstance(args[0], (int, bool, float)):
        return int(args[0])
    if 1 <= len(args) <= 2 and isinstance(args[0], str) and len(args[0]) < 100:
        return int(*args)
    raise NotConstant


def _bytes(args, kwargs):
    if len(args) == 1 and isinstance(args[0], (list, tuple)) and all(_is_int(a) for a in args[0]):
        return bytes(args[0])
    if len(args) == 1 and isinstance(args[0], bytes):
        return args[0]
    if len(args) >= 2 and isinstance(args[0], str):
        return args[0].encode(*_codec_args(args[1:], kwargs))
    raise NotConstant


def _sequence(kind):
    def build(args, kwargs):
        if len(args) != 1 or kwargs or not isinstance(args[0], (str, bytes, list, tuple)):
            raise NotConstant
        return kind(args[0])
    return build


_BUILTINS = {
    "chr": _chr, "str": _str, "int": _int, "bytes": _bytes, "bytearray": _bytes,
    "bool": lambda a, k: bool(a[0]) if len(a) == 1 and not k else _raise(),
    "ord": lambda a, k: ord(a[0]) if len(a) == 1 and isinstance(a[0], str) else _raise(),
    "len": lambda a, k: len(a[0]) if len(a) == 1 and isinstance(a[0], (str, bytes, list, tuple, dict)) else _raise(),
    "list": _sequence(list), "tuple": _sequence(tuple),
    "reversed": lambda a, k: list(reversed(a[0])) if len(a) == 1 and isinstance(a[0], (str, list, tuple)) else _raise(),
    "map": None,
}


def _raise():
    raise NotConstant


def _map(node, env, local, depth):
    args_node = node.child_by_field_name("arguments")
    parts = [c for c in args_node.named_children if c.type != "comment"] if args_node else []
    if len(parts) != 2 or parts[0].type != "identifier" or not env.is_builtin(parts[0]):
        raise NotConstant
    fn = _BUILTINS.get(parts[0].text.decode())
    items = _known(_ev(parts[1], env, local, depth))
    if fn is None or parts[0].text == b"map" or not isinstance(items, (str, bytes, list, tuple)):
        raise NotConstant
    return [fn([item], {}) for item in items]


def _comprehension(node, env, local, depth):
    body = node.child_by_field_name("body")
    clauses = [c for c in node.named_children if c.type in ("for_in_clause", "if_clause")]
    if not clauses or clauses[0].type != "for_in_clause" or sum(c.type == "for_in_clause" for c in clauses) != 1:
        raise NotConstant
    left = clauses[0].child_by_field_name("left")
    if left.type != "identifier":
        raise NotConstant
    items = _known(_ev(clauses[0].child_by_field_name("right"), env, local, depth))
    if not isinstance(items, (str, bytes, list, tuple)) or len(items) > MAX_ITEMS:
        raise NotConstant
    name = left.text.decode("utf-8")
    out = []
    for item in items:
        scope = dict(local or {}, **{name: _known(item)})
        if all(_known(_ev(c.named_children[0], env, scope, depth)) for c in clauses[1:]):
            out.append(_known(_ev(body, env, scope, depth)))
    return out


_HANDLERS = {
    "string": _string, "concatenated_string": _concatenated, "integer": _number, "float": _number,
    "true": lambda *a: True, "false": lambda *a: False, "none": lambda *a: None,
    "parenthesized_expression": _paren, "identifier": _identifier,
    "list": lambda n, e, l, d: _elements(n, e, l, d),
    "tuple": lambda n, e, l, d: tuple(_elements(n, e, l, d)),
    "dictionary": _dictionary, "unary_operator": _unary, "not_operator": _not,
    "boolean_operator": _boolean, "conditional_expression": _conditional, "binary_operator": _binary,
    "subscript": _subscript, "call": _call,
    "generator_expression": _comprehension, "list_comprehension": _comprehension,
}
