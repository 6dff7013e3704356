"""Units of code written inside Python docstrings and multi-line strings (a poisoned example hides there).

A docstring's paragraphs that parse as Python on their own (after dedenting) are shingled like any code,
so a payload planted as a "usage example" links to the same payload planted as code."""
from __future__ import annotations

import re
import textwrap

import xxhash

from ..records import Unit

MIN_PARAGRAPH = 24  # bytes of a paragraph worth parsing
MAX_STRING = 20_000  # longer strings are data, not examples
MEMO = 4096  # strings whose units a worker remembers
_memo: dict[tuple, list] = {}
_PROSE = re.compile(rb"^\s*[A-Za-z][a-z]*(?: [a-z]+){2,}[ ,.;:]*(?:$| [a-z])")  # three plain words in a row
_CODE = re.compile(rb"[=(]")


def units(tree, source: bytes, extract) -> list[Unit]:
    """extract(tree, source, language) for each code paragraph of each long string, lines moved in place."""
    from ..analyze import languages

    out: list[Unit] = []
    parser = None
    stack = [tree.root_node]
    while stack:
        node = stack.pop()
        if node.type == "string":
            if b"\n" in source[node.start_byte:node.end_byte] and node.end_byte - node.start_byte <= MAX_STRING:
                parser = parser or languages.parser("python")
                out.extend(_remembered(node, source, parser, extract))
            continue
        stack.extend(node.children)
    return out


def _remembered(node, source: bytes, parser, extract) -> list[Unit]:
    """_paragraphs of a string, remembered by its text (the same docstring in the next version of a file is not
    parsed again), lines moved to where the string is now."""
    text = source[node.start_byte:node.end_byte]
    key = (len(text), xxhash.xxh3_128_intdigest(text))
    found = _memo.get(key)
    if found is None:
        found = _paragraphs(text, 0, parser, extract)
        if len(_memo) >= MEMO:
            _memo.clear()
        _memo[key] = found
    row = node.start_point[0]
    return [Unit(u.kind, u.line + row, u.end_line + row, u.signature, u.name, u.tokens) for u in found]


def _paragraphs(text: bytes, row: int, parser, extract) -> list[Unit]:
    found: list[Unit] = []
    lines = text.split(b"\n")
    start = 0
    for i in range(len(lines) + 1):
        if i < len(lines) and lines[i].strip():
            continue
        block = lines[start:i]
        first = start
        start = i + 1
        if not block:
            continue
        if first == 0:  # the line holding the opening quotes
            block[0] = block[0].lstrip().lstrip(b"rRbBuUfF").lstrip(b"\"'")
        if i == len(lines):
            block[-1] = block[-1].rstrip().rstrip(b"\"'")
        if not any(_CODE.search(line) for line in block) or any(_PROSE.match(line) for line in block):
            continue  # prose is not parsed: most docstrings are only prose
        body = textwrap.dedent(b"\n".join(block).decode("utf-8", "replace")).strip("\n").encode()
        if len(body) < MIN_PARAGRAPH:
            continue
        tree = parser.parse(body)
        if tree.root_node.has_error:
            continue
        shift = row + first
        for unit in extract(tree, body, "python", embedded=False):
            if unit.kind in ("block", "function", "class"):
                found.append(Unit(unit.kind, unit.line + shift, unit.end_line + shift, unit.signature, unit.name,
                                  unit.tokens))
    return found
