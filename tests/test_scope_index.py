"""Scopes.scope_of (a sorted index of functions, lambdas and classes) finds what walking up node.parent finds."""
from __future__ import annotations

from pathlib import Path

from codescan.analyze import languages
from codescan.analyze.semantics.python_scopes import Scopes, _climb

ROOT = Path(__file__).resolve().parent.parent
TRICKY = b"""
f = lambda x: lambda y: x + y
lambda: 0
@deco(lambda q: q)
class A(B, metaclass=lambda *a: type(*a)):
    x = [lambda: i for i in range(3)]
    def m(self, d=lambda: 1):
        def inner():
            class C: pass
            return C
        return inner
    async def n(self): yield (lambda: (yield))
def broken(:
    x = 1
class D: pass"""


def _all_nodes(root):
    stack = [root]
    while stack:
        node = stack.pop()
        yield node
        stack.extend(node.children)


def test_scope_of_equals_the_walk_up():
    sources = [TRICKY, b"class OnlyOne: pass", b"lambda: 0", b""]
    sources += [p.read_bytes() for p in sorted((ROOT / "codescan" / "analyze" / "semantics").glob("*.py"))[:6]]
    sources += [p.read_bytes() for p in sorted((ROOT / "fixtures" / "rules" / "python").glob("*.py"))[:20]]
    checked = scoped = 0
    for source in sources:
        tree = languages.parser("python").parse(source)
        scopes = Scopes(source, tree.root_node)
        for node in _all_nodes(tree.root_node):
            want = _climb(node)
            got = scopes.scope_of(node)
            assert (got is None) == (want is None), (source[:60], node.type, node.start_point)
            if want is not None:
                assert (got.start_byte, got.end_byte, got.type) == (want.start_byte, want.end_byte, want.type)
                scoped += 1
            checked += 1
    assert checked > 20_000 and scoped > 5_000


def test_a_subtree_root_falls_back_to_the_walk():
    tree = languages.parser("python").parse(TRICKY)
    block = next(n for n in _all_nodes(tree.root_node) if n.type == "block" and b"inner" in n.text)
    scopes = Scopes(TRICKY, block)
    inner = [n for n in _all_nodes(block) if n.type == "identifier"]
    assert inner and all(scopes.scope_of(n) == _climb(n) for n in inner)
    assert _climb(inner[0]) is not None
