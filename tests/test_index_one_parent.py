"""Scopes._index_range reads each occurrence's parent once (ONE_PARENT): the same index as the plain loop."""
from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from bench import corpus as corpora
from codescan.analyze import languages
from codescan.analyze.semantics import python_scopes
from codescan.analyze.semantics.python_scopes import MODULE, Scopes

SOURCE = b"""import os
from a.b import c as d
x = 1
x += 2
def f(x, *rest, y=3, **kw):
    global g
    g = x
    for k, v in os.environ.items():
        x = v
    with open(x) as fh:
        data = fh.read()
    (z := x)
    self.x = x
    return [x for x in rest]
class K:
    x = 4
    def x(self): return x
lambda x: x
"""


def _index(source: bytes, names, monkeypatch, one_parent: bool):
    """Every name indexed over the whole file and over each function it is bound in, as comparable data."""
    monkeypatch.setattr(python_scopes, "ONE_PARENT", one_parent)
    tree = languages.parser("python").parse(source)
    scopes = Scopes(source, tree.root_node)
    for name in names:
        for (scope, bound), _entries in list(scopes.bindings.items()):
            if bound == name and scope != MODULE:
                node = scopes.locate(scope, scope + 1, named=False)
                while node is not None and node.start_byte == scope and node.type not in (
                        "function_definition", "class_definition", "lambda"):
                    node = node.parent
                if node is not None and node.start_byte == scope:
                    scopes._index_scope(name, node)
        scopes.index(name)
    bindings = {key: [(kind, getattr(value, "start_byte", value), getattr(value, "type", None))
                      for kind, value in found] for key, found in scopes.bindings.items()}
    uses = {name: [(u.start_byte, u.end_byte) for u in found] for name, found in scopes.uses.items()}
    return bindings, uses, dict(scopes.scopes_of), dict(scopes._scanned)


def test_same_index_on_every_binding_form(monkeypatch):
    names = ["x", "os", "d", "g", "rest", "y", "kw", "k", "v", "fh", "data", "z", "self", "K", "f"]
    on = _index(SOURCE, names, monkeypatch, True)
    assert on == _index(SOURCE, names, monkeypatch, False)
    kinds = {kind for found in on[0].values() for kind, _s, _t in found}
    assert {"import", "assign", "augassign", "param", "for", "with", "walrus", "def", "class", "other"} <= kinds


def test_same_index_on_stdlib_files(monkeypatch):
    files = list(corpora.sample(tuple(corpora.collect(corpora.default_root()).python), 25))
    bound = 0
    for path in files:
        source = Path(path).read_bytes()
        words = re.findall(rb"[A-Za-z_][A-Za-z0-9_]*", source)
        names = [w.decode() for w, _n in Counter(words).most_common(120)]
        on = _index(source, names, monkeypatch, True)
        assert on == _index(source, names, monkeypatch, False), path
        bound += sum(len(found) for found in on[0].values())
    assert bound > 1000


def test_classify_is_given_the_parent(monkeypatch):
    """The loop hands _classify the parent it read (else _classify reads .parent again, a walk from the root)."""
    asked_alone = []
    original = python_scopes._classify

    def recording(node, parent=None):
        if parent is None:
            asked_alone.append(node.start_byte)
        return original(node, parent)

    monkeypatch.setattr(python_scopes, "_classify", recording)
    monkeypatch.setattr(python_scopes, "ONE_PARENT", True)
    scopes = Scopes(SOURCE, languages.parser("python").parse(SOURCE).root_node)
    scopes.index("x")
    assert scopes.bindings[(MODULE, "x")] and scopes.uses["x"]
    assert asked_alone == []
