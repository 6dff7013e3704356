"""python_bound: whether a name is bound anywhere in a file — every binding form found (Python's symtable as the
oracle), names only read skip the scope index, and entries() answers as before."""
from __future__ import annotations

import re
import symtable
import sys
import unicodedata
import warnings
from pathlib import Path

import pytest

from bench import corpus as corpora
from codescan.analyze import languages
from codescan.analyze.semantics import python_scopes
from codescan.analyze.semantics.python_bindings import _classify
from codescan.analyze.semantics.python_bound import ASKED, _search, bound_anywhere, read_only
from codescan.analyze.semantics.python_scopes import Scopes, _whole_words

# each name is bound by one form only (b_*: the name bound; the rest are only read)
FORMS = b'''
import b_import1, r_mod.sub as b_import3
from mod import b_from1, r_from2 as b_from3
from mod import (b_from4,
    b_from5)
from __future__ import annotations
b_assign = 1
b_chain1 = b_chain2 = read1
b_tuple1, (b_tuple2, [b_tuple3, *b_star]) = read2
[b_list1, b_list2] = read3
(b_paren) = 2
b_ann: int = 3
b_ann_only: str
b_aug += 1
b_aug2 //= 2
b_aug3 <<= 1
b_aug4 **= 2
b_neg =-1
b_sub[read4] = 5
if read5: b_inline = 1
print(b_walrus := 4)
for b_for1, b_for2 in read6: pass
for (b_for3) in read7: pass
with read8() as b_with1, read9() as (b_with2, b_with3): pass
with (read10() as b_with4): pass
try:
    pass
except read11 as b_except:
    pass
try:
    pass
except* read12 as b_except2:
    pass
def b_def(b_p1, b_p2=read13, *b_args, b_kwonly, b_kwdefault: int = 1, **b_kwargs) -> None:
    global b_global
    b_global = 1
    def inner():
        nonlocal b_p1
        b_p1 = 2
async def b_async(b_p3: int, /, b_p4): pass
class b_class(read14): pass
@read15
class b_decorated: pass
lam = lambda b_lp1, b_lp2=1, *b_lp3, **b_lp4: b_lp1
comp = [read16 for b_comp1 in read17 if (b_comp2 := read16)]
gen = {b_comp3: b_comp4 for b_comp3, b_comp4 in read18}
del b_del1, (b_del2, b_del3)
match read19:
    case [b_case1, *b_case2, {"k": b_case3, **b_case4}] if read20:
        pass
    case read21(key=b_case5) | (b_case6 as b_case7):
        pass
    case str() as b_case8:
        pass
    case b_case9:
        pass
def \\
    b_continued(): pass
'''
ONLY_READ = {"read%d" % i for i in range(1, 22)} | {"print", "int", "str", "mod", "sub", "None", "r_mod", "r_from2"}


class _Searched(Scopes):
    """Scopes whose bound_anywhere searches every name (Scopes searches for the builtins only)."""

    def bound_anywhere(self, name: str) -> bool:
        return bound_anywhere(self, name)


def _scopes(source: bytes) -> Scopes:
    return _Searched(source, languages.parser("python").parse(source).root_node)


def _symtable_bound(source: bytes, path: str = "<forms>") -> set[str]:
    """Names Python itself binds somewhere in the module (any scope). A private name in a class is given as
    symtable mangles it (`__x` in class C: `_C__x`) and as written; a name spelled with compatibility
    characters (`ｗｉｄｔｈ`, normalised to `width`) is left out: the index and the layer read names as written."""
    text = source.decode("utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        top = symtable.symtable(text, path, "exec")
    normalised = {unicodedata.normalize("NFKC", w) for w in re.findall(r"\w+", text) if not w.isascii()}
    out, stack = set(), [(top, None)]
    while stack:
        table, owner = stack.pop()
        owner = table.get_name() if table.get_type() == "class" else owner
        stack.extend((child, owner) for child in table.get_children())
        for sym in table.get_symbols():
            if sym.is_assigned() or sym.is_imported() or sym.is_parameter() or sym.is_namespace() \
                    or sym.is_declared_global() or sym.is_nonlocal():
                name = sym.get_name()
                if not name.isidentifier() or name in normalised:
                    continue
                prefix = "_" + owner.lstrip("_") + "__" if owner else None
                out.add((name, "__" + name[len(prefix):]) if prefix and name.startswith(prefix) else (name,))
    return out


def _missed(scopes: Scopes, oracle: set) -> list:
    return sorted(names for names in oracle if not any(scopes.bound_anywhere(n) for n in names))


def test_every_binding_form_is_found():
    scopes = _scopes(FORMS)
    assert scopes.clean
    written = {w.decode() for w in re.findall(rb"\bb_\w+", FORMS)}
    assert len(written) >= 69
    oracle = _symtable_bound(FORMS)
    # (`b_sub[k] = v` binds nothing; the index records it as a mutation)
    assert written <= {names[0] for names in oracle} | {"b_sub"}
    assert sorted(name for name in written if not scopes.bound_anywhere(name)) == []
    assert _missed(scopes, oracle) == []


def test_names_only_read_are_not_bound():
    scopes = _scopes(FORMS)
    assert sorted(name for name in ONLY_READ if scopes.bound_anywhere(name)) == []
    source = (b"n = len(x) + len (y) - len.__name__\nif isinstance(n, (int, str)) and len == f or len <= 2:\n"
              b"    print(len ** 2, len != 3, len // 2, f(len=1))\n@len\ndef g(a: int, b: list[str]) -> str: pass\n")
    scopes = _scopes(source)
    assert [scopes.bound_anywhere(n) for n in ("len", "isinstance", "int", "str", "list", "print", "x")] == [False] * 7
    assert scopes.bound_anywhere("n") and scopes.bound_anywhere("g") and scopes.bound_anywhere("a")


@pytest.mark.skipif(sys.version_info < (3, 12), reason="type parameters need Python 3.12's symtable")
def test_type_parameters_match_python():
    source = b"def f[T, *Ts, **P](x: T) -> T: pass\nclass C[U]: pass\ntype Alias[V] = list[V]\n"
    scopes = _scopes(source)
    assert _missed(scopes, _symtable_bound(source)) == []


def test_type_parameters_are_bound():
    scopes = _scopes(b"def f[T, *Ts, **P](x: T) -> list[T]: pass\nclass C[U]: pass\ntype Alias[V] = list[V]\n")
    assert all(scopes.bound_anywhere(n) for n in ("T", "Ts", "P", "U", "Alias", "V", "f", "C", "x"))
    assert not scopes.bound_anywhere("list")


def test_a_tree_with_errors_or_a_subtree_proves_nothing():
    scopes = _scopes(b"x = len(\ndef (:\n")
    assert not scopes.clean and scopes.bound_anywhere("len")
    source = b"def f():\n    return len(x)\n"
    tree = languages.parser("python").parse(source)
    assert Scopes(source, tree.root_node.children[0]).bound_anywhere("len")


def _stdlib(count: int) -> list[tuple[str, bytes]]:
    files = corpora.sample(tuple(corpora.collect(corpora.default_root()).python), count)
    return [(str(p), Path(p).read_bytes()) for p in files]


def test_private_and_compatibility_spellings():
    source = "class C:\n    __x = 1\n    def m(self):\n        ｗｉｄｔｈ = 2\n".encode()
    oracle = _symtable_bound(source)
    assert ("_C__x", "__x") in oracle and not any("width" in names for names in oracle)
    assert _missed(_scopes(source), oracle) == []


def test_python_agrees_on_stdlib_files():
    """symtable's bound names are all bound_anywhere; and an occurrence the text calls read-only is never one
    the scope index would record as a binding."""
    checked = read = 0
    for path, source in _stdlib(60):
        try:
            oracle = _symtable_bound(source, path)
        except (SyntaxError, UnicodeDecodeError, ValueError):
            continue
        scopes = _scopes(source)
        if not scopes.clean:
            continue
        checked += 1
        assert _missed(scopes, oracle) == [], path
        for name in {m.decode() for m in re.findall(rb"[A-Za-z_]\w*", source)}:
            encoded = name.encode()
            searched = {m.start() for m in _search(name)(source)} if name in ASKED else None
            for at in _whole_words(source, encoded, 0, len(source)):
                if read_only(source, at, at + len(encoded)) or (searched is not None and at not in searched):
                    read += 1
                    node = scopes.locate(at, at + len(encoded))
                    if node is not None and node.type == "identifier" and node.start_byte == at:
                        assert _classify(node)[0] in (None, "skip"), (path, name, at)
    assert checked >= 50 and read > 10000


def test_entries_are_unchanged_and_builtins_are_not_indexed(monkeypatch):
    skipped = 0
    # files that read `len`, picked by that property so the count does not depend on the stdlib's layout
    files = [(path, source) for path, source in _stdlib(120) if b"len(" in source][:20]
    assert len(files) >= 10
    for path, source in files:
        tree = languages.parser("python").parse(source)
        identifiers = [n for n in _identifiers(tree.root_node)]
        monkeypatch.setattr(python_scopes, "BOUND_CHECK", False)
        before = Scopes(source, tree.root_node)
        expected = [before.entries(n) for n in identifiers]
        monkeypatch.setattr(python_scopes, "BOUND_CHECK", True)
        after = Scopes(source, tree.root_node)
        assert [after.entries(n) for n in identifiers] == expected, path
        if b"len(" in source and "len" not in after._indexed and "len" not in after._scanned:
            skipped += 1  # every `len` read, and the name never indexed
    assert skipped >= len(files) * 3 // 4
    scopes = _scopes(b"def f(x):\n    return len(x) + len(x.y)\n")
    at = scopes.source.index(b"len")
    assert scopes.entries(scopes.locate(at, at + 3)) is None and "len" not in scopes._scanned


def _identifiers(node):
    stack = [node]
    while stack:
        current = stack.pop()
        if current.type == "identifier":
            yield current
        stack.extend(current.children)
