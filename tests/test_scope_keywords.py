"""python_scope_index: the scopes of a top-level statement found from their keywords equal the tree query's."""
from __future__ import annotations

from pathlib import Path

from bench import corpus as corpora
from codescan.analyze import languages
from codescan.analyze.semantics import python_scope_index
from codescan.analyze.semantics.python_scope_index import scope_index
from codescan.analyze.semantics.python_scopes import Scopes

TRICKY = b'''
"""def f(): class C: lambda"""
# def commented(): pass
@decorator(lambda x: x)
async def outer(a=lambda: 1, *, b=(lambda y, z: y)):
    class Inner(Base, metaclass=lambda *a: type(*a)):
        def method(self): return f"{(lambda: 'def')()}"
    undefined = classify = lambda_ = 0
    return [lambda: i for i in range(3)]
class Empty: pass
x = {"class": lambda: None, "def": 1}
'''


def _spans(top, source):
    starts, ends, nodes, parents = scope_index(top, source)
    return starts, ends, [(n.type, n.start_byte, n.end_byte) for n in nodes], nodes, parents


def test_keywords_give_the_query_scopes_on_tricky_and_stdlib_sources():
    sources = [TRICKY] + [Path(p).read_bytes()
                          for p in corpora.sample(tuple(corpora.collect(corpora.default_root()).python), 60)]
    parser = languages.parser("python")
    statements = scopes = 0
    for source in sources:
        tree = parser.parse(source)
        if tree.root_node.has_error:
            continue
        for top in tree.root_node.children:
            by_query, by_text = _spans(top, None), _spans(top, source)
            assert by_text == by_query, top.start_byte
            statements += 1
            scopes += len(by_text[0])
    assert statements > 1000 and scopes > 1000
    tricky = parser.parse(TRICKY).root_node.children
    assert [n.type for n in scope_index(tricky[2], TRICKY)[2]] == [  # (the decorator's lambda first)
        "lambda", "function_definition", "lambda", "lambda", "class_definition", "lambda", "function_definition",
        "lambda", "lambda"]


def test_a_clean_tree_needs_no_query_and_an_error_tree_uses_it(monkeypatch):
    def no_query(_top):
        raise AssertionError("query used")

    monkeypatch.setattr(python_scope_index, "_by_query", no_query)
    tree = languages.parser("python").parse(TRICKY)
    scopes = Scopes(TRICKY, tree.root_node)
    inner = scopes.locate(TRICKY.index(b"self"), TRICKY.index(b"self") + 4)
    assert scopes.scope_of(inner).type == "function_definition"
    broken = TRICKY + b"def (:\n"
    tree = languages.parser("python").parse(broken)
    scopes = Scopes(broken, tree.root_node)
    assert not scopes.clean
    try:
        scopes.scope_of(scopes.locate(broken.index(b"self"), broken.index(b"self") + 4))
    except AssertionError as error:
        assert "query used" in str(error)
    else:
        raise AssertionError("an error tree must be read by the query")
