"""Whole-name gates: a short name an identifier must equal (`iv`) gates a rule by the source's words."""
from __future__ import annotations

from pathlib import Path

import pytest

from codescan.analyze.gate_index import GateIndex
from codescan.analyze.rule_gate import Presence, gate_for_query
from codescan.rules import load_rules

ROOT = Path(__file__).resolve().parent.parent
SHORT = '((assignment left: (identifier) @n) (#any-of? @n "iv" "IV"))'
ANCHORED = '((assignment left: (identifier) @n) (#match? @n "(?i)^(fixed_)?(iv|nonce)$"))'


def test_a_short_name_on_an_identifier_gates_by_words_ending_with_it():
    gate = gate_for_query(SHORT)
    assert gate is not None
    assert gate.admits(b"iv = b'0'") and gate.admits(b"x.IV") and gate.admits(b"f(iv)")
    assert gate.admits(b"div") and gate.admits(b"y = 1\niv")  # a word ending with it; the last word
    assert not gate.admits(b"ivy = 1; private = 2; Iv = 3")  # not at a word's end, or another case


def test_an_anchored_case_insensitive_regex_gates_by_every_name_it_allows():
    gate = gate_for_query(ANCHORED)
    assert gate is not None
    assert gate.admits(b"FIXED_IV = b'0'") and gate.admits(b"Nonce = 1")
    assert not gate.admits(b"nonces = 1; ivory = 2")
    assert gate.admits("\u0131v = b'0'".encode())  # dotless i: `re` folds it onto i, bytes.lower() does not


def test_names_in_optional_places_or_not_on_identifiers_still_do_not_gate():
    assert gate_for_query('((assignment left: (_) @n) (#eq? @n "iv"))') is None
    assert gate_for_query('((call arguments: (argument_list (identifier)? @n)) (#eq? @n "iv"))') is None
    assert gate_for_query('((identifier) @n (#match? @n "^iv"))') is None  # not anchored at the end


@pytest.mark.parametrize("source", [b"iv = 1", b"div", b"ivy", b"x = IV", b"vector\n", b"nothing", b"a.nonce",
                                    b"ZERO_IV", "\u0131v".encode()])
def test_the_index_and_the_gate_agree(source):
    gates = [gate_for_query(SHORT), gate_for_query(ANCHORED)]
    assert GateIndex(gates).admitted(Presence(source)) == [g.admits(source) for g in gates]


def test_spans_of_a_whole_name_cover_its_occurrences_at_a_word_end():
    gate = gate_for_query(SHORT)
    spans = gate.spans(Presence(b"ivy = 1\n" + b"#" * 3000 + b"\niv = 2"))
    assert spans == [(3009, 3011)]


def test_static_cipher_iv_is_gated_and_still_finds_its_fixture():
    rule = next(r for r in load_rules(()).rules if r.id == "static-cipher-iv")
    gate = gate_for_query(rule.query)
    assert gate is not None  # it walked every Python tree before
    fixture = (ROOT / "fixtures" / "rules" / "python" / "static-cipher-iv.py").read_bytes()
    assert gate.admits(fixture)
    assert not gate.admits(b"import os\n\ndef main(path):\n    return open(path).read()\n")
