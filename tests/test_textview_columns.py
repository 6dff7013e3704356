"""TextView.node_at on non-ASCII text: byte columns counted on from the last place give the node the full
prefix encoding gives, whatever order the places are asked in (one-line files ask thousands of them)."""
from __future__ import annotations

import random
from types import SimpleNamespace

from codescan.analyze import languages
from codescan.analyze.textview import TextView


def _view(text: str) -> TextView:
    tree = languages.parser("javascript").parse(text.encode("utf-8"))
    ctx = SimpleNamespace(text=text, kind=None, doc=SimpleNamespace(path="x.js"), language="javascript")
    return TextView(ctx, tree)


def _full_prefix_point(view: TextView, offset: int):
    line, column = view.position(offset)
    start = view.starts[line - 1]
    return line - 1, len(view.text[start:start + column - 1].encode("utf-8"))


def test_node_at_matches_the_full_prefix_encoding_in_any_order():
    words = ["var", "ä", "日本語", "x", "'ключ'", "𝒳", "=", ";", "\n", "\"é\"", "f(", ")"]
    rng = random.Random(7)
    text = " ".join(rng.choice(words) for _ in range(3000))
    view = _view(text)
    offsets = list(range(0, len(text), 3))
    for order in (offsets, offsets[::-1], rng.sample(offsets, len(offsets))):
        for offset in order:
            point = _full_prefix_point(view, offset)
            expected = view.tree.root_node.descendant_for_point_range(point, point)
            got = view.node_at(offset)
            assert (got.start_byte, got.end_byte, got.type) == (expected.start_byte, expected.end_byte, expected.type)
