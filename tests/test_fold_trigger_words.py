"""fold_python: the first trigger's matches found by one bytes.find loop per word are finditer's matches of its regex
(same spans, same order), and the folded views are the same either way."""
from __future__ import annotations

import random
from pathlib import Path

from bench import corpus as corpora
from codescan.analyze import deobfuscate, fold_python, languages

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "rules" / "python"


def _regex(text: bytes) -> list[tuple[int, int]]:
    return [m.span() for m in fold_python.TRIGGERS[0].finditer(text)]


def test_words_are_the_regex_alternatives():
    # every word matches the regex whole, and the regex is these words and nothing else
    for word in fold_python.TRIGGER_WORDS:
        assert _regex(word) == [(0, len(word))]
    pattern = fold_python.TRIGGERS[0].pattern.replace(b"_(?:_import__|_dict__|_getattribute__|_builtins__)",
                                                      b"__import__|__dict__|__getattribute__|__builtins__")
    assert pattern.replace(b"\\", b"").split(b"|") == list(fold_python.TRIGGER_WORDS)


def test_word_matches_equal_finditer_on_overlapping_words():
    rng = random.Random(18)
    pieces = list(fold_python.TRIGGER_WORDS) + [b"_", b"__", b"a", b"s", b"(", b"[", b"getat", b"import_", b"ev", b"\n"]
    for _ in range(20000):
        text = b"".join(rng.choice(pieces) for _ in range(rng.randrange(0, 14)))
        assert fold_python._word_matches(text) == _regex(text), text
    # one word's end is the next one's start: the left one is taken, as finditer does
    assert fold_python._word_matches(b"import_modules[x]") == [(0, 13)]
    assert fold_python._word_matches(b"__import__dict__") == [(0, 10)]


def test_word_matches_equal_finditer_on_sources():
    stdlib = list(corpora.sample(tuple(corpora.collect(corpora.default_root()).python), 300))
    for path in stdlib + sorted(FIXTURES.rglob("*.py")):
        source = Path(path).read_bytes()
        assert fold_python._word_matches(source) == _regex(source), path


def test_folded_views_are_the_same(monkeypatch):
    stdlib = list(corpora.sample(tuple(corpora.collect(corpora.default_root()).python), 40))
    changed = 0
    for path in stdlib + sorted(FIXTURES.rglob("*.py")):
        source = Path(path).read_bytes()
        tree = languages.parser("python").parse(source)
        monkeypatch.setattr(fold_python, "WORD_SCAN", False)
        before = deobfuscate.fold(source, tree, "python")
        monkeypatch.setattr(fold_python, "WORD_SCAN", True)
        assert deobfuscate.fold(source, tree, "python") == before, path
        changed += before is not None
    assert changed > 10
