"""The per-call head check that skips Python call candidates: never skips one whose full resolution is wanted."""
from __future__ import annotations

from pathlib import Path

from bench import corpus as corpora
from codescan.analyze import languages
from codescan.analyze.semantics.engine import FactRules
from codescan.analyze.semantics.lang import python as adapter
from codescan.analyze.semantics.lang.python_calls import callee_value
from codescan.analyze.semantics.lang.python_heads import Heads, NeededHeads, needed_for, no_wanted_head
from codescan.analyze.semantics.lang.python_values import PyValues
from codescan.analyze.semantics.names import canonical
from codescan.rules import load_rules

TRICKY = b'''
import os
import subprocess as sp
from flask import request as rq
import commands
class Runner:
    def __init__(self):
        self.go = os.system
        self.gone = None
        self.helper: object = sp
    def start(self, d, req, mod):
        self.go("x")
        self.gone.get("y")
        self.helper.call("z")
        d.call("id")
        alias = sp
        alias.call("ls")
        other = alias
        other.call("ls")
        local = {}
        local.call("ls")
        req.args.get("k")
        rq.args.get("k")
        mod.call("ls")
        commands.getoutput("ls")
        self.run("ls")
    def run(self, c):
        return c
'''


def _wanted():
    rules, wanted, _compiled = FactRules(load_rules().rules).for_language("python")
    return wanted


def _calls(node):
    out = [node] if node.type == "call" else []
    for child in node.children:
        out.extend(_calls(child))
    return out


def _skipped(source: bytes, patterns) -> dict[str, bool]:
    tree = languages.parser("python").parse(source)
    needed, heads = NeededHeads(patterns), Heads(PyValues(source, tree.root_node, None))
    return {n.text.decode(): no_wanted_head(needed, heads, n) for n in _calls(tree.root_node)}


def test_heads_follow_imports_assignments_and_self_writes():
    got = _skipped(TRICKY, ["subprocess.call", "os.system", "request.args.get", "subprocess.getoutput"])
    assert not got['self.go("x")']  # self.go = os.system somewhere in the file
    assert not got['self.helper.call("z")']  # an annotated assignment
    assert not got['alias.call("ls")'] and not got['other.call("ls")']  # assigned from an imported module
    assert not got['req.args.get("k")'] and not got['rq.args.get("k")']  # request, by name or through flask
    assert not got['commands.getoutput("ls")']  # canonical(): commands -> subprocess
    assert got['d.call("id")'] and got['local.call("ls")'] and got['mod.call("ls")']
    assert got['self.run("ls")']  # a method of the class: <def:N>
    assert got['self.gone.get("y")']  # self.gone is only ever None: no name


CALLS = b'''
import subprocess, os
def f(p, name):
    fh = open(p)
    fh.write("x")
    proc = subprocess.Popen(p)
    proc.write("x")
    with subprocess.Popen(p) as child:
        child.write("x")
    with open(p) as out:
        out.write("x")
    g = getattr
    g(os, name).write("x")
    mod = __import__(name)
    mod.write("x")
    table = {"a": os}
    table.get(name).write("x")
    f(p, name).write("x")
'''


def test_calls_keep_their_callee_head_except_the_ones_that_build_names():
    got = _skipped(CALLS, ["subprocess.*().write"])
    assert got['fh.write("x")'] and got['out.write("x")']  # builtins.open(): no subprocess head
    assert not got['proc.write("x")'] and not got['child.write("x")']  # subprocess.Popen()
    assert not got['g(os, name).write("x")'] and not got['mod.write("x")']  # getattr / __import__ build names
    assert not got['table.get(name).write("x")']  # a table pick
    assert not got['f(p, name).write("x")']  # a same-file function: its summary may return anything


def test_prefix_writes_count_as_writes_of_self_attributes():
    # the evaluator reads `self.go` from `self.gone = ...` too (a text search for `self.go`): so must the check
    source = b"import os\nclass A:\n    def f(self):\n        self.gone = os\n        self.go.system('x')\n"
    assert not _skipped(source, ["os.system"])["self.go.system('x')"]


def test_patterns_with_any_head_or_whole_names_need_evaluation():
    needed = NeededHeads(["**.execute", "*.post", "fetch", "requests.*", "os.exec*", "http.client.*().request"])
    assert needed.for_attr("execute") is None and needed.for_attr("post") is None
    assert needed.for_attr("fetch") is None and needed.for_attr("req") is None
    assert needed.for_attr("copy") == {"requests"}
    assert needed.for_attr("execv") == {"requests", "os"}
    assert needed.for_attr("request") is None  # a request name: `self.request` is `request`
    assert NeededHeads(["<def:1>.x"]).for_attr("y") is None


def test_check_agrees_with_full_resolution_on_stdlib_files():
    wanted = _wanted()
    files = list(corpora.sample(tuple(corpora.collect(corpora.default_root()).python), 120))
    skipped = total = 0
    for path in [None, *files]:
        source = TRICKY if path is None else Path(path).read_bytes()
        tree = languages.parser("python").parse(source)
        facts = adapter._PythonFacts(source, tree, wanted, None)
        facts.run()
        needed, heads = needed_for(wanted), Heads(facts.values)
        for node in facts.candidates.values():
            total += 1
            if not no_wanted_head(needed, heads, node):
                continue
            skipped += 1
            callee = callee_value(facts.values, node)
            names = [callee.name] if callee.name else [c.name for c in callee.choices if c.name]
            for name in names:
                assert not wanted.wants(canonical(name) or ""), (path, name, node.text[:80])
    assert total > 500 and skipped > total // 5  # exercised, not vacuous


def test_facts_are_the_same_with_and_without_the_check(monkeypatch):
    wanted = _wanted()
    files = list(corpora.sample(tuple(corpora.collect(corpora.default_root()).python), 40))
    sources = [TRICKY] + [Path(p).read_bytes() for p in files]

    def facts_of(source):
        tree = languages.parser("python").parse(source)
        return [(c.callee, c.line, c.column, c.via, c.args, c.kwargs)
                for c in adapter.facts(source, tree, wanted, None).calls]

    with_check = [facts_of(s) for s in sources]
    monkeypatch.setattr(adapter, "no_wanted_head", lambda *args: False)
    assert [facts_of(s) for s in sources] == with_check
