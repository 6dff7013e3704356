"""What folding PHP, Ruby and shell shares with their adapters: triggers, decoders, literal writers and argument lists
(the values themselves come from the semantic layer's adapters, lang/scripts.py and lang/shell.py)."""
from __future__ import annotations

import base64
import binascii
import codecs
import re
import zlib
from urllib.parse import unquote, unquote_plus

from . import budget as budgets

NEVER = re.compile(rb"(?!x)x")
PHP_TRIGGER = re.compile(
    rb"['\"]\s*\.|\.\s*['\"]|base64_decode|str_rot13|strrev|gz(?:inflate|uncompress|decode)|hex2bin|chr\s*\("
    rb"|\$\w+\s*\(|call_user_func|\beval\s*\(|\bassert\s*\(|implode|str_replace", re.I)
RUBY_TRIGGER = re.compile(rb"['\"]\s*\+|\+\s*['\"]|\.reverse|\.join|\.pack|decode64|unpack1?|const_get|eval|send")
SHELL_TRIGGER = re.compile(rb"(?m)^[ \t]*\$\{?\w|[;&|(][ \t]*\$\{?\w|base64|xxd|\beval\b|\bsh\s+-c|\bbash\s+-c|\brev\b"
                           rb"|>[>&|]?[ \t]*[\"']?\$\{?\w|\b(?:echo|printf)\b[^\n]*\$\{?\w")
IDENTIFIER = re.compile(r"[A-Za-z_]\w*\Z")
CONSTANT_PATH = re.compile(r"[A-Z]\w*(::[A-Z]\w*)*\Z")
COMMAND_WORD = re.compile(r"[\w./+-]+\Z")
SHELLS = re.compile(r"(/\S*/)?(ba|z|da|k)?sh\Z")
RUBY_EVALS = frozenset(("eval", "instance_eval", "class_eval", "module_eval"))
LITERAL_MAX = 4096
DECODED_MAX = 1 << 20
_ONE_LINE_BREAKERS = re.compile(r"(\bthen|\bdo|\belse|\{|\||&&|\|\||\\|\(|\bin|<<-?\s*['\"]?\w+['\"]?)\s*$")


def text(node) -> str:
    """A node's source text; "" for a missing node (`L.(x)` is a call with no method name)."""
    return "" if node is None else node.text.decode("utf-8", "replace")


def as_text(value) -> str | None:
    """A bytes value as text when it is UTF-8 without stray control characters."""
    if not isinstance(value, bytes) or len(value) > DECODED_MAX:
        return None
    try:
        out = value.decode("utf-8")
    except UnicodeDecodeError:
        return None
    if any(ord(c) < 32 and c not in "\t\n\r" for c in out):
        return None
    return out


def one_line(value: str | None, limit: int, sep: str = "; ") -> str | None:
    """Code that fits on one line (shell/Ruby lines joined with `; `), or None."""
    if value is None:
        return None
    lines = [ln.strip() for ln in value.strip().splitlines()]
    lines = [ln for ln in lines if ln and not ln.startswith("#")]
    if not lines or any(_ONE_LINE_BREAKERS.search(ln) for ln in lines[:-1]):
        return None
    out = sep.join(ln.rstrip(";") if i < len(lines) - 1 else ln for i, ln in enumerate(lines))
    return out if len(out) <= limit else None


# -- literals --------------------------------------------------------------------------------------
def _escaped(value: str, specials: dict[str, str]) -> str:
    out = []
    for ch in value:
        if ch in specials:
            out.append(specials[ch])
        elif ord(ch) < 32 or ord(ch) == 127:
            out.append({"\n": "\\n", "\t": "\\t", "\r": "\\r"}.get(ch, f"\\x{ord(ch):02x}"))
        else:
            out.append(ch)
    return "".join(out)


def php_literal(value: str) -> str:
    if all(32 <= ord(c) != 127 for c in value):
        return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"
    return '"' + _escaped(value, {"\\": "\\\\", '"': '\\"', "$": "\\$"}) + '"'


def ruby_literal(value: str) -> str:
    return '"' + _escaped(value, {"\\": "\\\\", '"': '\\"', "#": "\\#"}) + '"'


_C_ESCAPE = re.compile(rb"\\(x[0-9a-fA-F]{1,2}|u\{?[0-9a-fA-F]{1,6}\}?|[0-7]{1,3}|.)", re.S)
_SIMPLE = {b"n": b"\n", b"t": b"\t", b"r": b"\r", b"v": b"\v", b"e": b"\x1b", b"f": b"\f", b"a": b"\a",
           b"0": b"\0", b"\\": b"\\", b'"': b'"', b"'": b"'", b"$": b"$", b"`": b"`", b"#": b"#"}


def c_unescape(raw: bytes) -> bytes:
    """Backslash escapes as PHP/Ruby double quotes and printf/echo -e read them."""
    def one(m: re.Match) -> bytes:
        body = m.group(1)
        if body[:1] == b"x" and len(body) > 1:
            return bytes([int(body[1:], 16)])
        if body[:1] == b"u" and len(body) > 1:
            digits = body[1:].strip(b"{}")
            code = int(digits, 16) if digits else 0x110000
            # `\u` with no digits (a PHP namespace "google\appengine\util" in a string) or past Unicode stays as written
            return chr(code).encode("utf-8", "surrogatepass") if code <= 0x10FFFF else b"\\" + body
        if body[:1].isdigit() and body != b"0":
            return bytes([int(body, 8) & 0xFF])
        return _SIMPLE.get(body, b"\\" + body)
    return _C_ESCAPE.sub(one, raw)


# -- decoders shared by the languages ----------------------------------------------------------------
def b64(data: bytes) -> bytes:
    data = re.sub(rb"\s+", b"", data)
    data = data.replace(b"-", b"+").replace(b"_", b"/")
    return base64.b64decode(data + b"=" * (-len(data) % 4), validate=True)


def inflate(data: bytes, wbits: int) -> bytes:
    out = zlib.decompressobj(wbits).decompress(data, min(DECODED_MAX, budgets.current().decoded_left() + 1))
    if len(out) >= DECODED_MAX:
        raise ValueError("too large")
    budgets.spend_decoded(len(out))  # capped by its output, and counted in the file's total
    return out


def rot13(data: bytes) -> bytes:
    return codecs.encode(data.decode("latin-1"), "rot13").encode("latin-1")


_PHP_UNARY = {
    "base64_decode": b64,
    "str_rot13": rot13,
    "strrev": lambda b: b[::-1],
    "strtolower": bytes.lower,
    "strtoupper": bytes.upper,
    "trim": bytes.strip,
    "gzinflate": lambda b: inflate(b, -15),
    "gzuncompress": lambda b: inflate(b, 15),
    "gzdecode": lambda b: inflate(b, 31),  # capped by its output, not its input (a 1 MB bomb inflates 1 GB)
    "hex2bin": binascii.unhexlify,
    "urldecode": lambda b: unquote_plus(b.decode("latin-1"), "latin-1").encode("latin-1"),
    "rawurldecode": lambda b: unquote(b.decode("latin-1"), "latin-1").encode("latin-1"),
}


# -- PHP ---------------------------------------------------------------------------------------------
def php_args(call) -> list | None:
    arguments = call.child_by_field_name("arguments")
    if arguments is None:
        return None
    out = []
    for arg in arguments.named_children:
        if arg.type != "argument" or not arg.named_children:
            return None
        out.append(arg.named_children[-1])
    return out


# -- Ruby --------------------------------------------------------------------------------------------
def ruby_args(call) -> list | None:
    arguments = call.child_by_field_name("arguments")
    if arguments is None:
        return []
    return list(arguments.named_children)
