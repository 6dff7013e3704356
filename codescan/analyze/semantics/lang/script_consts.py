"""Constant results of PHP and Ruby calls the folded view and the facts both read: decoders (base64, rot13,
gzinflate, hex...), string builders (chr, implode, str_replace, join, pack, reverse) and escaped literals."""
from __future__ import annotations

import binascii
import zlib

from ...fold_values import _PHP_UNARY, DECODED_MAX, as_text, b64, c_unescape
from ..constants import UNKNOWN

RUBY_STRING_METHODS = {"reverse": lambda b: b[::-1], "upcase": bytes.upper, "downcase": bytes.lower,
                       "to_s": bytes, "to_sym": bytes, "to_str": bytes, "strip": bytes.strip}
_ERRORS = (ValueError, TypeError, binascii.Error, zlib.error, OSError, EOFError, OverflowError, UnicodeError)


def as_bytes(const):
    """A constant string as bytes (str as UTF-8), else None."""
    if isinstance(const, bytes):
        return const
    if isinstance(const, str):
        return const.encode("utf-8", "surrogatepass")
    return None


def as_const(data: bytes | None):
    """Bytes as a constant: text when it is UTF-8, else the bytes (gzinflate's input), UNKNOWN for None."""
    if data is None or len(data) > DECODED_MAX:
        return UNKNOWN
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data


def unescaped(raw: str):
    """A double-quoted PHP/Ruby body with its backslash escapes read (UNKNOWN when the result is not text)."""
    out = as_text(c_unescape(raw.encode("utf-8", "surrogatepass")))
    return out if out is not None else UNKNOWN


def php_call(name: str, consts: list, items: list | None):
    """The constant a PHP function returns for constant arguments (items: the array argument's elements)."""
    try:
        data = [as_bytes(c) for c in consts]
        if name in _PHP_UNARY and len(data) == 1 and data[0] is not None:
            return as_const(_PHP_UNARY[name](data[0]))
        if name == "chr" and len(consts) == 1 and isinstance(consts[0], int) and not isinstance(consts[0], bool):
            return as_const(bytes([consts[0] % 256]))
        if name in ("implode", "join") and len(consts) == 2 and data[0] is not None and items is not None:
            return _joined(data[0], items)
        if name == "str_replace" and len(data) == 3 and all(d is not None for d in data) and data[0]:
            return as_const(data[2].replace(data[0], data[1]))
    except _ERRORS:
        return UNKNOWN
    return UNKNOWN


def ruby_call(method: str, receiver, consts: list, items: list | None):
    """The constant a Ruby method returns on a constant receiver (items: the receiver array's elements)."""
    try:
        base = as_bytes(receiver)
        if base is not None and not consts and method in RUBY_STRING_METHODS:
            return as_const(RUBY_STRING_METHODS[method](base))
        if base is not None and method in ("unpack1", "unpack") and consts and consts[0] in ("m", "m0"):
            return as_const(b64(base))
        if items is not None and method == "join" and (not consts or as_bytes(consts[0]) is not None):
            return _joined(as_bytes(consts[0]) if consts else b"", items)
        if items is not None and method == "pack" and consts and consts[0] in ("c*", "C*", "U*") and \
                all(isinstance(v, int) and not isinstance(v, bool) for v in items):
            if consts[0] == "U*":
                return "".join(chr(v) for v in items)
            return as_const(bytes(v % 256 for v in items))
    except _ERRORS:
        return UNKNOWN
    return UNKNOWN


def _joined(sep: bytes, items: list):
    parts = [as_bytes(v) if not isinstance(v, int) else str(v).encode() for v in items]
    if any(p is None for p in parts):
        return UNKNOWN
    return as_const(sep.join(parts))


def ruby_string(text: str):
    """A Ruby string literal without interpolation: single quotes read \\\\ and \\', double quotes every escape."""
    if text[:1] == "'":
        return text[1:-1].replace("\\\\", "\\").replace("\\'", "'")
    if text[:1] == '"':
        return unescaped(text[1:-1])
    return UNKNOWN


def php_double_quoted(text: str):
    """A PHP double-quoted string without variables, escapes read."""
    if text[:1] == '"' and text[-1:] == '"' and len(text) >= 2:
        return unescaped(text[1:-1])
    return UNKNOWN



def script_int(text: str) -> int:
    """A PHP/Ruby integer literal: 0x.., 0b.., 0o.., and C-style octal with a leading zero (0777); ValueError else."""
    text = text.replace("_", "").lower()
    if len(text) > 1 and text[0] == "0" and text.isdigit():
        return int(text, 8)
    return int(text, 0)
