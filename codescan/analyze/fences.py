"""Fenced code blocks of Markdown-like text (``` or ~~~), with the line each body starts on."""
from __future__ import annotations

import re
from typing import Iterator, NamedTuple

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})(.*)$")


class Block(NamedTuple):
    line: int  # 1-based line of the body's first line in the text
    info: str  # the info string after the opening fence (```python title=x → "python title=x")
    body: str

    @property
    def last(self) -> int:
        """1-based line of the body's last line."""
        return self.line + self.body.count("\n")


def has_fences(text: str) -> bool:
    return next(fenced_blocks(text), None) is not None


def fenced_blocks(text: str) -> Iterator[Block]:
    """Every fenced code block; an unclosed fence runs to the end. Lines are split on "\\n" only."""
    if "```" not in text and "~~~" not in text:
        return
    lines = text.split("\n")
    opening = None  # (fence, info, first body line index)
    for i, raw in enumerate(lines):
        line = raw[:-1] if raw.endswith("\r") else raw
        match = _FENCE.match(line)
        if opening is None:
            if match and not (match.group(1)[0] == "`" and "`" in match.group(2)):
                opening = (match.group(1), match.group(2).strip(), i + 1)
        elif match and match.group(1)[0] == opening[0][0] and len(match.group(1)) >= len(opening[0]) \
                and not match.group(2).strip():
            yield Block(opening[2] + 1, opening[1], "\n".join(lines[opening[2]:i]))
            opening = None
    if opening is not None:
        yield Block(opening[2] + 1, opening[1], "\n".join(lines[opening[2]:]))


def block_at(spans: tuple[tuple[int, int], ...], line: int) -> int | None:
    """Index of the block whose body holds `line`, given (first, last) body lines per block; None outside."""
    for number, (first, last) in enumerate(spans):
        if first <= line <= last:
            return number
    return None


def paragraph_before(lines: list[str], block: Block, limit: int = 4) -> str:
    """The prose paragraph right above a block's opening fence (blank lines between skipped), at most `limit` lines."""
    i = block.line - 3  # 0-based index of the line above the fence
    while i >= 0 and not lines[i].strip():
        i -= 1
    out: list[str] = []
    while i >= 0 and lines[i].strip() and len(out) < limit and not _FENCE.match(lines[i]):
        out.append(lines[i])
        i -= 1
    return "\n".join(reversed(out))
