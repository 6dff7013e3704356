"""The token stream walked piece by piece (unchanged statements of an earlier version reused) equals one walk over
the whole tree, also when a name bound in one piece decides how another piece, taken from the memo, reads."""
from __future__ import annotations

import numpy as np

from codescan.analyze import languages
from codescan.cluster import shingles, tokenwalk

FIELDS = ("hashes", "starts", "rows", "locals", "prose")

V1 = b'''import os.path
from json import loads


def helper(data):
    """Decode data; data is bytes."""
    return loads(data)


class Store:
''' + b"".join(b'''
    def method_%d(self, key, value=%d):
        # keep key and value
        result = helper(key) + value
        return os.path.join(str(result), "x")
''' % (i, i) for i in range(40)) + b'''

total = helper(b"1")
'''


def _whole(tree, source: bytes):
    leaves, bound, imported = shingles._leaf_walk(tree.root_node, [], None, source)
    return shingles._normalize(leaves, bound - imported)


def _same(a, b) -> None:
    for name in FIELDS:
        x, y = getattr(a, name), getattr(b, name)
        assert x.dtype == y.dtype and x.shape == y.shape and (x == y).all(), name


def _check(source: bytes, language: str = "python"):
    tree = languages.parser(language).parse(source)
    got = shingles.tokens(tree, source)
    _same(_whole(tree, source), got)
    return got


def test_pieces_equal_the_whole_walk_cold_and_warm():
    tokenwalk._memo.clear()
    assert len(V1) > 2 * tokenwalk.PIECE_BYTES  # the class is walked a method at a time
    first = _check(V1)
    pieces = len(tokenwalk._memo)
    assert pieces > 40
    _same(first, _check(V1))  # every piece from the memo
    assert len(tokenwalk._memo) == pieces


def test_an_edit_walks_only_the_changed_piece():
    tokenwalk._memo.clear()
    _check(V1)
    pieces = len(tokenwalk._memo)
    v2 = V1.replace(b"value=7)", b"value=7, extra=None)").replace(b"helper(b\"1\")", b"helper(b\"2\")")
    _check(v2)
    assert len(tokenwalk._memo) - pieces <= 4


def test_a_binding_elsewhere_changes_a_remembered_piece():
    """`value` becomes a module-level name in v2: every method's `value` token must follow, memo or not."""
    tokenwalk._memo.clear()
    one = _check(V1)
    two = _check(V1 + b"\nfor walker in range(3):\n    print(walker)\n")
    three = _check(V1.replace(b"import os.path\n", b"import os.path\nimport result\n"))
    # `result` is bound in every method; importing a module of that name makes it API in all of them.
    var = shingles._VAR_HASH
    assert (three.hashes == var).sum() <= (one.hashes == var).sum() - 80
    assert two.locals.max() == one.locals.max() + 1  # `walker` joins the numbered locals


def test_other_languages_and_broken_trees():
    tokenwalk._memo.clear()
    js = b"const send = (a, b) => {\n  // post a\n  return fetch(a, {body: b});\n};\n" * 60
    _check(js, "javascript")
    _check(js, "javascript")
    broken = V1.replace(b"def method_3(self", b"def method_3(self (")
    tree = languages.parser("python").parse(broken)
    assert tree.root_node.has_error and tokenwalk.pieces(tree, broken, shingles._leaf_walk,
                                                         shingles._classify) is None
    _check(broken)
    empty = _check(b"")
    assert len(empty.hashes) == 0 and empty.hashes.dtype == np.uint64
