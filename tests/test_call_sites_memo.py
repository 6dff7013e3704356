"""python_callsites: a same-file function's call sites are evaluated once per file, however many sinks its
parameters reach and however many hops out ask; the facts are those of asking each time."""
from __future__ import annotations

from pathlib import Path

from bench import corpus as corpora
from codescan.analyze import languages
from codescan.analyze.semantics.engine import FactRules
from codescan.analyze.semantics.lang import python as adapter
from codescan.analyze.semantics.lang import python_callsites
from codescan.rules import load_rules

TWO_SINKS = b'''
import os, subprocess, pickle

def run(cmd, blob):
    os.system(cmd)
    subprocess.call(cmd, shell=True)
    pickle.loads(blob)

def outer(c, b):
    run(c, b)
    run("ls " + c, b)

def main(request):
    outer(request.args["c"], request.data)
    run("id", b"")
'''


def _wanted():
    return FactRules(load_rules().rules).for_language("python")[1]


def _facts(source: bytes, wanted):
    tree = languages.parser("python").parse(source)
    return [(c.callee, c.line, c.column, c.via, c.args, c.kwargs, c.trace)
            for c in adapter.facts(source, tree, wanted, None).calls]


def test_call_sites_of_a_function_are_evaluated_once(monkeypatch):
    asked: list[int] = []
    site_nodes = python_callsites.CallSites._site_nodes
    monkeypatch.setattr(python_callsites.CallSites, "_site_nodes",
                        lambda self, start: asked.append(start) or site_nodes(self, start))
    facts = _facts(TWO_SINKS, _wanted())
    assert sum(1 for fact in facts if fact[0] == "os.system") >= 3  # the sink, at run's 3 call sites, 1 hop further
    assert asked and len(asked) == len(set(asked))


def test_facts_are_the_same_as_asking_each_time(monkeypatch):
    wanted = _wanted()
    files = corpora.sample(tuple(corpora.collect(corpora.default_root()).python), 40)
    sources = [TWO_SINKS] + [Path(p).read_bytes() for p in files]
    once = [_facts(s, wanted) for s in sources]
    monkeypatch.setattr(python_callsites, "SITES_MEMO", False)
    assert [_facts(s, wanted) for s in sources] == once
    assert sum(len(f) for f in once) > 100
