"""DeadWords read from one process-wide table of patterns: the same answers as tables built per pattern set (the
eager form below, as it was), for the rule subsets a scan meets, on stdlib files and tricky words; and a new set
builds no per-pattern table of its own."""
from __future__ import annotations

import random
from pathlib import Path

from bench import corpus as corpora
from codescan.analyze.rule_gate import presence_of
from codescan.analyze.semantics import engine
from codescan.analyze.semantics.wanted import callees_of
from codescan.analyze.semantics.lang import python_dead_words as dw
from codescan.analyze.semantics.lang.python_builders import asked
from codescan.rules import load_rules


class _Eager:
    """The per-set tables DeadWords built before (reference)."""

    def __init__(self, patterns):
        self.never = False
        self._exact: dict = {}
        self._wild: list = []
        for pattern in patterns:
            if "<" in pattern:
                self.never = True
            last, needed = dw._last_needed(pattern)
            if b"*" in last:
                self._wild.append((dw._fits(last), needed))
            else:
                self._exact.setdefault(last, []).append(needed)
        self._heads = frozenset(h for lists in (*self._exact.values(), [n for _r, n in self._wild])
                                for n in lists if n is not None for h in n)

    def for_file(self, words, code_word):
        if self.never or not self._heads:
            return None
        if any(code_word(b) for b in asked(words)):
            return None
        present = frozenset(h for h in self._heads if h in words)

        def dead(word):
            needs = [*self._exact.get(word, ()), *(n for regex, n in self._wild if regex.match(word))]
            return bool(needs) and all(n is not None and not n & present for n in needs)
        return dead


def _subsets():
    rules = engine.FactRules(load_rules().rules).for_language("python")[0]
    pick = random.Random(16)
    out = [rules, rules[:1], rules[-3:]]
    for size in (5, 20, 40, len(rules) - 2, len(rules) - 10, len(rules) - 25):
        for _ in range(3):
            out.append(tuple(pick.sample(rules, max(1, size))))
    return [sorted(callees_of(subset)) for subset in out]


def _words(count: int) -> list[set]:
    files = list(corpora.sample(tuple(corpora.collect(corpora.default_root()).python), count))
    tricky = {b"get", b"post", b"execvp", b"exec", b"execute", b"load", b"loads", b"system", b"popen", b"urlopen",
              b"requests", b"yaml", b"subprocess", b"os", b"pickle", b"commands", b"posix", b"nt", b"urllib2",
              b"getoutput", b"whatever", b"eval", b"run", b"call", b"spawnlp", b"Popen"}
    return [tricky, tricky - {b"requests", b"os"}] + [presence_of(Path(p).read_bytes()).word_set() for p in files]


def test_the_table_gives_the_answers_of_per_set_tables():
    patterns_sets = _subsets() + [["<def:3>.get", "requests.get"], ["requests.*().post", "os.exec*"], ["**.execute"],
                                  ["builtins.eval"], []]
    files = _words(40)
    compared = 0
    for patterns in patterns_sets:
        new, old = dw.DeadWords(patterns), _Eager(patterns)
        for words in files:
            for builds in (False, True):
                a = new.for_file(words, lambda w, b=builds: b)
                b = old.for_file(words, lambda w, b=builds: b)
                assert (a is None) == (b is None), patterns[:5]
                if a is None:
                    continue
                for word in sorted(words)[:3000]:
                    assert a(word) == b(word), (word, patterns[:5])
                    compared += 1
    assert compared > 100_000


def test_a_new_pattern_set_is_read_from_the_table_not_built():
    patterns = sorted(callees_of(engine.FactRules(load_rules().rules).for_language("python")[0]))
    dw.DeadWords(patterns)  # registered
    calls = []
    original = dw._last_needed
    try:
        dw._last_needed = lambda p: calls.append(p) or original(p)
        for size in (50, 100, 200):
            dw.DeadWords(patterns[:size])
    finally:
        dw._last_needed = original
    assert calls == []
