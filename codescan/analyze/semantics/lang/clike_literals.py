"""Literals of the C-like adapters (Go/Java/Kotlin/C#/C/C++/Rust): strings, chars, ints, `+` as these languages do
it, char-code lists as text, and the double-quoted literal the folded view writes."""
from __future__ import annotations

import re

from ..constants import NotConstant

MAX_TEXT = 4096  # longer built strings are left alone (payload decoding handles blobs)

STRINGS = {"string_literal", "interpreted_string_literal", "raw_string_literal", "verbatim_string_literal"}
CHARS = {"character_literal", "char_literal", "rune_literal"}
INTS = {"decimal_integer_literal", "hex_integer_literal", "octal_integer_literal", "binary_integer_literal",
        "integer_literal", "int_literal", "number_literal", "hex_literal", "bin_literal"}
PARENS = {"parenthesized_expression"}
ARRAYS = {"array_initializer", "initializer_expression", "literal_value", "initializer_list", "token_tree"}
CHAR_TYPES = {"char", "byte", "rune", "Char", "Byte", "sbyte", "uint8", "u8", "int32"}

_ESCAPE = re.compile(r"\\(u\{[0-9a-fA-F]{1,6}\}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|x[0-9a-fA-F]{1,2}|[0-7]{1,3}|.)", re.S)
_SIMPLE = {"n": "\n", "t": "\t", "r": "\r", "0": "\0", "\\": "\\", "'": "'", '"': '"', "`": "`", "$": "$",
           "a": "\a", "b": "\b", "f": "\f", "v": "\v", "e": "\x1b", "?": "?"}
_KOTLIN_TEMPLATE = re.compile(r"(?<!\\)\$[A-Za-z_{]")


class Char(int):
    """A character code (Java/C# char, Go rune): `+` with a string appends the character; str() is the character."""

    def __str__(self) -> str:
        return chr(self)


def _unescape(body: str) -> str:
    def one(m: re.Match) -> str:
        esc = m.group(1)
        if esc[0] in "uU" and len(esc) > 1:
            return chr(int(esc[1:].strip("{}"), 16))
        if esc[0] == "x" and len(esc) > 1:
            return chr(int(esc[1:], 16))
        if esc[0] in "01234567" and (len(esc) > 1 or esc != "0"):
            return chr(int(esc, 8))
        if esc in _SIMPLE:
            return _SIMPLE[esc]
        raise NotConstant
    return _ESCAPE.sub(one, body)


_CPP_RAW = re.compile(r'(?:[LuU]|u8)?R"([^()\\\s]{0,16})\((.*)\)\1"', re.S)


def _raw_string(text: str) -> str:
    """A raw literal's body: Go `...`, C++ R"d(...)d", Rust r#"..."#, C# raw strings (three or more quotes each
    side). The delimiters are counted, not matched with a backreference (a run of 8,000 quotes took 25 s that way)."""
    if len(text) >= 2 and text[0] == text[-1] == "`":
        return text[1:-1]
    cpp = _CPP_RAW.fullmatch(text) if "R\"" in text[:4] else None
    if cpp is not None:
        return cpp.group(2)
    rust = text[2:] if text.startswith("br") else text[1:] if text.startswith("r") else None
    if rust is not None:
        hashes = len(rust) - len(rust.lstrip("#"))
        closing = '"' + "#" * hashes
        if rust[hashes:hashes + 1] == '"' and len(rust) >= 2 * hashes + 2 and rust.endswith(closing):
            return rust[hashes + 1:len(rust) - len(closing)]
    quotes = len(text) - len(text.lstrip('"'))
    if quotes >= 3 and len(text) >= 2 * quotes and text.endswith('"' * quotes):
        return text[quotes:len(text) - quotes]
    raise NotConstant


def string_value(node, language: str) -> str:
    """The value of one string literal node (no interpolation), else NotConstant."""
    text = node.text.decode("utf-8", "replace")
    kind = node.type
    if any(c.type in ("interpolation", "interpolated_string_expression", "template_substitution")
           for c in node.children):
        raise NotConstant
    if kind == "verbatim_string_literal" or text.startswith('@"'):
        return text[2:-1].replace('""', '"')
    if kind == "raw_string_literal":
        return _raw_string(text)
    prefix = re.match(r'^(?:@?\$|u8|[LuUbcB]|r#*)?"', text)
    if not prefix or not text.endswith('"'):
        raise NotConstant
    if "$" in prefix.group(0):
        raise NotConstant
    if text.startswith('"""') and text.endswith('"""') and len(text) >= 6:
        body = text[3:-3]
        if language == "kotlin" and _KOTLIN_TEMPLATE.search(body):
            raise NotConstant
        return body
    body = text[len(prefix.group(0)):-1]
    if language == "kotlin" and _KOTLIN_TEMPLATE.search(body):
        raise NotConstant
    return _unescape(body)


def char_value(node) -> Char:
    text = node.text.decode("utf-8", "replace")
    m = re.match(r"^[LuU]?'(.*)'$", text, re.S)
    if not m:
        raise NotConstant
    body = _unescape(m.group(1))
    if len(body) != 1:
        raise NotConstant
    return Char(ord(body))


def int_value(node) -> int:
    text = node.text.decode("ascii", "replace").replace("_", "").lower()
    text = re.sub(r"(u8|u16|u32|u64|usize|i8|i16|i32|i64|isize|[ul]+)$", "", text)
    try:
        if text.startswith("0x"):
            return int(text[2:], 16)
        if text.startswith("0b"):
            return int(text[2:], 2)
        if text.startswith("0o"):  # Go 1.13+ octal
            return int(text[2:], 8)
        if len(text) > 1 and text.startswith("0") and text.isdigit():
            return int(text, 8)
        return int(text)
    except ValueError:
        raise NotConstant from None


def concat(left, right):
    """`+` as Java/C#/Go/Kotlin do it for the value kinds folded here."""
    if isinstance(left, str) or isinstance(right, str):
        if isinstance(left, list) or isinstance(right, list):
            raise NotConstant
        out = _as_text(left) + _as_text(right)
        if len(out) > MAX_TEXT:
            raise NotConstant
        return out
    if isinstance(left, int) and isinstance(right, int) and not isinstance(left, bool):
        return left + right
    raise NotConstant


def _as_text(value) -> str:
    if isinstance(value, Char):
        return chr(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, str)):
        return str(value)
    raise NotConstant


def codes_to_text(values) -> str:
    """A char-code/byte list (or one code) as text; NotConstant when it is not plausible text."""
    if isinstance(values, int):
        values = [values]
    if not isinstance(values, list) or not values or len(values) > MAX_TEXT:
        raise NotConstant
    codes = []
    for v in values:
        if not isinstance(v, int) or v < 0 or v > 0x10FFFF:
            raise NotConstant
        codes.append(v)
    if all(c < 256 for c in codes):
        try:
            return bytes(codes).decode("utf-8")
        except UnicodeDecodeError:
            raise NotConstant from None
    return "".join(chr(c) for c in codes)


def literal(value: str) -> bytes | None:
    """A double-quoted literal valid in every language folded here, or None for unprintable text."""
    out = []
    for ch in value:
        if ch == "\\":
            out.append("\\\\")
        elif ch == '"':
            out.append('\\"')
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif ch == "\r":
            out.append("\\r")
        elif ch < " " or ch == "\x7f":
            return None
        else:
            out.append(ch)
    return ('"' + "".join(out) + '"').encode("utf-8")

