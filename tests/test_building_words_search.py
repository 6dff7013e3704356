"""python_builders: a building word's whole-word occurrences are searched with the word first (a leading
look-behind made the regex try every offset of the file); the same matches as the look-behind form."""
from __future__ import annotations

import random
import re
from pathlib import Path

from bench import corpus as corpora
from codescan.analyze.semantics.lang.python_builders import WORDS, _whole


def _reference(word: bytes, source: bytes) -> list[tuple[int, int]]:
    return [m.span() for m in re.finditer(rb"(?<![\w$])" + re.escape(word) + rb"(?![\w$])", source)]


def test_same_matches_as_the_look_behind_form():
    rng = random.Random(11)
    glue = [b" ", b".", b"_", b"$", b"x", b"(", b"\n", b"1", b"\xc3\xa9"]
    sources = [Path(p).read_bytes() for p in corpora.sample(tuple(corpora.collect(corpora.default_root()).python), 30)]
    sources += [b"".join(rng.choice((*WORDS, *glue)) for _ in range(rng.randint(0, 80))) for _ in range(400)]
    found = 0
    for source in sources:
        for word in WORDS:
            expected = _reference(word, source)
            assert [m.span() for m in _whole(word).finditer(source)] == expected
            found += len(expected)
    assert found > 500
    assert all(_whole(word).pattern.startswith(re.escape(word)) for word in WORDS)  # the word first
