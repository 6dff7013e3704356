"""Names hidden in escaped strings reach the label gate: an obfuscator's table spells atob and eval in escapes."""
from __future__ import annotations

from codescan.analyze.semantics.escaped_words import escaped_words, with_escaped_words


def test_escaped_names_are_spelled_out_and_other_escapes_are_not():
    source = rb"""var k = ['\x61\x74\x6f\x62', "\u0065val", 'ev\x61l', '\x00\x01\x02', 'plain', '\x41\x42'];"""
    assert escaped_words(source).split(b"\n") == [b"atob", b"eval"]


def test_a_source_without_escaped_names_is_given_back_as_it_is():
    source = b"var k = ['atob', 'eval']; var bytes = '\\x00\\xff';"
    assert escaped_words(source) == b""
    assert with_escaped_words(source) is source
    hidden = b"x = '\\x67\\x65\\x74\\x65\\x6e\\x76'"
    assert with_escaped_words(hidden) == hidden + b"\ngetenv"
