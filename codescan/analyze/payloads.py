"""Find literal encoded payloads (base64, hex, zlib/gzip, char codes) and decode them, bounded."""
from __future__ import annotations

import base64
import binascii
import bz2
import codecs
import lzma
import re
import zlib
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterator

import tree_sitter as ts

from . import budget as budgets
from . import embedded, languages, literal_walk
from .treesitter import MAX_START_DEPTH

MAX_DEPTH = 4  # decoding layers inside one literal (base64 → zlib → base64 → ...)
MAX_OUTPUT = 256 * 1024  # bytes of decoded output per literal
MAX_LITERAL = 4 * 1024 * 1024  # literals larger than this are not decoded
MIN_BASE64 = 24
MIN_HEX = 32
MIN_CHAR_CODES = 8
PRINTABLE_SHARE = 0.9
PREVIEW = 200
PARTS_BY_ID = True  # a concatenation's parts known from its captured children, not node.parent (off: tests compare)


@dataclass(frozen=True, slots=True)
class Payload:
    line: int  # 1-based line of the literal in its source
    end_line: int
    encoding: str  # e.g. "base64", "base64+zlib", "hex", "char-codes"
    data: bytes  # the decoded text, as code to scan
    preview: str  # what a reader is shown
    language: str | None = None  # when the payload is evidently another language
    looks_like_code: bool = False  # the decoded text reads as code that does something


# -- cheap filters ------------------------------------------------------------------------
# Whole-source gate: without one of these shapes no literal can hold a payload.
_RUN_SHAPE = rb"[A-Za-z0-9+/_=-]{24,}"  # a base64 or hex run
_SHAPES = (
    rb"(?:\\x[0-9a-fA-F]{2}){8}",  # escaped bytes
    rb"(?:(?:0[xX][0-9a-fA-F]{1,2}|\d{1,3})\s*,\s*){7}(?:0[xX][0-9a-fA-F]{1,2}|\d{1,3})",  # 8 char codes
    rb"rot.?13",
)
_GATE = re.compile(b"|".join((_RUN_SHAPE, *_SHAPES)))
# The same test, faster: the run as a substring of the source with each of its characters made `a` and every other
# byte a space (translate and find run in C; the one regex tried four alternatives at every offset), then the other
# shapes one by one (two thirds of the standard library's files have such a run).
_RUN_BYTES = bytes(97 if re.fullmatch(rb"[A-Za-z0-9+/_=-]", bytes([b])) else 32 for b in range(256))
_RUN = b"a" * 24
_OTHER_SHAPES = tuple(re.compile(shape) for shape in _SHAPES)
FAST_GATE = True  # off: the one regex (tests compare)


def _may_hold(source: bytes) -> bool:
    """Whether `source` has one of _GATE's shapes (a payload can only sit in such a source)."""
    if not FAST_GATE:
        return _GATE.search(source) is not None
    return _RUN in source.translate(_RUN_BYTES) or any(shape.search(source) for shape in _OTHER_SHAPES)


_B64 = re.compile(r"[A-Za-z0-9+/]+={0,2}")
_B64_URL = re.compile(r"[A-Za-z0-9_-]+={0,2}")
_HEX = re.compile(r"(?:[0-9a-fA-F]{2})+")
_ESCAPED = re.compile(r"(?:\\x[0-9a-fA-F]{2}|\\u[0-9a-fA-F]{4}|\\[0-7]{1,3}|\\[nrt'\"\\]|[ -\[\]-~]){8,}")
_ESCAPE = re.compile(r"\\x[0-9a-fA-F]{2}|\\u[0-9a-fA-F]{4}|\\[0-7]{1,3}")
_INT = re.compile(r"0[xX][0-9a-fA-F]+|\d+")
_INT_LIST = re.compile(r"[\[(]\s*(?:(?:0[xX][0-9a-fA-F]+|\d+)\s*,\s*){7,}(?:0[xX][0-9a-fA-F]+|\d+)\s*+,?\s*+[\])]",
                       re.S)
_WS = re.compile(r"\s+")

_QUERIES = {
    "python": """
        (string) @str
        (concatenated_string) @str
        (list) @arr
        (tuple) @arr
        (call
          function: [(attribute attribute: (identifier) @_f) (identifier) @_f]
          arguments: (argument_list . (string) @rot . (string) @_codec)
          (#any-of? @_f "decode" "encode")
          (#match? @_codec "^[bBuU]?['\\"]rot[-_]?13['\\"]$"))
    """,
    "javascript": """
        (string) @str
        (template_string) @str
        (array) @arr
        (call_expression
          function: (member_expression property: (property_identifier) @_p)
          arguments: (arguments) @arr
          (#eq? @_p "fromCharCode"))
    """,
}


@lru_cache(maxsize=None)
def _query(language: str) -> ts.Query | None:
    base = _base(language)
    if base is None:
        return None
    return ts.Query(languages.grammar(language), _QUERIES[base])


def _base(language: str) -> str | None:
    return "python" if language == "python" else "javascript" if language in ("javascript", "typescript", "tsx") \
        else None


# -- finding literals ---------------------------------------------------------------------
def find(source: bytes, tree, language: str, comments: bool = False) -> Iterator[Payload]:
    """Yield decoded payloads found in literals of `tree`. `comments`: embedded.fragments will read this tree's
    comments next, and no node of it is deeper than MAX_START_DEPTH (one walk finds both: literal_walk)."""
    if tree is None or not _may_hold(source):
        return
    query = _query(language)
    if query is None:
        return
    comment_text = embedded.query_text(language) if comments and literal_walk.COMBINED else None
    if comment_text is not None:
        captures = literal_walk.walk(tree, language, _QUERIES[_base(language)], comment_text, MAX_START_DEPTH)
    else:
        cursor = ts.QueryCursor(query)
        cursor.set_max_start_depth(MAX_START_DEPTH)  # deeper trees are reported by the caller
        captures = cursor.captures(tree.root_node)
    rot_ids = {n.id for n in captures.get("rot", ())}
    for node in captures.get("rot", ()):
        budgets.check()
        raw = _string_body(source, node)
        if raw is not None:
            yield from _payload(node, "rot13", codecs.decode(raw, "rot13"), language, depth=1)
    strings = captures.get("str", ())
    # the parts of a concatenated string are read through it (node.parent would cost the tree's depth per literal:
    # the concatenation is captured too, one level nearer the root, so its children are these parts)
    parts = {c.id for n in strings if n.type == "concatenated_string" for c in n.children} if PARTS_BY_ID else None
    for node in strings:
        budgets.check()
        if node.end_byte - node.start_byte < 10 or node.end_byte - node.start_byte > MAX_LITERAL:
            continue
        if node.id in rot_ids or (node.id in parts if parts is not None else
                                  node.parent is not None and node.parent.type == "concatenated_string"):
            continue
        raw = _string_body(source, node)
        if raw is None:
            continue
        decoded = decode_literal(raw)
        if decoded is not None:
            yield from _payload(node, decoded[0], decoded[1], language, depth=0)
    for node in captures.get("arr", ()):
        budgets.check()
        if node.end_byte - node.start_byte > MAX_LITERAL:
            continue
        text = _char_codes(source[node.start_byte:node.end_byte].decode("utf-8", "replace"))
        if text is not None:
            inner = _unwrap_text(text, ["char-codes"], 1)
            if inner is not None:
                yield from _payload(node, inner[0], inner[1], language, depth=0)


def _string_body(source: bytes, node) -> str | None:
    """The raw text between a literal's quotes (parts joined); None for f-strings/substitutions."""
    if node.type == "concatenated_string":
        parts = [_string_body(source, c) for c in node.named_children if c.type == "string"]
        if not parts or any(p is None for p in parts):
            return None
        return "".join(parts)
    start, end = node.start_byte, node.end_byte
    for child in node.children:
        kind = child.type
        if kind in ("interpolation", "template_substitution"):
            return None
        if kind == "string_start" or (kind in ('"', "'", "`") and child.start_byte == node.start_byte):
            start = child.end_byte
        elif kind == "string_end" or (kind in ('"', "'", "`") and child.end_byte == node.end_byte):
            end = child.start_byte
    if start == node.start_byte:
        return None
    return source[start:end].decode("utf-8", "replace")


def _payload(node, encoding: str, text: str, language: str, depth: int) -> Iterator[Payload]:
    if not is_text(text):
        return
    lang = guess_language(text)
    yield Payload(
        line=node.start_point[0] + 1,
        end_line=node.end_point[0] + 1,
        encoding=encoding,
        data=text.encode("utf-8"),
        preview=_WS.sub(" ", "".join(c if c.isprintable() else " " for c in text[:PREVIEW * 2])).strip()[:PREVIEW],
        language=lang if lang != _family(language) else None,
        looks_like_code=looks_like_code(text, lang or _family(language)),
    )


# -- decoding -----------------------------------------------------------------------------
def decode_literal(raw: str) -> tuple[str, str] | None:
    """(encoding chain, decoded text) for a literal's raw body, or None when it holds no text payload."""
    if "\\" in raw and _ESCAPE.search(raw):
        if len(_ESCAPE.findall(raw)) >= MIN_CHAR_CODES and _ESCAPED.fullmatch(raw):
            try:
                text = codecs.decode(raw.encode("latin-1", "backslashreplace"), "unicode_escape")
            except (UnicodeDecodeError, ValueError):
                return None
            if max(map(ord, text), default=0) < 256:
                return _unwrap(text.encode("latin-1"), ["escapes"], 1)
            return _unwrap_text(text, ["escapes"], 1)
        return None
    data = _decode_blob(raw)
    if data is None:
        return None
    return _unwrap(data[1], [data[0]], 1)


def _decode_blob(raw: str) -> tuple[str, bytes] | None:
    """One base64 or hex layer, with cheap shape checks first."""
    stripped = raw.strip()
    if len(stripped) < MIN_BASE64:
        return None
    if any(c.isspace() for c in stripped):
        # Wrapped blobs: every line but the last is a long unbroken run; prose never is.
        chunks = stripped.split()
        if any(len(c) < 16 for c in chunks[:-1]):
            return None
        compact = "".join(chunks)
    else:
        compact = stripped
    if len(compact) >= MIN_HEX and _HEX.fullmatch(compact):
        try:
            return "hex", bytes.fromhex(compact)
        except ValueError:
            return None
    if len(compact) < MIN_BASE64:
        return None
    body = compact.rstrip("=")
    if len(body) % 4 == 1 or (len(compact) != len(body) and len(compact) % 4):
        return None
    padded = body + "=" * (-len(body) % 4)
    try:
        if _B64.fullmatch(compact):
            return "base64", base64.b64decode(padded, validate=True)
        if _B64_URL.fullmatch(compact):
            return "base64", base64.urlsafe_b64decode(padded)
    except (binascii.Error, ValueError):
        return None
    return None


def _decompress(data: bytes) -> tuple[str, bytes] | None:
    """Undo zlib/gzip/bz2/lzma when the magic bytes say so, output bounded."""
    try:
        if data[:1] == b"\x78" and len(data) > 2 and (data[0] * 256 + data[1]) % 31 == 0:
            return "zlib", zlib.decompressobj().decompress(data, MAX_OUTPUT)
        if data[:2] == b"\x1f\x8b":
            return "gzip", zlib.decompressobj(wbits=31).decompress(data, MAX_OUTPUT)
        if data[:3] == b"BZh":
            return "bz2", bz2.BZ2Decompressor().decompress(data, MAX_OUTPUT)
        if data[:6] == b"\xfd7zXZ\x00" or data[:3] == b"]\x00\x00":
            return "lzma", lzma.LZMADecompressor().decompress(data, MAX_OUTPUT)
    except (zlib.error, OSError, EOFError, lzma.LZMAError, ValueError):
        return None
    return None


def _unwrap(data: bytes, chain: list[str], depth: int) -> tuple[str, str] | None:
    """Peel compression and nested encodings off decoded bytes until text (or give up)."""
    if depth > MAX_DEPTH or not data:
        return None
    inflated = _decompress(data)
    if inflated is not None:
        return _unwrap(inflated[1], chain + [inflated[0]], depth + 1)
    try:
        text = data[:MAX_OUTPUT].decode("utf-8")
    except UnicodeDecodeError:
        return None  # binary (a key, an image): not code
    return _unwrap_text(text, chain, depth)


def _unwrap_text(text: str, chain: list[str], depth: int) -> tuple[str, str] | None:
    if not is_text(text):
        return None
    if depth < MAX_DEPTH:
        inner = _decode_blob(text)  # the whole text is itself a blob: one more layer
        if inner is not None:
            deeper = _unwrap(inner[1], chain + [inner[0]], depth + 1)
            if deeper is not None:
                return deeper
    return "+".join(chain), text


def _char_codes(text: str) -> str | None:
    """The string spelled by an array/argument list of ≥ 8 printable character codes."""
    if len(text) < 2 * MIN_CHAR_CODES or not _INT_LIST.fullmatch(text.strip()):
        return None
    codes = [int(m, 0) if not m.isdigit() else int(m) for m in _INT.findall(text)]
    if len(codes) < MIN_CHAR_CODES or any(not (9 <= c <= 126) for c in codes):
        return None
    return "".join(map(chr, codes))


def is_text(text: str) -> bool:
    """Mostly printable, with words in it: decoded text rather than a binary key or a table."""
    if len(text) < 4:
        return False
    sample = text[:4096]
    printable = sum(1 for c in sample if c.isprintable() or c in "\t\n\r")
    if printable < PRINTABLE_SHARE * len(sample):
        return False
    wordy = sum(1 for c in sample if c.isalnum() or c in " \t\n")
    return wordy >= 0.5 * len(sample) and re.search(r"[A-Za-z]{3}", sample) is not None


# -- what the decoded text is -------------------------------------------------------------
_SHEBANG = re.compile(r"\A#!\s*\S*?(?:env\s+)?(python|node|bash|sh|zsh)\b")
_PY_SIGNS = re.compile(r"^\s*(?:import [\w.]+|from [\w.]+ import |def \w+\(|class \w+[(:])", re.M)
_JS_SIGNS = re.compile(r"\brequire\(\s*['\"]|\bfunction\s*+\w*\s*\(|=>|\b(?:const|let|var) \w+\s*=")
_SH_SIGNS = re.compile(r"(?:^|[;&|]\s*)(?:curl|wget)\s|/bin/(?:ba)?sh\b|\|\s*(?:ba)?sh\b|chmod\s+\+x|powershell",
                       re.M | re.I)
_CODE = {
    "python": re.compile(
        r"^\s*(?:import|from)\s+[\w.]+|\b(?:exec|eval|compile|__import__)\s*\("
        r"|\b(?:os|subprocess|socket|urllib\w*|requests|ctypes|base64|shutil|marshal|pty|http\.client)\.\w+\s*\(",
        re.M),
    "javascript": re.compile(
        r"\brequire\(\s*['\"]|\b(?:eval|Function|fetch|atob|setTimeout)\s*\(|child_process|XMLHttpRequest"
        r"|\bdocument\.(?:write|createElement)\s*\(|\bprocess\.(?:env|exit)|\.exec(?:Sync)?\s*\(|https?\.get\s*\("),
    "shell": _SH_SIGNS,
}


def _family(language: str) -> str:
    return "javascript" if language in ("javascript", "typescript", "tsx") else language


def guess_language(text: str) -> str | None:
    """python / javascript / shell when the decoded text evidently is one, else None."""
    head = text[:2048]
    shebang = _SHEBANG.match(head)
    if shebang:
        word = shebang.group(1)
        return "python" if word == "python" else "javascript" if word == "node" else "shell"
    if _PY_SIGNS.search(head):
        return "python"
    if _JS_SIGNS.search(head):
        return "javascript"
    if _SH_SIGNS.search(head):
        return "shell"
    return None


def looks_like_code(text: str, language: str | None) -> bool:
    """Decoded text that reads as code doing something (imports, exec, process, network, shell)."""
    head = text[:MAX_OUTPUT]
    kinds = [language] if language in _CODE else []
    kinds += [k for k in _CODE if k not in kinds]
    return any(_CODE[k].search(head) for k in kinds)
