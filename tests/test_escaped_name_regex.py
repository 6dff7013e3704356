"""javascript.ESCAPED_NAME finds calls of names written with \\u escapes in linear time: a Unicode table of thousands
of \\uXXXX escapes with no `(` after them (xregexp, vendored by Django's admin) made the old pattern backtrack through
every split of each escape's hex digits between two quantifiers (minutes on one 160 KB file)."""
from __future__ import annotations

import signal

from codescan.analyze.semantics.lang.javascript import ESCAPED_NAME


def _alarm(_signum, _frame):
    raise TimeoutError("ESCAPED_NAME backtracked on a run of escapes")


def test_a_long_run_of_escapes_without_a_call_is_searched_at_once():
    table = b'var astral = "' + b"\\u0041\\u005A\\u0061\\u007A\\u00AA" * 400 + b'";\n'
    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(20)
    try:
        assert ESCAPED_NAME.search(table) is None
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def test_escaped_names_of_calls_are_still_found():
    found = [m.group().decode() for m in ESCAPED_NAME.finditer(
        b"\\u0065val(code); ev\\u0061l(x); \\u{65}v\\u0061l (y); window.\\u0061tob(s); eval(z); \\u0065val;")]
    assert found == ["\\u0065val(", "ev\\u0061l(", "\\u{65}v\\u0061l (", "\\u0061tob("]
