"""Split text into plain runs and hidden-Unicode runs (bidi, invisible, tag, variation selector, control), decoded."""
from __future__ import annotations

import re
from typing import Iterator, NamedTuple

from ..analyze.unicode_hidden import BIDI_ALL, INVISIBLE, char_label

_TAG_BASE, _TAG_CANCEL = 0xE0000, 0xE007F
_HIDDEN = re.compile(
    f"[{re.escape(BIDI_ALL)}]"                       # bidi controls and marks, one at a time
    f"|[{re.escape(INVISIBLE)}]+"                    # zero-width and filler characters
    "|[\U000e0000-\U000e007f]+"                      # tag characters (hidden ASCII)
    "|[\ufe00-\ufe0f\U000e0100-\U000e01ef]+"         # variation selectors (hidden bytes)
    "|[\x00-\x08\x0b-\x1f\x7f\x80-\x9f]"              # C0/C1 controls except tab and newline
)


class Segment(NamedTuple):
    """kind is text | bidi | invisible | tag | selector | control; label names the characters,
    decoded is the hidden text a tag or selector run spells (None when it spells nothing)."""

    kind: str
    text: str
    label: str = ""
    decoded: str | None = None


def _kind(ch: str) -> str:
    cp = ord(ch)
    if ch in BIDI_ALL:
        return "bidi"
    if ch in INVISIBLE:
        return "invisible"
    if _TAG_BASE <= cp <= _TAG_CANCEL:
        return "tag"
    if 0xFE00 <= cp <= 0xFE0F or 0xE0100 <= cp <= 0xE01EF:
        return "selector"
    return "control"


def _decode_tags(run: str) -> str | None:
    text = "".join(chr(ord(c) - _TAG_BASE) for c in run if 0x20 <= ord(c) - _TAG_BASE < 0x7F)
    return text or None


def _decode_selectors(run: str) -> str | None:
    """Variation selectors as bytes (VS1..VS16 = 0..15, VS17..VS256 = 16..255), shown when they spell text."""
    values = bytes((ord(c) - 0xFE00) if ord(c) <= 0xFE0F else (ord(c) - 0xE0100 + 16) for c in run)
    if len(values) < 2:
        return None
    text = values.decode("utf-8", "replace")
    printable = sum(ch.isprintable() for ch in text)
    return text if printable >= 0.8 * len(text) else None


def _label(kind: str, run: str) -> str:
    if len(run) == 1:
        return char_label(run)
    first = f"U+{ord(run[0]):04X}"
    return f"{len(run)} {kind} characters from {first}"


def segments(text: str) -> Iterator[Segment]:
    """Plain text and hidden runs in order; joining every segment's text gives `text` back."""
    pos = 0
    for match in _HIDDEN.finditer(text):
        if match.start() > pos:
            yield Segment("text", text[pos:match.start()])
        run = match.group()
        kind = _kind(run[0])
        decoded = _decode_tags(run) if kind == "tag" else _decode_selectors(run) if kind == "selector" else None
        yield Segment(kind, run, _label(kind, run), decoded)
        pos = match.end()
    if pos < len(text):
        yield Segment("text", text[pos:])


def marker(segment: Segment) -> str:
    """A visible stand-in for a hidden run: ⟨U+202E⟩, ⟨U+200B×3⟩, ⟨tags: "ignore previous"⟩."""
    if segment.decoded is not None:
        return f'⟨{"tags" if segment.kind == "tag" else "selectors"}: {segment.decoded!r}⟩'
    codes = [f"U+{ord(c):04X}" for c in segment.text]
    if len(set(codes)) == 1 and len(codes) > 1:
        return f"⟨{codes[0]}×{len(codes)}⟩"
    if len(codes) > 4:
        return f"⟨{codes[0]}…{codes[-1]} ({len(codes)} chars)⟩"
    return "⟨" + " ".join(codes) + "⟩"


def has_hidden(text: str) -> bool:
    return _HIDDEN.search(text) is not None


def visible(text: str) -> str:
    """The text with every hidden run replaced by its marker (for terminals and plain logs)."""
    return "".join(s.text if s.kind == "text" else marker(s) for s in segments(text))
