"""python_scopes._whole_words: the plain loop hands over to the regex after 48 occurrences, without counting
them first, and yields what the plain loop alone yields."""
from __future__ import annotations

import random

from codescan.analyze.semantics import python_scopes
from codescan.analyze.semantics.python_scopes import _whole_words


def _plain(source: bytes, name: bytes, start: int, end: int) -> list[int]:
    out, size = [], len(name)
    pos = source.find(name, start, end)
    while pos >= 0:
        at, pos = pos, source.find(name, pos + size, end)
        after = source[at + size:at + size + 1]
        if not ((at and (source[at - 1:at].isalnum() or source[at - 1] in b"_.")) or after.isalnum() or after == b"_"):
            out.append(at)
    return out


def test_the_same_offsets_as_the_plain_loop():
    rng = random.Random(7)
    pieces = [b"x", b"xx", b"x_", b"_x", b".x", b"x.", b" ", b"\n", b"(", b"y", b"1", b"\xc3\xa9", b"x1", b"xx.x"]
    for trial in range(300):
        source = b"".join(rng.choice(pieces) for _ in range(rng.randint(0, 400)))
        python_scopes._OCCURRENCES.clear() if trial % 3 == 0 else None
        for name in (b"x", b"xx", b"x_", b"\xc3\xa9", b"y"):
            for start, end in ((0, len(source)), (rng.randint(0, len(source)), len(source)),
                               (0, rng.randint(0, len(source)))):
                assert list(_whole_words(source, name, start, end)) == _plain(source, name, start, end)


class _NoCount(bytes):
    def count(self, *args):
        raise AssertionError("counted")


def test_no_count_of_the_occurrences_first():
    source = _NoCount(b" ".join([b"alpha_beta"] * 200 + [b"gamma"] * 3))
    python_scopes._OCCURRENCES.pop(b"alpha_beta", None)
    assert len(list(_whole_words(source, b"alpha_beta", 0, len(source)))) == 200
    assert b"alpha_beta" in python_scopes._OCCURRENCES  # compiled once past 48
    assert len(list(_whole_words(source, b"gamma", 0, len(source)))) == 3
    assert b"gamma" not in python_scopes._OCCURRENCES
