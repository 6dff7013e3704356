"""A JavaScript string holding UTF-16 halves (`'\\uD834\\uDF06'`, an astral character written as its two escapes, or a
lone half) folds back to source with those halves escaped: writing them as UTF-8 raised, and the file was reported as
one that defeated its analysis (npm's own cssesc/bin/cssesc, high analysis-exhausted on a clean package)."""
from __future__ import annotations

from codescan.analyze.document import Analyzer
from codescan.analyze.semantics.js_constants import literal
from codescan.config import Config
from codescan.records import Document
from codescan.rules import load_rules

RULES = load_rules()


def test_utf16_halves_are_written_as_escapes():
    assert literal("a\ud834\udf06b") == b"'a\\ud834\\udf06b'"
    assert literal("\ud834") == b"'\\ud834'"
    assert literal("f\u00f6o \u2665") == "'f\u00f6o \u2665'".encode()


def test_a_folded_string_with_a_surrogate_pair_is_analyzed():
    text = ("const log = console.log;\n"
            "log(['\\tcssesc \\'f\\xF6o \\u2665 b\\xE5r \\uD834\\uDF06 baz\\'', 'x'].join('\\n'));\n"
            "const name = 'ev' + 'al';\n"
            "globalThis[name]('\\uD83D' + 'payload()');\n")
    found = Analyzer(RULES, Config(honour_suppressions=False)).analyze(Document(path="bin/cli", content=text.encode()))
    assert "analysis-exhausted" not in {f.rule_id for f in found.findings}
    assert found.skips == ()
