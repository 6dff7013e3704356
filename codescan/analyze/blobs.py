"""Encoded blobs (long base64 / hex / \\x-escaped runs) and long high-entropy string literals."""
from __future__ import annotations

import base64
import binascii
import re
import zlib

from .textview import shannon_entropy

MIN_BLOB = 200
# Possessive runs that start at a run boundary: linear time, no backtracking on long words.
BASE64_RUN = re.compile(r"(?<![A-Za-z0-9+/_\-])[A-Za-z0-9+/_\-]{200,}+={0,2}")
ESCAPED_RUN = re.compile(r"(?:\\x[0-9a-fA-F]{2}){60,}+|(?:\\u00[0-9a-fA-F]{2}){60,}+|(?:%[0-9a-fA-F]{2}){60,}+")
LITERAL = re.compile(r"(?<![\w\\])([\"'`])([^\"'`\s\\]{100,}+)\1")
SKIP_FILES = re.compile(r"(?i)(\.(svg|lock|ipynb|map|pem|crt|cer|key|pub|asc|gpg|sig|woff2?|ttf|eot|po|mo|csv|tsv|"
                        r"pdf|snap)$|(^|/)(package-lock\.json|yarn\.lock|pnpm-lock\.yaml|poetry\.lock|Cargo\.lock|"
                        r"go\.sum|composer\.lock|Gemfile\.lock)$)")
DATA_URI = re.compile(r"(?i)data:[a-z]+/[a-z0-9.+\-]+(?:;[a-z0-9=\-]+)*;base64,$")
# Binary media a blob may legitimately hold (images, fonts, audio): not a payload.
MEDIA_MAGIC = (b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"wOFF", b"wOF2", b"\x00\x00\x01\x00", b"RIFF", b"OggS",
               b"ID3", b"\x00\x01\x00\x00", b"OTTO", b"BM", b"%PDF", b"<svg", b"<?xml")
EXECUTABLE_MAGIC = (b"MZ", b"\x7fELF", b"\xcf\xfa\xed\xfe", b"\xca\xfe\xba\xbe", b"PK\x03\x04", b"\x1f\x8b", b"BZh",
                    b"\xfd7zXZ", b"\x78\x9c", b"\x78\xda", b"\x78\x01")
CODE_WORDS = re.compile(rb"(?i)\b(import|exec|eval|require|function|def|socket|subprocess|powershell|/bin/(ba)?sh|"
                        rb"curl|wget|http|child_process|os\.system|fromCharCode)\b")


def detect(ctx, view) -> None:
    """Flag long encoded runs anywhere and long high-entropy literals in code, skipping media and lock files."""
    if SKIP_FILES.search(view.path):
        return
    if ctx.wants("encoded-blob"):
        _blobs(ctx, view)
    if ctx.wants("high-entropy-literal") and view.code and not view.minified:
        _literals(ctx, view)


def _blobs(ctx, view) -> None:
    # A blob lives on one line, so only lines long enough to hold one are searched.
    for offset, line in view.long_lines(MIN_BLOB):
        for m in BASE64_RUN.finditer(line):
            if DATA_URI.search(line, max(0, m.start() - 80), m.start()):
                continue
            data, encoding = _decode_run(m.group())
            if data is not None:
                _report(view, offset + m.start(), offset + m.end(), data, encoding)
        if "%" in line or "\\" in line:
            for m in ESCAPED_RUN.finditer(line):
                data = bytes(int(h, 16) for h in re.findall(r"(?:\\x|\\u00|%)([0-9a-fA-F]{2})", m.group()))
                _report(view, offset + m.start(), offset + m.end(), data, "escaped bytes")


def _decode_run(run: str) -> tuple[bytes | None, str]:
    """Bytes of a hex or base64 run; None for runs that are not an encoding (identifiers, paths, repeats)."""
    if re.fullmatch(r"[0-9a-fA-F]+", run) and len(run) % 2 == 0:
        if not (re.search(r"\d", run) and re.search(r"[a-fA-F]", run)):
            return None, ""
        return bytes.fromhex(run), "hex"
    if not (re.search(r"\d", run) and re.search(r"[A-Z]", run) and re.search(r"[a-z]", run)):
        return None, ""
    if len(set(run)) < 20 or shannon_entropy(run[:2000]) < 4.5:
        return None, ""
    body = run.rstrip("=")
    alt = "-_" if ("-" in body or "_" in body) else None
    if alt and ("+" in body or "/" in body):
        return None, ""
    try:
        padded = body + "=" * (-len(body) % 4)
        data = base64.b64decode(padded, altchars=b"-_" if alt else None, validate=True)
    except (binascii.Error, ValueError):
        return None, ""
    return data, "base64"


def _report(view, start: int, end: int, data: bytes, encoding: str) -> None:
    if not data or data.startswith(MEDIA_MAGIC):
        return
    head = data[:4096]
    if data.startswith((b"\x78\x9c", b"\x78\xda", b"\x78\x01")):
        try:
            head = zlib.decompressobj().decompress(data, 4096)
            encoding += "+zlib"
        except zlib.error:
            pass
    printable = sum(32 <= b < 127 or b in (9, 10, 13) for b in head) / max(len(head), 1)
    executable = data.startswith(EXECUTABLE_MAGIC)
    code = printable > 0.9 and CODE_WORDS.search(head) is not None
    if code or executable:
        severity = "high"
    elif printable > 0.9 or "zlib" in encoding:
        severity = "medium"
    else:
        severity = "low"  # random-looking bytes: keys, hashes, test vectors
    what = ("code" if code else "an executable or archive" if executable else "text" if printable > 0.9
            else "binary data")
    preview = head.decode("utf-8", "replace")[:300] if printable > 0.9 else head[:48].hex(" ")
    view.emit("encoded-blob", start, end, severity=severity, decoded=preview,
              message=f"{end - start}-character {encoding} blob decoding to {what} ({len(data)} bytes): "
                      "encoded content hides what the file really carries")


def _literals(ctx, view) -> None:
    for offset, line in view.long_lines(102):
        for m in LITERAL.finditer(line):
            _literal(view, offset, m)


def _literal(view, offset: int, m) -> None:
    """One long literal: report it when its entropy says packed or encrypted data."""
    value = m.group(2)
    if len(value) >= MIN_BLOB and BASE64_RUN.fullmatch(value):
        return  # an encoded-blob finding already covers it
    if "://" in value or value.count("/") > 8 or value.count(".") > 10 or "${" in value or "{{" in value:
        return
    entropy = shannon_entropy(value)
    if entropy < 5.2:
        return
    start, end = offset + m.start(2), offset + m.end(2)
    if view.where(start) == "comment":
        return
    view.emit("high-entropy-literal", start, end, decoded=None,
              message=f"{len(value)}-character string literal with {entropy:.1f} bits of entropy per character: "
                      "an encrypted or packed payload, or an embedded secret")
