"""A tree with a syntax error is kept as the parse's callback made it (no second parse): same shape, same text."""
from codescan.analyze import document
from codescan.analyze.budget import Budget

PROSE = b"This returns the value, unless the other thing is set (see below) -- or not.\n" * 3
CODE = b"import os\nos.system('ls')\n"


def _shape(tree):
    out, stack = [], [tree.root_node]
    while stack:
        node = stack.pop()
        out.append((node.type, node.start_byte, node.end_byte, node.text))
        stack.extend(reversed(node.children))
    return out


def _both(source):
    old = document.ERROR_TREES_READ
    try:
        document.ERROR_TREES_READ = False
        before = document._parse("python", source, Budget(60.0))
        document.ERROR_TREES_READ = True
        after = document._parse("python", source, Budget(60.0))
    finally:
        document.ERROR_TREES_READ = old
    return before, after


def test_error_tree_has_the_same_shape_and_text():
    before, after = _both(PROSE)
    assert after.root_node.has_error
    assert _shape(after) == _shape(before)
    assert after.root_node.text == PROSE


def test_tree_without_error_still_holds_its_bytes():
    before, after = _both(CODE)
    assert not after.root_node.has_error
    assert _shape(after) == _shape(before)
