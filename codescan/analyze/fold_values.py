"""Constant values of PHP, Ruby and shell expressions (strings built, decoded or held in variables) for folding."""
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
SHELL_TRIGGER = re.compile(rb"(?m)^[ \t]*\$\{?\w|[;&|(][ \t]*\$\{?\w|base64|xxd|\beval\b|\bsh\s+-c|\bbash\s+-c|\brev\b")
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


class Values:
    """Memoized constant values of nodes, and of names assigned exactly once (bytes, int or list)."""

    def __init__(self, evaluate):
        self._evaluate = evaluate
        self._assigned: dict[str, list] = {}
        self._memo: dict[tuple, object] = {}

    def assign(self, name: str, node) -> None:
        self._assigned.setdefault(name, []).append(node)

    def lookup(self, name: str):
        nodes = self._assigned.get(name)
        return self.of(nodes[0]) if nodes and len(nodes) == 1 else None

    def of(self, node):
        key = (node.start_byte, node.end_byte, node.type)
        if key not in self._memo:
            self._memo[key] = None  # a cycle has no value
            try:
                self._memo[key] = self._evaluate(node)
            except (ValueError, TypeError, binascii.Error, zlib.error, OSError, EOFError, OverflowError):
                self._memo[key] = None
        return self._memo[key]


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
        if body[:1] == b"x":
            return bytes([int(body[1:], 16)])
        if body[:1] == b"u":
            return chr(int(body[1:].strip(b"{}"), 16)).encode("utf-8")
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


def php_value(folder, node):
    kind = node.type
    if kind == "string":
        raw = node.text[1:-1]
        return raw.replace(b"\\\\", b"\\").replace(b"\\'", b"'")
    if kind == "encapsed_string":
        if any(c.type not in ("string_content", "escape_sequence") for c in node.named_children):
            return None
        if node.text[:1] != b'"':
            return None
        return c_unescape(node.text[1:-1])
    if kind == "integer":
        return int(text(node), 0)
    if kind == "parenthesized_expression" and node.named_child_count == 1:
        return folder.values.of(node.named_children[0])
    if kind == "binary_expression":
        op = node.child_by_field_name("operator")
        if op is None or text(op) != ".":
            return None
        left = folder.values.of(node.child_by_field_name("left"))
        right = folder.values.of(node.child_by_field_name("right"))
        return _join(left, right)
    if kind == "variable_name":
        return folder.values.lookup(text(node))
    if kind == "array_creation_expression":
        items = [folder.values.of(e.named_children[-1]) for e in node.named_children if e.named_children]
        return items if all(isinstance(i, (bytes, int)) for i in items) else None
    if kind == "function_call_expression":
        return _php_call(folder, node)
    return None


def _php_call(folder, node):
    function = node.child_by_field_name("function")
    args = php_args(node)
    if function is None or function.type != "name" or args is None:
        return None
    name = text(function).lower()
    values = [folder.values.of(a) for a in args]
    if name in _PHP_UNARY and len(values) == 1 and isinstance(values[0], bytes):
        return _PHP_UNARY[name](values[0])
    if name == "chr" and len(values) == 1 and isinstance(values[0], int):
        return bytes([values[0] % 256])
    if name in ("implode", "join") and len(values) == 2 and isinstance(values[0], bytes) \
            and isinstance(values[1], list):
        return values[0].join(v if isinstance(v, bytes) else str(v).encode() for v in values[1])
    if name == "str_replace" and len(values) == 3 and all(isinstance(v, bytes) for v in values) and values[0]:
        return values[2].replace(values[0], values[1])
    return None


def _join(left, right):
    if isinstance(left, int):
        left = str(left).encode()
    if isinstance(right, int):
        right = str(right).encode()
    if isinstance(left, bytes) and isinstance(right, bytes) and len(left) + len(right) <= DECODED_MAX:
        return left + right
    return None


# -- Ruby --------------------------------------------------------------------------------------------
def ruby_args(call) -> list | None:
    arguments = call.child_by_field_name("arguments")
    if arguments is None:
        return []
    return list(arguments.named_children)


def ruby_value(folder, node):
    kind = node.type
    if kind == "string":
        return _ruby_string(node)
    if kind == "simple_symbol":
        return node.text[1:]
    if kind == "integer":
        return int(text(node).replace("_", ""), 0)
    if kind == "parenthesized_statements" and node.named_child_count == 1:
        return folder.values.of(node.named_children[0])
    if kind == "binary":
        op = node.child_by_field_name("operator")
        if op is None or text(op) != "+":
            return None
        left = folder.values.of(node.child_by_field_name("left"))
        right = folder.values.of(node.child_by_field_name("right"))
        return left + right if isinstance(left, bytes) and isinstance(right, bytes) else None
    if kind in ("identifier", "constant"):
        return folder.values.lookup(text(node))
    if kind in ("array", "string_array"):
        items = [folder.values.of(c) if c.type != "bare_string" else c.text for c in node.named_children]
        return items if all(isinstance(i, (bytes, int)) for i in items) else None
    if kind == "call":
        return _ruby_call(folder, node)
    return None


def _ruby_string(node):
    if any(c.type not in ("string_content", "escape_sequence") for c in node.named_children):
        return None
    raw = node.text
    if raw[:1] == b"'":
        return raw[1:-1].replace(b"\\\\", b"\\").replace(b"\\'", b"'")
    if raw[:1] == b'"':
        return c_unescape(raw[1:-1])
    return None


def _ruby_call(folder, node):
    method = text(node.child_by_field_name("method"))
    receiver = node.child_by_field_name("receiver")
    args = [folder.values.of(a) for a in ruby_args(node) or ()]
    if receiver is not None and receiver.type == "constant" and text(receiver) == "Base64" \
            and method in ("decode64", "strict_decode64", "urlsafe_decode64") and len(args) == 1 \
            and isinstance(args[0], bytes):
        return b64(args[0])
    if receiver is None:
        return None
    base = folder.values.of(receiver)
    if isinstance(base, bytes) and not args:
        simple = {"reverse": lambda b: b[::-1], "upcase": bytes.upper, "downcase": bytes.lower,
                  "to_s": bytes, "to_sym": bytes, "to_str": bytes, "strip": bytes.strip}
        return simple[method](base) if method in simple else None
    if isinstance(base, bytes) and method in ("unpack1", "unpack") and args and args[0] in (b"m", b"m0"):
        return b64(base)
    if isinstance(base, list) and method == "join" and (not args or isinstance(args[0], bytes)):
        sep = args[0] if args else b""
        return sep.join(v if isinstance(v, bytes) else str(v).encode() for v in base)
    if isinstance(base, list) and method == "pack" and args and args[0] in (b"c*", b"C*", b"U*") \
            and all(isinstance(v, int) for v in base):
        if args[0] == b"U*":
            return "".join(chr(v) for v in base).encode("utf-8")
        return bytes(v % 256 for v in base)
    return None
