"""A tiny, bounded interpreter for JavaScript constant string expressions over tree-sitter nodes.

Literals, `+`, template literals, String.fromCharCode, atob, Buffer.from(..).toString(),
[..].join, .split/.reverse, .replace, .toLowerCase/.toUpperCase. Nothing is ever executed."""
from __future__ import annotations

import base64
import re

from .constants import NotConstant, dispatch

_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f", "v": "\v", "0": "\0"}
_BUFFER_CODECS = {"base64", "hex", "utf8", "utf-8", "ascii", "latin1", "binary"}


NOT_A_CALLBACK = object()  # a replace given a text, not a function: the ordinary string method
_ASK = frozenset({"call_expression", "member_expression", "subscript_expression", "new_expression"})


def evaluate(node, lookup, depth: int = 0):
    """The constant (str, int, float, bool, None or list) of `node`; raises NotConstant. A `lookup`
    with a `constant_of` method (the semantic layer) is also asked about calls and members inside
    an expression that this interpreter cannot fold itself."""
    try:
        return dispatch(_HANDLERS, node, depth, lookup)
    except NotConstant:
        ask = getattr(lookup, "constant_of", None)
        if depth and ask is not None and node.type in _ASK:
            return ask(node)
        raise


def literal(value) -> bytes | None:
    """JavaScript source for a scalar constant."""
    if isinstance(value, str):
        out = "'" + "".join(_escape(c) for c in value) + "'"
        return out.encode("utf-8")
    if isinstance(value, bool):
        return b"true" if value else b"false"
    if value is None:
        return b"null"
    if isinstance(value, (int, float)):
        return repr(value).encode()
    return None


def _escape(c: str) -> str:
    if c in "'\\":
        return "\\" + c
    # (a lone UTF-16 half, '\uD834' or one of a pair written as two escapes, has no UTF-8 form: kept as its escape)
    if c < " " or c == "\x7f" or "\u2028" <= c <= "\u2029" or "\ud800" <= c <= "\udfff":
        return f"\\u{ord(c):04x}"
    return c


def _text(node) -> str:
    return node.text.decode("utf-8", "replace")


def _unescape(seq: str) -> str:
    body = seq[1:]
    if body in _ESCAPES:
        return _ESCAPES[body]
    if body.startswith("x") and len(body) == 3:
        return chr(int(body[1:], 16))
    if body.startswith("u{") and body.endswith("}"):
        return chr(int(body[2:-1], 16))
    if body.startswith("u") and len(body) == 5:
        return chr(int(body[1:], 16))
    if body.startswith(("\n", "\r")):
        return ""
    return body


def _template(node, lookup, depth):
    """A string or template literal: fragments, escapes and constant ${...} substitutions."""
    parts = []
    for child in node.named_children:
        if child.type == "string_fragment":
            parts.append(_text(child))
        elif child.type == "escape_sequence":
            parts.append(_unescape(_text(child)))
        elif child.type == "template_substitution":
            inner = [c for c in child.named_children if c.type != "comment"]
            if len(inner) != 1:
                raise NotConstant
            parts.append(_to_str(evaluate(inner[0], lookup, depth)))
        else:
            raise NotConstant
    return "".join(parts)


def _to_str(value) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, list):
        return ",".join(_to_str(v) for v in value)
    raise NotConstant


def _number(node, lookup, depth):
    text = _text(node).replace("_", "")
    if re.fullmatch(r"\d+", text):
        return int(text)
    if re.fullmatch(r"0[xX][0-9a-fA-F]+", text):
        return int(text, 16)
    if re.fullmatch(r"0[oO][0-7]+", text):  # 0o755: a file mode
        return int(text[2:], 8)
    if re.fullmatch(r"0[bB][01]+", text):
        return int(text[2:], 2)
    raise NotConstant


_INT_OPS = {"-": lambda a, b: a - b, "*": lambda a, b: a * b, "^": lambda a, b: a ^ b, "|": lambda a, b: a | b,
            "&": lambda a, b: a & b, "%": lambda a, b: a % b if b > 0 and a >= 0 else None,
            "<<": lambda a, b: (a << b) & 0xFFFFFFFF if 0 <= b < 32 else None,
            ">>": lambda a, b: a >> b if a >= 0 and 0 <= b < 32 else None}


def _binary(node, lookup, depth):
    operator = node.child_by_field_name("operator").type
    if operator in _INT_OPS:  # char codes computed: String.fromCharCode(k ^ 23), code - 3
        left = evaluate(node.child_by_field_name("left"), lookup, depth)
        right = evaluate(node.child_by_field_name("right"), lookup, depth)
        if type(left) is int and type(right) is int and abs(left) < 2 ** 31 and abs(right) < 2 ** 31:
            result = _INT_OPS[operator](left, right)
            if result is not None:
                return result
        raise NotConstant
    if operator != "+":
        raise NotConstant
    left = evaluate(node.child_by_field_name("left"), lookup, depth)
    right = evaluate(node.child_by_field_name("right"), lookup, depth)
    if isinstance(left, str) or isinstance(right, str):
        return _to_str(left) + _to_str(right)
    if isinstance(left, int) and isinstance(right, int) and not isinstance(left, bool):
        return left + right
    raise NotConstant


def _paren(node, lookup, depth):
    inner = [c for c in node.named_children if c.type != "comment"]
    if len(inner) != 1:
        raise NotConstant
    return evaluate(inner[0], lookup, depth)


def _array(node, lookup, depth):
    out = []
    for c in node.named_children:
        if c.type == "comment":
            continue
        if c.type == "spread_element":  # [...parts()], [...head, ...tail]: the items of a known list or text
            spread = evaluate(c.named_children[0], lookup, depth) if c.named_children else None
            if not isinstance(spread, (list, str)):
                raise NotConstant
            out.extend(spread)
        else:
            out.append(evaluate(c, lookup, depth))
    return out


def _args(node, lookup, depth) -> list:
    args = node.child_by_field_name("arguments")
    if args is None or args.type != "arguments":
        raise NotConstant
    return [evaluate(c, lookup, depth) for c in args.named_children if c.type != "comment"]


def _call(node, lookup, depth):
    function = node.child_by_field_name("function")
    if function.type == "identifier":
        if _text(function) == "atob":
            (data,) = _args(node, lookup, depth)
            return base64.b64decode(data).decode("latin-1")
        if _text(function) == "Boolean":  # Boolean(0): the truth value of a constant (JS rules: "", 0, NaN are false)
            args = _args(node, lookup, depth)
            if len(args) == 1 and (args[0] is None or isinstance(args[0], (bool, int, float, str))):
                value = args[0]
                return bool(value) and value == value
        if _text(function) == "String":  # String(0), String(false): a constant's text
            args = _args(node, lookup, depth)
            if len(args) == 1 and (args[0] is None or isinstance(args[0], (bool, int, float, str))):
                return _js_text(args[0])
        raise NotConstant
    if function.type != "member_expression":
        raise NotConstant
    target = function.child_by_field_name("object")
    method = _text(function.child_by_field_name("property"))
    owner = _text(target) if target.type == "identifier" else None
    if owner == "String" and method == "fromCharCode" or method in ("apply", "call") and \
            target.type == "member_expression" and _text(target) == "String.fromCharCode":
        codes = _args(node, lookup, depth)
        if method == "apply":  # String.fromCharCode.apply(null, CODES): the list's items are the arguments
            codes = codes[1] if len(codes) == 2 and isinstance(codes[1], list) else [None]
        elif method == "call":  # String.fromCharCode.call(null, 99, 104): the arguments after `this`
            codes = codes[1:]
        if not all(isinstance(c, int) and 0 <= c < 0x110000 for c in codes):
            raise NotConstant
        return "".join(chr(c) for c in codes)
    if method == "toString" and target.type == "call_expression":
        return _buffer_to_string(target, node, lookup, depth)
    if method in ("reduce", "map", "replace", "replaceAll"):
        from .js_callback_fold import folded_callback  # (it evaluates with this module: imported when first needed)
        folded = folded_callback(node, target, method, lookup, depth)
        if folded is not NOT_A_CALLBACK:
            return folded
    value = evaluate(target, lookup, depth)
    args = _args(node, lookup, depth)
    return _method(value, method, args)


def _buffer_to_string(buffer_call, node, lookup, depth):
    function = buffer_call.child_by_field_name("function")
    if function.type != "member_expression" or _text(function) != "Buffer.from":
        raise NotConstant
    args = _args(buffer_call, lookup, depth)
    if not args or not isinstance(args[0], str) or len(args) > 2:
        raise NotConstant
    encoding = (args[1] if len(args) == 2 else "utf8").lower()
    target = _args(node, lookup, depth)
    out_encoding = (target[0] if target else "utf8").lower()
    if encoding not in _BUFFER_CODECS or out_encoding not in _BUFFER_CODECS:
        raise NotConstant
    if encoding == "base64":
        data = base64.b64decode(args[0] + "=" * (-len(args[0]) % 4))
    elif encoding == "hex":
        data = bytes.fromhex(args[0])
    else:
        data = args[0].encode("utf-8" if encoding.startswith("utf") else "latin-1")
    if out_encoding == "base64":
        return base64.b64encode(data).decode()
    if out_encoding == "hex":
        return data.hex()
    return data.decode("utf-8" if out_encoding.startswith("utf") else "latin-1", "replace")


def _method(value, method: str, args: list):
    if isinstance(value, list):
        if method == "join" and len(args) <= 1:
            return (args[0] if args else ",").join(_to_str(v) for v in value)
        if method == "reverse" and not args:
            return list(reversed(value))
        raise NotConstant
    if not isinstance(value, str):
        raise NotConstant
    if method == "split" and len(args) == 1 and isinstance(args[0], str):
        return list(value) if args[0] == "" else value.split(args[0])
    if method in ("replace", "replaceAll") and len(args) == 2 and isinstance(args[0], Regex) and \
            isinstance(args[1], str) and "$" not in args[1]:  # masked.replace(/Q/g, ""): filler letters dropped
        if len(value) > MAX_REGEX_TEXT:
            raise NotConstant
        return args[0].compiled.sub(args[1].replace("\\", "\\\\"), value, count=0 if "g" in args[0].flags else 1)
    if method == "replace" and len(args) == 2 and all(isinstance(a, str) for a in args):
        return value.replace(args[0], args[1], 1)
    if method == "replaceAll" and len(args) == 2 and all(isinstance(a, str) for a in args):
        return value.replace(args[0], args[1])
    if method in ("toLowerCase", "toUpperCase", "trim") and not args:
        return {"toLowerCase": value.lower, "toUpperCase": value.upper, "trim": value.strip}[method]()
    if method == "concat" and all(isinstance(a, str) for a in args):
        return value + "".join(args)
    if method in ("slice", "substring") and 1 <= len(args) <= 2 and all(isinstance(a, int) for a in args):
        return value[args[0]:args[1]] if len(args) == 2 else value[args[0]:]
    if method == "charAt" and len(args) == 1 and isinstance(args[0], int):
        return value[args[0]:args[0] + 1]
    if method in ("charCodeAt", "codePointAt") and len(args) <= 1 and isinstance(args[0] if args else 0, int):
        index = args[0] if args else 0
        if not 0 <= index < len(value):
            raise NotConstant
        return ord(value[index])
    raise NotConstant


class Regex:
    """A regex literal simple enough to mean the same in Python's re (characters, escapes, classes, repeats)."""

    __slots__ = ("compiled", "flags")

    def __init__(self, compiled, flags: str):
        self.compiled, self.flags = compiled, flags


_ATOMS = re.compile(r"\\.|\[\^?(?:[^\\\]]|\\.)+\]")  # escapes and classes (a quantifier after one still counts)
_QUANTIFIER = re.compile(r"[*+?]")
MAX_REGEX_TEXT = 4096  # characters a folded regex replace reads: one quantifier is quadratic at worst
_SIMPLE_REGEX = re.compile(r"(?:[^\\()|{}$^?*+.\[\]]|\\[\\/.\-sdwSDW*+?()\[\]{}|$^]|\[\^?(?:[^\\\]]|\\.)+\][*+?]?|[*+?])+")


def _regex(node, lookup, depth):
    pattern = node.child_by_field_name("pattern")
    flags = node.child_by_field_name("flags")
    text = pattern.text.decode("utf-8", "replace") if pattern is not None else ""
    marks = flags.text.decode() if flags is not None else ""
    if not text or len(text) > 200 or not _SIMPLE_REGEX.fullmatch(text) or set(marks) - set("gi"):
        raise NotConstant
    if len(_QUANTIFIER.findall(_ATOMS.sub("", text))) > 1:
        raise NotConstant  # /a*a*a*b/ backtracks polynomially in the text, inside one re call the budget cannot stop
    try:
        return Regex(re.compile(text.replace("\\/", "/"), re.I if "i" in marks else 0), marks)
    except re.error:
        raise NotConstant from None


def _identifier(node, lookup, depth):
    return lookup(node)


_HANDLERS = {
    "string": _template, "template_string": _template, "number": _number, "binary_expression": _binary,
    "parenthesized_expression": _paren, "array": _array, "call_expression": _call, "identifier": _identifier,
    "true": lambda *a: True, "false": lambda *a: False, "null": lambda *a: None, "regex": _regex,
}


def _js_text(value) -> str:
    """What String(value) gives for a constant in JS."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value == value and abs(value) < 1e21 and value == int(value):
        return str(int(value))
    return str(value)
