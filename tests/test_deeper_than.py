"""deeper_than (the start-depth guard of every parse) agrees with a full walk of the tree."""
from __future__ import annotations

import os
from pathlib import Path

from codescan.analyze import languages
from codescan.analyze.treesitter import MAX_START_DEPTH, deeper_than


def _depth(root) -> int:
    """The plain walk deeper_than replaced: every node visited."""
    walk = root.walk()
    depth = deepest = 0
    while True:
        if walk.goto_first_child():
            depth += 1
            deepest = max(deepest, depth)
            continue
        while not walk.goto_next_sibling():
            if not walk.goto_parent():
                return deepest
            depth -= 1


def _sources():
    here = Path(__file__).resolve().parent.parent / "codescan" / "analyze"
    for path in sorted(here.glob("*.py"))[:12]:
        yield "python", path.read_bytes()
    for n in (10, 300, 330, 340, 1200):
        yield "python", b"x = " + b"(" * n + b"1" + b")" * n + b"\n"
        yield "python", b"def f():\n    return " + b"'a' + " * n + b"'b'\n"
        yield "javascript", b"let y = " + b"[" * n + b"0" + b"]" * n + b";\n"
    yield "python", os.urandom(4000)


def test_deeper_than_equals_a_full_walk():
    checked = deep = 0
    for language, source in _sources():
        root = languages.parser(language).parse(source).root_node
        depth = _depth(root)
        for limit in (0, 1, 3, 8, 20, 60, depth - 1, depth, depth + 1, MAX_START_DEPTH):
            if limit < 0:
                continue
            assert deeper_than(root, limit) == (depth > limit), (language, source[:40], limit, depth)
            checked += 1
            deep += depth > limit
    assert checked > 150 and deep > 50
    nested = languages.parser("python").parse(b"x = " + b"(" * 1200 + b"1" + b")" * 1200).root_node
    assert deeper_than(nested) and not deeper_than(languages.parser("python").parse(b"x = (1)").root_node)
