"""Rule subsets: their Wanted answers as one regex over their patterns would, without compiling one per subset;
the per-subset builds (dead words, needed heads, skips) are kept for many subsets."""
from __future__ import annotations

import re
from pathlib import Path

from bench import corpus as corpora
from codescan.analyze.semantics import engine, wanted as wanted_module
from codescan.analyze.semantics.engine import FactRules
from codescan.analyze.semantics.wanted import Wanted, _WildSubset
from codescan.analyze.semantics.lang import python_skip
from codescan.analyze.semantics.lang.python_dead_words import dead_words_for
from codescan.analyze.semantics.names import pattern_regex
from codescan.rules import load_rules


def _callees(patterns) -> list[str]:
    """Names each pattern matches and near misses: its wildcards filled in several ways, parts dropped or added."""
    out = set()
    for pattern in patterns:
        for fill, deep in (("x", "p.q"), ("", "")):
            name = pattern.replace("**", "\0").replace("*", fill).replace("\0", deep)
            out.update({name, name + "x", "z." + name, name.rsplit(".", 1)[0]})
    return sorted(out)


def test_subset_wanted_answers_as_its_own_regex(monkeypatch):
    monkeypatch.setattr(wanted_module, "_COMPILED", {})  # (other tests' Wanted without a prefilter leave their regexes)
    monkeypatch.setattr(wanted_module, "_WANTED", {})
    rules = FactRules(load_rules().rules)
    _all, whole, _compiled = rules.for_language("python")
    callees = _callees(whole.patterns) + ["os.system", "subprocess.Popen", "requests.get", "builtins.eval", "x.recv",
                                         "a.b().getresponse", "urlopen", "os.execvp", "os.spawnl", ""]
    files = corpora.sample(tuple(corpora.collect(corpora.default_root()).python), 120)
    subsets = {}
    for path in files:
        wanted, _chosen = rules.active("python", Path(path).read_bytes())
        if wanted is not None and wanted is not whole:
            subsets[id(wanted)] = wanted
    assert len(subsets) >= 5
    for wanted in list(subsets.values())[:6]:
        wild = tuple(p for p in wanted.patterns if "*" in p)
        assert isinstance(wanted._callee, _WildSubset)  # no regex of its own
        reference = pattern_regex(wild)
        for callee in callees:
            expected = callee in wanted._exact or reference.match(callee) is not None
            assert wanted.wants(callee) == expected, callee
            assert wanted.wants(callee) == expected, callee  # (again: memoized)
    assert not any(key[0] == "callee" and key[1] != tuple(p for p in whole.patterns if "*" in p)
                   for key in wanted_module._COMPILED)


def test_a_wanted_without_a_prefilter_keeps_its_regex():
    rules = load_rules().rules
    wanted = Wanted([r for r in rules if r.facts is not None and "python" in r.languages][:20])
    assert wanted._callee is None or isinstance(wanted._callee, re.Pattern)


def test_per_subset_builds_are_kept_for_many_subsets(monkeypatch):
    built = []

    class Counted(python_skip.Skips):
        def __init__(self, patterns):
            built.append(tuple(patterns))
            super().__init__(patterns)

    class Fake:
        def __init__(self, n):
            self.patterns = [f"m{n}.f", "os.system"]

    monkeypatch.setattr(python_skip, "_BUILT", {})
    fakes = [Fake(n) for n in range(100)]
    for _round in range(2):
        for fake in fakes:
            python_skip.for_patterns(Counted, fake)
            dead_words_for(fake)
    assert len(built) == 100  # each built once: 64 entries were cleared over and over


def test_a_subsets_patterns_are_the_union_of_its_rules_kept_per_rule(monkeypatch):
    """active() takes a subset's patterns from each rule's, kept when the engine is made (callees_of was run over the
    subset's rules twice per new subset: for the key and in Wanted); the same patterns as callees_of gives."""
    monkeypatch.setattr(wanted_module, "_WANTED", {})
    rules = FactRules(load_rules().rules)
    rules.for_language("python")
    asked = []
    original = engine.callees_of
    monkeypatch.setattr(engine, "callees_of", lambda chosen: asked.append(len(chosen)) or original(chosen))
    monkeypatch.setattr(wanted_module, "callees_of", lambda chosen: asked.append(len(chosen)) or original(chosen))
    files = corpora.sample(tuple(corpora.collect(corpora.default_root()).python), 60)
    seen = 0
    for path in files:
        wanted, chosen = rules.active("python", Path(path).read_bytes())
        if wanted is not None:
            seen += 1
            assert wanted.patterns == sorted(original(tuple(rule for rule, _r in chosen)))
    assert seen >= 30 and asked == []
