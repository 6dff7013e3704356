"""Bytes to text for analysis: UTF-8, UTF-16/32 behind a byte-order mark, or UTF-8 whose stray bytes are read as
cp1252 — together with what was odd about the encoding, so that a planted byte is reported, never a hiding place."""
from __future__ import annotations

import re
from dataclasses import dataclass

RULE_ID = "non-utf8-text"
SNIFF = 8192  # a NUL byte this early means binary, as git and grep decide
BINARY_SHARE = 0.3  # more bytes than this that are not UTF-8: not text in any single-byte encoding either
WIDE_ASCII_SHARE = 0.5  # UTF-16/32 text whose characters are less than half ASCII is taken for binary
_BOMS = ((b"\x00\x00\xfe\xff", "utf-32-be"), (b"\xff\xfe\x00\x00", "utf-32-le"), (b"\xef\xbb\xbf", "utf-8"),
         (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))
_ESCAPED = re.compile("[\udc80-\udcff]")


def _cp1252(byte: int) -> str:
    try:
        return bytes([byte]).decode("cp1252")
    except UnicodeDecodeError:  # 0x81, 0x8d, 0x8f, 0x90, 0x9d: undefined in cp1252, Latin-1 then
        return chr(byte)


_STRAY = {0xDC00 + b: _cp1252(b) for b in range(0x80, 0x100)}


class NotText(ValueError):
    """Content that is binary, not text in any encoding codescan reads (the message is the skip reason)."""


@dataclass(frozen=True, slots=True)
class Decoded:
    """The text to analyze; `exact` when it is the content itself (plain UTF-8, no BOM). `problem` says what was
    odd (None for clean UTF-8) and `offset` is the character offset in `text` where it starts."""

    text: str
    exact: bool = True
    problem: str | None = None
    offset: int = 0


def decode(content: bytes) -> Decoded:
    """The text of `content`; raises NotText for binaries (a NUL byte early on, or mostly bytes that are not UTF-8)."""
    for bom, codec in _BOMS:
        if content.startswith(bom):
            body = content[len(bom):]
            if codec == "utf-8":
                return _utf8(body, exact=False)
            return _wide(body, codec)
    if b"\0" in content[:SNIFF]:
        raise NotText("binary file (NUL byte)")
    return _utf8(content, exact=True)


def _utf8(content: bytes, exact: bool) -> Decoded:
    try:
        return Decoded(content.decode("utf-8"), exact)
    except UnicodeDecodeError as exc:
        first = exc.start
    if b"\0" in content[:SNIFF]:
        raise NotText("binary file (NUL byte)")
    escaped = content.decode("utf-8", "surrogateescape")  # each stray byte becomes one U+DC80..U+DCFF
    stray = len(_ESCAPED.findall(escaped))
    if stray > BINARY_SHARE * len(content):
        raise NotText(f"binary file ({100 * stray // len(content)}% of its bytes are not UTF-8)")
    offset = _ESCAPED.search(escaped).start()
    plural = "s are" if stray > 1 else " is"
    problem = (f"{stray} byte{plural} not valid UTF-8 (the first, 0x{content[first]:02x}, here), read as cp1252: "
               "tools that read only UTF-8 skip the whole file")
    return Decoded(escaped.translate(_STRAY), False, problem, offset)


def _wide(body: bytes, codec: str) -> Decoded:
    text = body.decode(codec, "replace")
    sample = text[:SNIFF]
    if "\0" in sample:
        raise NotText(f"binary file (NUL character in {codec.upper()} text)")
    # Almost any bytes decode as UTF-16; source code saved so is mostly ASCII, binary behind FF FE is not.
    if sample and sum(1 for ch in sample if " " <= ch < "\x7f" or ch in "\t\n\r") < WIDE_ASCII_SHARE * len(sample):
        raise NotText(f"binary file (behind a {codec.upper()} byte-order mark, but mostly not text)")
    bad = text.count("\ufffd") - body.decode(codec, "ignore").count("\ufffd")
    extra = f", {bad} code unit{'s' if bad != 1 else ''} undecodable" if bad else ""
    problem = (f"text is {codec.upper()} behind a byte-order mark{extra}: tools that read only UTF-8 see no code "
               "in this file")
    return Decoded(text, False, problem, 0)
