"""Names written in string escapes: `'\\x61\\x74\\x6f\\x62'` is `atob`, `"\\u0065val"` is `eval` — how an obfuscator's
string table hides the names a label gate looks for. The gate reads the source with these words added."""
from __future__ import annotations

import re

# a quoted run of escapes and word characters holding at least one escape
_ESCAPED = re.compile(rb"""(['"])((?:[A-Za-z0-9_$]*(?:\\x[0-9A-Fa-f]{2}|\\u[0-9A-Fa-f]{4}))+[A-Za-z0-9_$]*)\1""")
_NAME = re.compile(r"[A-Za-z_$][\w$.]{2,63}\Z", re.ASCII)
_UNESCAPE = re.compile(r"\\x([0-9A-Fa-f]{2})|\\u([0-9A-Fa-f]{4})")
MAX_WORDS = 256


def escaped_words(source: bytes) -> bytes:
    """The names spelled by escaped string constants of `source`, one per line (b"" when there are none)."""
    if b"\\x" not in source and b"\\u" not in source:
        return b""
    found: list[str] = []
    for match in _ESCAPED.finditer(source):
        text = _UNESCAPE.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), match.group(2).decode("ascii"))
        if _NAME.match(text) and text not in found:
            found.append(text)
            if len(found) >= MAX_WORDS:
                break
    return "\n".join(found).encode("ascii")


def with_escaped_words(source: bytes) -> bytes:
    """`source` itself, or, when escaped strings spell names, the source followed by those names."""
    words = escaped_words(source)
    return source + b"\n" + words if words else source
