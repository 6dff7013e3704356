"""Rule gates read which word tokens a source holds from its distinct words, each word's tokens remembered: the same
tokens as one regex pass over the word list, and a file's next version searches only the words it did not have."""
from __future__ import annotations

from pathlib import Path

import pytest

from codescan.analyze import gate_index
from codescan.analyze.rule_gate import Presence
from codescan.analyze.treesitter import CompiledRules
from codescan.rules import load_rules

ROOT = Path(__file__).resolve().parent.parent
LANGUAGES = ("python", "javascript", "go", "java", "php", "ruby", "bash", "c")


def _index(language: str):
    rules = tuple(r for r in load_rules().rules if r.engine == "treesitter")
    from codescan.analyze import languages

    wanted = tuple(r for r in rules if set(languages.rule_languages(language)) & set(r.languages))
    return CompiledRules(wanted, language, lazy=True)._index


def _sources() -> list[bytes]:
    files = sorted(p for p in (ROOT / "fixtures" / "rules").rglob("*") if p.is_file())
    texts = [p.read_bytes() for p in files]
    texts += [t.upper() for t in texts[:40]] + [b"", b"\n\n", "K\u212aLASS eval(\u017f)".encode()]  # case traps
    return texts


@pytest.mark.parametrize("language", LANGUAGES)
def test_tokens_present_are_those_one_regex_pass_finds(monkeypatch, language):
    """With the word memo and the small-source memo (a text met again, as a docstring's code in the next version),
    the same tokens, and the same answers from the Presence, as one regex pass over the word list."""
    index = _index(language)
    for text in _sources():
        monkeypatch.setattr(gate_index, "WORD_MEMO", False)
        monkeypatch.setattr(gate_index, "SMALL_MEMO", False)
        index._last = None
        plain = Presence(text)
        expected = index.present(plain)
        monkeypatch.setattr(gate_index, "WORD_MEMO", True)
        monkeypatch.setattr(gate_index, "SMALL_MEMO", True)
        for _again in range(2):
            index._last = None
            seen = Presence(bytes(bytearray(text)))
            assert index.present(seen) == expected, text[:80]
            assert all(seen.has(*key) == found for key, found in plain._seen.items()), text[:80]


def test_a_small_source_met_again_is_not_searched_again():
    index = _index("python")
    text = b"exec(base64.b64decode(blob))\n"
    first = set(index.present(Presence(text)))
    for case in index._cases:
        case[1]._pattern = None  # a search now would find nothing
    index._last = None
    assert index.present(Presence(bytes(bytearray(text)))) == first  # remembered: exec, base64... are still there


def test_a_next_version_searches_only_its_new_words():
    index = _index("python")
    searched: list[bytes] = []

    class Counting:
        def __init__(self, pattern):
            self.pattern = pattern

        def finditer(self, text):
            searched.extend(text.split(b"\n"))
            return self.pattern.finditer(text)

    for case in index._cases:
        case[1]._pattern = Counting(case[1]._pattern)
    old = b"import os\nimport subprocess\n\ndef run(cmd):\n    return subprocess.call(cmd, shell=True)\n"
    new = old + b"\ndef other(path):\n    return os.system(path)\n"
    index.present(Presence(old))
    searched.clear()
    index._last = None
    index.present(Presence(new))
    assert sorted(set(searched)) == [b"other", b"path", b"system"]  # `os`, `run`, `cmd`... were searched before
