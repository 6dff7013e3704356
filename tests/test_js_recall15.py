"""Severities of the session-15 JS rules: what decides high against medium/low."""
from __future__ import annotations

from pathlib import Path

from codescan.analyze.document import Analyzer
from codescan.config import Config
from codescan.records import Document
from codescan.rules import load_rules

RULES = load_rules()
FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "rules"


def _by_line(rule_id: str, path: str, text: str) -> dict[int, str]:
    analyzer = Analyzer(RULES.select((rule_id,), ()), Config(honour_suppressions=False))
    found = analyzer.analyze(Document(path=path, content=text.encode())).findings
    return {f.line: f.severity for f in found if f.rule_id == rule_id}


def test_pbkdf2_under_a_thousand_iterations_is_high_under_100k_medium():
    text = (FIXTURES / "facts" / "js-pbkdf2-low-iterations" / "passwords.ts").read_text(encoding="utf-8")
    assert _by_line("js-pbkdf2-low-iterations", "src/passwords.ts", text) == {6: "high", 10: "medium", 14: "medium"}


def test_libxml_noent_is_high_on_request_input_medium_on_a_packaged_file():
    text = (FIXTURES / "facts" / "js-xml-external-entities" / "uploads.js").read_text(encoding="utf-8")
    assert _by_line("js-xml-external-entities", "src/uploads.js", text) == {10: "high", 11: "high", 18: "medium"}


def test_jose_decode_is_low_when_the_file_verifies_with_jose():
    base = FIXTURES / "javascript" / "js-jwt-decoded-not-verified"
    assert _by_line("js-jwt-decoded-not-verified", "a.ts", (base / "jose_decode.ts").read_text(encoding="utf-8")) == {
        8: "high", 14: "high"}
    assert _by_line("js-jwt-decoded-not-verified", "b.ts", (base / "jose_verified.ts").read_text(encoding="utf-8")) == {
        14: "low"}


def test_dom_xss_only_from_the_decoded_address_not_the_encoded_path():
    text = ("const q = new URLSearchParams(location.search).get('q');\n"
            "document.querySelector('h1').innerHTML = 'Results for ' + q;\n"
            "document.querySelector('nav').innerHTML = '<a href=\"' + location.href.split('?')[0] + '\">x</a>';\n"
            "document.querySelector('p').innerHTML = '<b>' + location.pathname + '</b>';\n")
    assert _by_line("js-dom-xss-from-url", "page.js", text) == {2: "high"}
