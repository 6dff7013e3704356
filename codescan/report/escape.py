"""Make scanned text safe and visible in HTML: escape everything, mark hidden Unicode, keep JSON inside <script>."""
from __future__ import annotations

import html
import json
import unicodedata

from ..outputs.hidden import marker, segments


def esc(value) -> str:
    """Escape any value for element text and quoted attribute values."""
    return html.escape("" if value is None else str(value), quote=True)


def _non_ascii(text: str) -> str:
    """Escaped text where each non-ASCII letter carries its code point (homoglyphs show on hover)."""
    out = []
    for ch in text:
        if ord(ch) < 128:
            out.append(esc(ch))
        else:
            name = unicodedata.name(ch, "UNNAMED")
            out.append(f'<span class="na" title="U+{ord(ch):04X} {esc(name)}">{esc(ch)}</span>')
    return "".join(out)


def code(text: str) -> str:
    """Scanned code as HTML: escaped, every hidden run replaced by a visible marker, decoded text shown."""
    out = []
    for seg in segments(text or ""):
        if seg.kind == "text":
            out.append(_non_ascii(seg.text))
        else:
            out.append(f'<span class="hid hid-{seg.kind}" title="{esc(seg.label)}">{esc(marker(seg))}</span>')
    return "".join(out)


def hidden_text(text: str) -> list[str]:
    """The hidden messages a text spells with tag characters or variation selectors."""
    return [seg.decoded for seg in segments(text or "") if seg.decoded]


def script_json(data) -> str:
    """JSON for a <script type="application/json"> block: '<', '>', '&' and line separators are
    \\u-escaped, so no string inside can close the element or open a comment."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True)
    for raw, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                         ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(raw, escaped)
    return text


def anchor(kind: str, key: str) -> str:
    """A stable id for an element: letters, digits and hyphens only."""
    safe = "".join(ch if ch.isascii() and (ch.isalnum() or ch == "-") else "-" for ch in str(key))
    return f"{kind}-{safe}"
