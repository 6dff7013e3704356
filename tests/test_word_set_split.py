"""rule_gate.Presence.word_set: the source's distinct runs of word characters, found by translate + split (C)
instead of a regex — the same set for every byte value."""
from __future__ import annotations

import random
import re
from pathlib import Path

from bench import corpus as corpora
from codescan.analyze import rule_gate
from codescan.analyze.rule_gate import Presence

RUNS = re.compile(rb"[A-Za-z0-9_]+")


def test_same_words_as_the_regex_for_any_bytes():
    rng = random.Random(7)
    alphabet = bytes(range(256))
    for _ in range(3000):
        source = bytes(rng.choice(alphabet) if rng.random() < 0.3 else rng.choice(b"ab_Z9 .\t\n\x0b\x0c\r\x1c\xa0")
                       for _ in range(rng.randint(0, 60)))
        assert Presence(source).word_set() == set(RUNS.findall(source)), source


def test_same_words_as_the_regex_on_stdlib_files():
    files = list(corpora.sample(tuple(corpora.collect(corpora.default_root()).python), 40))
    for path in files:
        source = Path(path).read_bytes()
        assert Presence(source).word_set() == set(RUNS.findall(source)), path


def test_no_regex_pass(monkeypatch):
    class Refusing:
        def findall(self, _text):
            raise AssertionError("word_set ran the regex")

    monkeypatch.setattr(rule_gate, "_WORDS", Refusing())
    assert Presence(b"import os\nos.system(cmd_2)  # x\xe9y\n").word_set() == {
        b"import", b"os", b"system", b"cmd_2", b"x", b"y"}
