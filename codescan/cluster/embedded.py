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
MEMO = 4096  # strings whose units a worker remembers (and statements whose strings)
PIECE_BYTES = 2048  # a statement bigger than this is walked a child at a time (tokenwalk.PIECE_BYTES)
_memo: dict[tuple, list] = {}
_walks: dict[tuple, list] = {}  # top-level statement -> its strings (offsets from its start)
_PROSE = re.compile(rb"^\s*[A-Za-z][a-z]*(?: [a-z]+){2,}[ ,.;:]*(?:$| [a-z])")  # three plain words in a row
_CODE = re.compile(rb"[=(]")


def units(tree, source: bytes, extract) -> list[Unit]:
    """extract(tree, source, language) for each code paragraph of each long string, lines moved in place."""
    from ..analyze import languages

    out: list[Unit] = []
    parser = None
    for start, end, row in _strings(tree, source):
        parser = parser or languages.parser("python")
        out.extend(_remembered(source[start:end], row, parser, extract))
    return out


def _strings(tree, source: bytes) -> list[tuple[int, int, int]]:
    """(start, end, row) of the multi-line strings worth reading, in the order of a last-in-first-out walk. In an
    error-free tree each top-level statement's are remembered by its text (not walked again in a later version)."""
    root = tree.root_node
    if root.has_error or root.type == "string":
        return _walk(root, source)
    return _strings_of(root, None, source, split=True)


def _strings_of(node, parent, source: bytes, split: bool = False) -> list[tuple[int, int, int]]:
    """_walk(node), each node of at most PIECE_BYTES (and each of the root's statements) remembered by its text, a
    bigger one that is not a string (a class whose one method changed) walked as its children, the last one first."""
    if split or (node.end_byte - node.start_byte > PIECE_BYTES and node.child_count and node.type != "string"):
        out: list[tuple[int, int, int]] = []
        for child in reversed(node.children):
            out.extend(_strings_of(child, node, source))
        return out
    text = source[node.start_byte:node.end_byte]
    key = (parent.type, node.type, len(text), xxhash.xxh3_128_intdigest(text))
    found = _walks.get(key)
    base, row = node.start_byte, node.start_point[0]
    if found is None:
        found = [(a - base, b - base, r - row) for a, b, r in _walk(node, source)]
        if len(_walks) >= MEMO:
            _walks.clear()
        _walks[key] = found
    return [(a + base, b + base, r + row) for a, b, r in found]


def _walk(top, source: bytes) -> list[tuple[int, int, int]]:
    out = []
    stack = [top]
    while stack:
        node = stack.pop()
        if node.type == "string":
            if b"\n" in source[node.start_byte:node.end_byte] and node.end_byte - node.start_byte <= MAX_STRING:
                out.append((node.start_byte, node.end_byte, node.start_point[0]))
            continue
        stack.extend(node.children)
    return out


def _remembered(text: bytes, row: int, parser, extract) -> list[Unit]:
    """_paragraphs of a string, remembered by its text (the same docstring in the next version of a file is not
    parsed again), lines moved to where the string is now."""
    key = (len(text), xxhash.xxh3_128_intdigest(text))
    found = _memo.get(key)
    if found is None:
        found = _paragraphs(text, 0, parser, extract)
        if len(_memo) >= MEMO:
            _memo.clear()
        _memo[key] = found
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
