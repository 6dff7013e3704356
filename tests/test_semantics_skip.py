"""The Python adapter's pre-check that skips call candidates: never skips one whose full resolution is wanted."""
from __future__ import annotations

from pathlib import Path

import pytest

from bench import corpus as corpora
from codescan.analyze import languages
from codescan.analyze.semantics.engine import FactRules
from codescan.analyze.semantics.lang import python as adapter
from codescan.analyze.semantics.lang.python_skip import Skips, cannot_be_wanted, skips_for
from codescan.rules import load_rules
from unwanted_calls import assert_unwanted

TRICKY = b'''
import os
class Runner:
    def __init__(self):
        self.go = os.system
        self.later = None
    def copy(self, x):
        return self.go(x)
    def start(self):
        self.later = os.popen
        self.later("ls")
        self.copy("id")
def run(d, req):
    d.copy()
    req.args.get("x")
    Runner().copy("ls")
'''


def _wanted():
    rules, wanted, _compiled = FactRules(load_rules().rules).for_language("python")
    return wanted


def _check(source: bytes, wanted) -> tuple[int, int]:
    """(candidates skipped, candidates) of one file; fails when a skipped one resolves to a wanted name."""
    tree = languages.parser("python").parse(source)
    facts = adapter._PythonFacts(source, tree, wanted, None)
    facts.run()
    skips = skips_for(wanted)
    allowed = skips.file_allows(source, facts.values.scopes)
    skipped = 0
    for node in facts.candidates.values():
        if not (allowed and cannot_be_wanted(skips, source, node)):
            continue
        skipped += 1
        assert_unwanted(facts, wanted, node)
    return skipped, len(facts.candidates)


def test_skip_agrees_with_full_resolution_on_stdlib_files():
    root = corpora.default_root()
    files = list(corpora.sample(tuple(corpora.collect(root).python), 120))
    wanted = _wanted()
    skipped = total = 0
    for path in files:
        try:
            source = Path(path).read_bytes()
        except OSError:
            continue
        got = _check(source, wanted)
        skipped += got[0]
        total += got[1]
    assert total > 500 and skipped > 100  # the check is exercised, not vacuous


def _calls(node):
    out = []
    if node.type == "call":
        out.append(node)
    for child in node.children:
        out.extend(_calls(child))
    return out


def test_self_attributes_assigned_anywhere_are_not_skipped():
    skips = Skips(["os.system", "os.popen"])
    tree = languages.parser("python").parse(TRICKY)
    calls = {n.text.decode(): n for n in _calls(tree.root_node)}
    assert not cannot_be_wanted(skips, TRICKY, calls["self.go(x)"])  # self.go = os.system
    assert not cannot_be_wanted(skips, TRICKY, calls['self.later("ls")'])  # assigned later in the class
    assert cannot_be_wanted(skips, TRICKY, calls["d.copy()"])
    assert cannot_be_wanted(skips, TRICKY, calls['Runner().copy("ls")'])  # a same-file method: <def:N>
    assert not cannot_be_wanted(Skips(["request.args.get"]), TRICKY, calls['req.args.get("x")'])


def test_facts_are_the_same_with_and_without_skipping(monkeypatch):
    wanted = _wanted()
    root = corpora.default_root()
    files = list(corpora.sample(tuple(corpora.collect(root).python), 40))
    sources = [TRICKY] + [Path(p).read_bytes() for p in files]

    def facts_of(source):
        tree = languages.parser("python").parse(source)
        return [(c.callee, c.line, c.column, c.via) for c in adapter.facts(source, tree, wanted, None).calls]

    with_skips = [facts_of(s) for s in sources]
    monkeypatch.setattr(Skips, "file_allows", lambda self, *args: False)
    assert [facts_of(s) for s in sources] == with_skips


def test_files_naming_a_wildcard_module_or_building_names_are_not_skipped():
    skips = Skips(["requests.*", "os.system"])
    assert not skips.file_allows(b"import requests as r\nr.copy()\n")
    assert not skips.file_allows(b"m = __import__('req' + 'uests')\nm.copy()\n")
    assert not skips.file_allows(b"import builtins\nm = getattr(builtins, 'y')\n")
    assert not skips.file_allows(b"m = getattr(importlib, 'import_' + 'module')('x')\n")
    assert not skips.file_allows(b"m = sys.modules['requests']\n")
    assert skips.file_allows(b"import json\nm = getattr(json, 'dumps')\n")
    assert not skips.attr_possible("copy") and skips.attr_possible("system")
    assert Skips(["**.*"]).never and Skips(["builtins.*"]).never and Skips(["*foo*"]).never
    assert not Skips(["subprocess.*"]).file_allows(b"import commands\n")  # canonical(): commands -> subprocess


@pytest.mark.parametrize("pattern,attr", [("os.exec*", "execv"), ("**.recv", "recv"),
                                          ("System.Net.Http.HttpClient.*Async", "GetAsync")])
def test_wildcard_last_parts_are_possible(pattern, attr):
    assert Skips([pattern]).attr_possible(attr)
