"""Calls met only as the call a name-building call is an argument of (`print(getattr(o, n))`) are not evaluated
when their callee is a plain name or attribute (python.SKIP_ENCLOSING); they never resolve to a wanted name."""
from __future__ import annotations

from pathlib import Path

from bench import corpus as corpora
from codescan.analyze import languages
from codescan.analyze.semantics.engine import FactRules
from codescan.analyze.semantics.lang import python as adapter
from codescan.analyze.semantics.lang import python_calls
from codescan.rules import load_rules
from unwanted_calls import assert_unwanted

TRICKY = b'''
import os, sys, importlib
from os import system as run
launch = os.popen
class K:
    def go(self, n, cmd):
        repr(getattr(os, n)(cmd))
        len(getattr(__builtins__, "ev" + "al")(cmd))
        run(getattr(sys, n))
        launch(getattr(sys, n))
        self.helper(importlib.import_module(n).system(cmd))
        (lambda f: f)(getattr(os, n))(cmd)
        {"a": os.system}["a"](getattr(sys, n))
        os.system(str(globals()[n]))
'''


def _wanted():
    return FactRules(load_rules().rules).for_language("python")[1]


def _run(source: bytes, wanted):
    facts = adapter._PythonFacts(source, languages.parser("python").parse(source), wanted, None)
    return facts, facts.run().calls


def test_only_enclosing_plain_calls_are_left_and_wanted_ones_stay(monkeypatch):
    evaluated = []
    original = adapter.callee_value

    def counting(values, node):
        evaluated.append(node.text.split(b"(")[0])
        return original(values, node)

    monkeypatch.setattr(adapter, "callee_value", counting)
    wanted = _wanted()
    facts, calls = _run(TRICKY, wanted)
    assert b"repr" not in evaluated and b"len" not in evaluated and b"self.helper" not in evaluated
    assert b"run" in evaluated and b"launch" in evaluated  # aliases of wanted names: reached through them too
    on = sorted((c.callee, c.line) for c in calls)
    assert ("os.system", 14) in on and ("os.popen", 10) in on and ("builtins.eval", 8) in on
    monkeypatch.setattr(adapter, "SKIP_ENCLOSING", False)
    evaluated.clear()
    _facts, off = _run(TRICKY, wanted)
    assert b"repr" in evaluated  # the skip is what leaves it out
    assert sorted((c.callee, c.line) for c in off) == on


def test_skipped_enclosing_calls_resolve_to_no_wanted_name():
    wanted = _wanted()
    files = list(corpora.sample(tuple(corpora.collect(corpora.default_root()).python), 120))
    skipped = 0
    for source in [TRICKY] + [Path(p).read_bytes() for p in files]:
        facts, _calls = _run(source, wanted)
        for node in list(facts.candidates.values())[:adapter.MAX_CANDIDATES]:
            if node.id in facts.enclosing and node.child_by_field_name("function").type in ("identifier", "attribute"):
                skipped += 1
                assert_unwanted(facts, wanted, node)
                assert not facts._data_method(node)
    assert skipped > 100  # exercised, not vacuous
    assert python_calls.callee_value is not None
