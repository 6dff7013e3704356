"""Scopes.assignment_count: every `word =` of a file counted in one pass, the same counts as the per-name loop."""
from __future__ import annotations

import random
import re
from pathlib import Path

from bench import corpus as corpora
from codescan.analyze import languages
from codescan.analyze.semantics import python_scopes
from codescan.analyze.semantics.python_scopes import Scopes

PIECES = ["a", "b", "ab", "_a", "a1", "x", " ", "  ", "=", "==", " =", "= ", ".", "(", ")", ",", "\n", "é", "\t", "!=",
          "<=", ":", "a.b", "[", "]", "#", "'", '"', "+=", "é", "ä"]


def _counts(source: bytes, names, monkeypatch, indexed: bool) -> list[int]:
    monkeypatch.setattr(python_scopes, "ASSIGNED_INDEX", indexed)
    scopes = Scopes(source, languages.parser("python").parse(source).root_node)
    return [scopes.assignment_count(n) for n in names]


def test_same_counts_as_the_loop_on_random_text(monkeypatch):
    rng = random.Random(13)
    names = ["a", "b", "ab", "_a", "a1", "x", "é", "aé", ""]
    for _ in range(1500):
        source = "".join(rng.choice(PIECES) for _ in range(rng.randint(0, 40))).encode()
        assert _counts(source, names, monkeypatch, True) == _counts(source, names, monkeypatch, False), source


def test_same_counts_as_the_loop_on_stdlib_files(monkeypatch):
    files = list(corpora.sample(tuple(corpora.collect(corpora.default_root()).python), 30))
    checked = 0
    for path in files:
        source = Path(path).read_bytes()
        names = sorted({w.decode() for w in re.findall(rb"[A-Za-z_][A-Za-z0-9_]*", source)})[:300]
        counts = _counts(source, names, monkeypatch, True)
        assert counts == _counts(source, names, monkeypatch, False), path
        checked += sum(1 for c in counts if c)
    assert checked > 500


def test_one_pass_for_every_name(monkeypatch):
    source = b"x = 1\ny=2\nz == 3\nobj.x = 4\nw = x\nx = 5\n"
    scopes = Scopes(source, languages.parser("python").parse(source).root_node)
    finds = []

    class Counting(bytes):
        def find(self, *args):
            finds.append(args)
            return bytes.find(self, *args)

    scopes.source = Counting(source)
    assert [scopes.assignment_count(n) for n in ("x", "y", "z", "w", "obj", "v")] == [2, 1, 0, 1, 0, 0]
    assert not finds  # no search per name
