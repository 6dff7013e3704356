"""The value of a Python string, bytes or number literal's text without compiling it: ast.literal_eval compiles the text
(~16 us a literal; ~14k literals with escapes on 600 stdlib files). The common forms are decoded here; anything else
(non-ASCII, CR or NUL, a quote or a line break inside, a trailing backslash, a decoding error) is MISS, for the
caller's literal_eval. tests/test_string_literals.py compares both on every string of the stdlib."""
from __future__ import annotations

import codecs
import re
import warnings

MISS = object()
_QUOTES = frozenset(('"', "'", '"""', "'''"))
# A backslash before a character that starts no escape (`\d`): the codecs warn about it, as the compiler does, so
# such a body is decoded with warnings silenced (catch_warnings costs more than the decoding). Found conservatively:
# the second backslash of an escaped backslash before a letter matches too (warnings are then silenced for nothing).
_ODD_STR = re.compile(r"""\\(?:[^\\\n'"abfnrtv0-7xNuU]|[4-7][0-7][0-7])""").search  # (octal past \377 warns too)
_ODD_BYTES = re.compile(r"""\\(?:[^\\\n'"abfnrtv0-7x]|[4-7][0-7][0-7])""").search


def decoded(text: str, start: str, prefix: str):
    """The literal `text` (its opening token `start`, whose letters are `prefix`) as literal_eval gives it, or MISS."""
    quote = start[len(prefix):]
    if quote not in _QUOTES or len(text) < len(start) + len(quote) or not text.endswith(quote):
        return MISS
    body = text[len(start):len(text) - len(quote)]
    if not body.isascii() or "\r" in body or "\0" in body or quote[0] in body or (len(quote) == 1 and "\n" in body):
        return MISS
    if body.endswith("\\") and (len(body) - len(body.rstrip("\\"))) % 2:
        return MISS  # the backslash would escape the closing quote
    kind = prefix.lower()
    try:
        if kind in ("", "u"):
            return _escaped(body, _ODD_STR, lambda raw: raw.decode("unicode_escape")) if "\\" in body else body
        if kind == "r":
            return body
        if kind == "b":
            return _escaped(body, _ODD_BYTES, lambda raw: codecs.escape_decode(raw)[0]) if "\\" in body else \
                body.encode("ascii")
        if kind in ("rb", "br"):
            return body.encode("ascii")
    except (UnicodeError, ValueError):
        return MISS
    return MISS


def text_body(body: str):
    """The text a str literal's body (the part between its quotes, escapes as written) stands for, or MISS (a body
    that is not plain ASCII, holds a NUL or CR, or ends in a lone backslash): used for an f-string's constant parts."""
    if "\\" not in body:
        return body
    if not body.isascii() or "\r" in body or "\0" in body or \
            (body.endswith("\\") and (len(body) - len(body.rstrip("\\"))) % 2):
        return MISS
    try:
        return _escaped(body, _ODD_STR, lambda raw: raw.decode("unicode_escape"))
    except (UnicodeError, ValueError):
        return MISS


def _escaped(body: str, odd, decode):
    if odd(body) is None:
        return decode(body.encode("ascii"))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # `\d`: kept as written, as the compiler keeps it
        return decode(body.encode("ascii"))


_FLOAT_CHARS = frozenset("0123456789._eE+-")


def number(text: str):
    """A non-decimal or underscored integer (`0x1F`, `1_000`) or a float (`2.5e3`) literal's value, read by int() or
    float() (which accept exactly these spellings of them); None for anything else (`1j`, `010`), left to the
    caller's literal_eval."""
    try:
        if text[:2].lower() in ("0x", "0o", "0b") or (text[:1].isdigit() and text.replace("_", "").isdigit()):
            return int(text, 0)
        if text[:1] in "0123456789." and set(text) <= _FLOAT_CHARS and "+" not in text[:1]:
            return float(text)
    except ValueError:
        return None
    return None
