"""Units of code written inside Python docstrings and multi-line strings (a poisoned example hides there).

A docstring's paragraphs that parse as Python on their own (after dedenting) are shingled like any code,
so a payload planted as a "usage example" links to the same payload planted as code."""
from __future__ import annotations

import re
import textwrap

from ..records import Unit

MIN_PARAGRAPH = 24  # bytes of a paragraph worth parsing
MAX_STRING = 20_000  # longer strings are data, not examples
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
                out.extend(_paragraphs(node, source, parser, extract))
            continue
        stack.extend(node.children)
    return out


def _paragraphs(node, source: bytes, parser, extract) -> list[Unit]:
    text = source[node.start_byte:node.end_byte]
    row = node.start_point[0]
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
