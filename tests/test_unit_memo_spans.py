"""Spans remembered by their tokens (cluster/unit_memo.py) give the units signing them again gives, version after
version: a changed function, a moved one, a docstring that becomes code, a comment added inside a function."""
from __future__ import annotations

import numpy as np
import pytest

from codescan.analyze import languages
from codescan.cluster import embedded, minhash, tokenwalk, unit_memo, units
from codescan.cluster.shingles import TokenStream

BODY = b"".join(b"def handler_%d(request, table):\n    value = table.get(request.key, %d)\n"
                b"    return [item * value for item in request.items if item]\n\n\n" % (i, i) for i in range(6))
V1 = b'"""Handlers."""\nimport os\n\n\n' + BODY + b"class Box:\n    size = 3\n\n    def grow(self, n):\n" \
     b"        self.size += n * 2\n        return self.size\n"
VERSIONS = [
    V1,
    V1.replace(b"table.get(request.key, 3)", b"table.get(request.key, 3) or os.sep"),  # one function changed
    b"import sys\n\n\n" + V1,  # everything moved down
    V1.replace(b"    size = 3\n", b"    size = 3\n    # the size grows by twice n each time it is asked\n"),
    V1.replace(b"    def grow(self, n):\n", b'    def grow(self, n):\n        """Grow it by n twice."""\n'),
    V1.replace(b'"""Handlers."""', b"handlers = 1"),
]


def _units(source: bytes) -> list:
    tree = languages.parser("python").parse(source)
    return [(u.kind, u.line, u.end_line, u.signature, u.name, u.tokens) for u in units.extract(tree, source, "python")]


def _forget() -> None:
    for memo in (embedded._memo, embedded._walks, units._line_memo, units._def_memo, tokenwalk._memo, minhash._memo,
                 unit_memo._memo):
        memo.clear()


def test_remembered_spans_give_the_units_signed_again(monkeypatch):
    _forget()
    warm = [_units(v) for v in VERSIONS]  # each version after the ones before: most spans from the memo
    assert unit_memo._memo
    before = unit_memo.COUNTS[0]
    assert _units(VERSIONS[2]) == warm[2] and unit_memo.COUNTS[0] > before  # found again
    monkeypatch.setattr(unit_memo, "ON", False)
    for version, got in zip(VERSIONS, warm):
        _forget()
        assert _units(version) == got


def test_the_key_tells_prose_and_the_code_view_apart():
    hashes = np.arange(1, 41, dtype=np.uint64)
    plain = TokenStream(hashes, np.arange(40, dtype=np.int64), np.zeros(40, dtype=np.int32),
                        prose=np.zeros(40, dtype=bool))
    prose = np.zeros(40, dtype=bool)
    prose[10:15] = True
    commented = TokenStream(hashes, plain.starts, plain.rows, prose=prose)
    assert unit_memo.key(True, plain, 0, 40, 5) != unit_memo.key(True, commented, 0, 40, 5)
    assert unit_memo.key(True, plain, 0, 40, 5) != unit_memo.key(False, plain, 0, 40, 5)
    assert unit_memo.key(True, plain, 0, 40, 5) != unit_memo.key(True, plain, 0, 40, 4)
    assert unit_memo.key(True, plain, 0, 40, 5) != unit_memo.key(True, plain, 1, 40, 5)
    assert unit_memo.key(False, plain, 0, 40, 5) == unit_memo.key(False, commented, 0, 40, 5)  # no code view


@pytest.mark.parametrize("count", [unit_memo.MEMO + 5])
def test_the_memo_is_bounded(monkeypatch, count):
    monkeypatch.setattr(unit_memo, "_memo", {})
    for n in range(count):
        unit_memo.put((n,), ())
        assert len(unit_memo._memo) <= unit_memo.MEMO
