"""What a worker remembers between versions (a docstring's example units, a line's fingerprint) gives the units a
fresh extraction gives, moved to where the string or line is in this version."""
from __future__ import annotations

from codescan.analyze import languages
from codescan.cluster import embedded, tokenwalk, units

DOC = b'''def fetch(url):
    """Fetch a page.

    Example:

        import urllib.request
        data = urllib.request.urlopen(url).read()
        exec(data.decode("utf-8"), {"__name__": "x"})
    """
    # download the page and return its decoded text to the caller now
    return url.upper()  # a line long enough to be fingerprinted here
'''


def _units(source: bytes):
    tree = languages.parser("python").parse(source)
    return [(u.kind, u.line, u.end_line, u.signature, u.name, u.tokens) for u in units.extract(tree, source, "python")]


def _fresh(source: bytes):
    for memo in (embedded._memo, embedded._walks, units._line_memo, units._def_memo, tokenwalk._memo):
        memo.clear()
    return _units(source)


def test_remembered_units_equal_fresh_ones_and_move_with_the_text():
    first = _fresh(DOC)
    assert any(k == "block" and line >= 5 for k, line, *_ in first)  # the docstring's example is a unit
    assert any(k == "line" and n == "stem" for k, _l, _e, _s, n, _t in first)
    assert len(embedded._memo) == 1 and units._line_memo and embedded._walks and units._def_memo
    assert _units(DOC) == first  # all from the memos
    moved = b"import os\n\n\n" + DOC
    assert _units(moved) == _fresh(moved)
    shifted = {(k, line + 3, end + 3, s, n) for k, line, end, s, n, _t in first if k != "file"}
    assert shifted <= {(k, line, end, s, n) for k, line, end, s, n, _t in _units(moved)}


def test_big_units_min_hashed_a_statement_at_a_time_equal_whole_ones(monkeypatch):
    from codescan.cluster import minhash

    methods = b"".join(b"    def m%d(self, a):\n        return self.table[a] + %d * a\n\n" % (i, i) for i in range(60))
    v1 = b"import os\n\n\nclass Big:\n" + methods + b"\nprint(Big().m3(2))\n"
    v2 = v1.replace(b"+ 7 * a", b"- 7 * a * a")
    minhash._memo.clear()
    _fresh(v1)
    cut = _units(v2)  # most statements' min-hashes from the memo
    assert any(k in ("class", "file") and t >= units.CUT_TOKENS for k, _l, _e, _s, _n, t in cut)
    monkeypatch.setattr(units, "CUT_TOKENS", 10 ** 9)
    minhash._memo.clear()
    assert _fresh(v2) == cut
