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


def _big_class(changed: bool) -> bytes:
    """A class of 40 methods, each with a docstring holding an example; one method's body differs when changed."""
    out = [b"import os\n\n\nclass Service:\n    '''Talks to the service.\n\n    Example:\n\n        s = Service()\n"
           b"        s.call(1)\n    '''\n\n"]
    for i in range(40):
        body = b"self.table[a] - 7 * a * a" if changed and i == 17 else b"self.table[a] + %d * a" % i
        out.append(b"    def m%d(self, a):\n        '''Method %d.\n\n        x = self.m%d(a)\n        '''\n"
                   b"        def inner(b):\n            return b * %d\n\n        return %s + inner(a)\n\n"
                   % (i, i, i, i, body))
    out.append(b"\nprint(Service().m3(2))\n")
    return b"".join(out)


def test_a_big_statement_with_one_changed_method_is_walked_a_piece_at_a_time(monkeypatch):
    v1, v2 = _big_class(False), _big_class(True)
    _fresh(v1)
    walked: list[int] = []
    walk_defs, walk_strings = units._walk_definitions, embedded._walk
    monkeypatch.setattr(units, "_walk_definitions",
                        lambda top: walked.append(top.end_byte - top.start_byte) or walk_defs(top))
    monkeypatch.setattr(embedded, "_walk",
                        lambda top, source: walked.append(top.end_byte - top.start_byte) or walk_strings(top, source))
    got = _units(v2)
    tree = languages.parser("python").parse(v2)
    grammar = getattr(tree.language, "name", None) or id(tree.language)
    remembered = (units._remembered_definitions(tree.root_node, None, grammar, v2, split=True),
                  embedded._strings(tree, v2))
    assert 0 < sum(walked) < len(v2) // 8  # the changed method's pieces, not the whole class again
    monkeypatch.undo()
    # the same spans in the same order as one walk of the whole tree, and the same units as a fresh extraction
    assert remembered == (units._walk_definitions(tree.root_node), embedded._walk(tree.root_node, v2))
    assert got == _fresh(v2)


def test_a_remembered_line_gives_its_fingerprints_without_marking_them_again(monkeypatch):
    """The line memo holds the 8-byte fingerprints themselves (plain and comment stem): a line an earlier version had
    costs a lookup, not a mark() per line (163 k calls on the history bench's versions)."""
    text = (b"# download the page and return its decoded text to the caller now\n"
            b"    value = compute_the_value(first_argument, second_argument)\n"
            b"import os\n")
    units._line_memo.clear()
    cold = units.lines(text, prose=False)
    marked = []
    real = units.mark
    monkeypatch.setattr(units, "mark", lambda h, name: marked.append(name) or real(h, name))
    warm = units.lines(b"\n" + text, prose=False)  # every line moved down one row
    assert marked == []
    assert [(u.kind, u.line + 1, u.end_line + 1, u.signature, u.name) for u in cold] == \
        [(u.kind, u.line, u.end_line, u.signature, u.name) for u in warm]
    assert {u.name for u in warm} == {None, "stem"} and len(warm) == 3
