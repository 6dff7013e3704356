"""A name bound in a function by an assignment or a loop (`f = open(p)`, `for hook in HOOKS`) has its uses climbed in
that function only (python_candidates.ALIAS_IN_SCOPE): another function's `f` is another variable. A `global` or
`nonlocal` name, a module-level name and a class attribute keep every use of the file."""
from __future__ import annotations

from codescan.analyze import languages
from codescan.analyze.semantics.engine import FactRules
from codescan.analyze.semantics.lang import python as adapter
from codescan.analyze.semantics.lang import python_candidates
from codescan.rules import load_rules

OTHERS = b"".join(b"def other%d(p):\n    f = p.lower()\n    f.tidy(p)\n" % i for i in range(40))
SOURCE = b'''
import os
def runner(cmd):
    f = getattr(os, "sys" + "tem")
    f(cmd)
def shared(cmd):
    global g
    g = getattr(os, "po" + "pen")
def later(cmd):
    g(cmd)
G = getattr(os, "system")
def reads(cmd):
    G(cmd)
def outer(cmd):
    h = None
    def inner():
        nonlocal h
        h = getattr(os, "system")
    inner()
    h(cmd)
''' + OTHERS


def _run(source: bytes):
    wanted = FactRules(load_rules().rules).for_language("python")[1]
    facts = adapter._PythonFacts(source, languages.parser("python").parse(source), wanted, None)
    return facts, facts.run().calls


def test_uses_climbed_in_the_binding_function_only(monkeypatch):
    facts, calls = _run(SOURCE)
    found = {(c.callee, c.line) for c in calls}
    assert {("os.system", 5), ("os.system", 13)} <= found
    climbed = {node.text for node in facts.candidates.values()}
    # the local alias, the `global` one read in another function, the module-level one, the `nonlocal` one
    assert {b"f(cmd)", b"g(cmd)", b"G(cmd)", b"h(cmd)"} <= climbed
    assert b"f.tidy(p)" not in climbed  # the other functions' f: not candidates
    monkeypatch.setattr(python_candidates, "ALIAS_IN_SCOPE", False)
    facts_off, calls_off = _run(SOURCE)
    assert b"f.tidy(p)" in {node.text for node in facts_off.candidates.values()}  # every f of the file, before
    assert {(c.callee, c.line) for c in calls_off} == found
