"""payloads: the whole-source gate (a run by translate + find, the other shapes one regex each) answers as the one
regex does, and a concatenation's parts are known from its captured children as they were from node.parent."""
from __future__ import annotations

import random
from pathlib import Path

from bench import corpus as corpora
from codescan.analyze import languages, payloads

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "rules"
EDGES = [
    b"", b"a" * 23, b"a" * 24, b"x = '" + b"Zm9v" * 5 + b"+/=-_'", b"ab-cd" * 4 + b"!" + b"ef" * 6,
    b"s = '" + b"\\x41" * 7 + b"'", b"s = '" + b"\\x41" * 8 + b"'", b"s = '\\x4" + b"\\x41" * 8 + b"'",
    b"codes = [104, 101, 108, 108, 111, 32, 119]", b"codes = [104, 101, 108, 108, 111, 32, 119, 111]",
    b"codes = (0x68 ,0x65, 0x6c,0x6c , 0x6f, 0x20, 0x77, 0x6f)", b"codecs.decode(x, 'rot_13')", b"rot13",
    b"rot 1 3", "caf\u00e9 = '\u00e9\u00e9'".encode() * 8, b"\xff\xfe" * 30,
]


def _sources():
    stdlib = list(corpora.sample(tuple(corpora.collect(corpora.default_root()).python), 120))
    files = stdlib + sorted((FIXTURES / "python").rglob("*.py")) + sorted((FIXTURES / "javascript").rglob("*.js"))
    return [Path(p).read_bytes() for p in files]


def test_fast_gate_answers_as_the_regex():
    rng = random.Random(13)
    alphabet = b"aZ09+/=_-x\\,  \n0x13rot"
    randoms = [bytes(rng.choice(alphabet) for _ in range(rng.randrange(0, 120))) for _ in range(3000)]
    randoms += [bytes(rng.randrange(256) for _ in range(rng.randrange(0, 200))) for _ in range(1000)]
    sources = EDGES + randoms + _sources()
    for source in sources:
        assert payloads._may_hold(source) == (payloads._GATE.search(source) is not None), source[:80]
    held = sum(payloads._may_hold(s) for s in sources)
    assert 0 < held < len(sources)  # both answers occur


def _found(source: bytes, language: str):
    """The payloads found, sorted: the order of a query's captures may differ from one parse of a text to the next."""
    tree = languages.parser(language).parse(source)
    return sorted((p.line, p.end_line, p.encoding, p.data) for p in payloads.find(source, tree, language, comments=False))


def test_parts_by_id_and_fast_gate_find_the_same_payloads(monkeypatch):
    checked = 0
    joined = b'x = ("aW1wb3J0IG9zOyBvcy5zeXN0ZW0oImxzIik="\n     "aW1wb3J0IG9zOyBvcy5zeXN0ZW0oImxzIik=")\n'
    for source in [joined] + _sources():
        language = "python" if not source.lstrip().startswith((b"//", b"const", b"var", b"let")) else "javascript"
        monkeypatch.setattr(payloads, "PARTS_BY_ID", False)
        monkeypatch.setattr(payloads, "FAST_GATE", False)
        before = _found(source, language)
        monkeypatch.setattr(payloads, "PARTS_BY_ID", True)
        monkeypatch.setattr(payloads, "FAST_GATE", True)
        assert _found(source, language) == before
        checked += bool(before)
    assert checked >= 3  # sources that hold payloads took part


def test_a_concatenation_is_decoded_whole_not_part_by_part():
    source = b'x = ("aW1wb3J0IG9zOyBvcy5zeXN0ZW0o"\n     "ImxzIik=")\n'
    found = _found(source, "python")
    assert [(p[0], p[1], p[2]) for p in found] == [(1, 2, "base64")]
    assert found[0][3] == b'import os; os.system("ls")'
