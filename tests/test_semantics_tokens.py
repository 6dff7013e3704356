"""The word-by-word token finder of the semantic layer finds exactly what the one-regex form found."""
from __future__ import annotations

import re

from codescan.analyze.semantics.engine import FactRules
from codescan.analyze.semantics.lang import python as python_adapter
from codescan.rules import load_rules

SOURCE = (b"import os, pickle\nxgetattr(a)\ngetattr_(b)\n$exec = 1\nexecfile('x')\nloop.runAsync()\n"
          b"getattr(__builtins__, 'ev' + 'al')\nfoo.system ('ls')\npickle.loads(d)\n_getattr = getattr\n"
          b"s = `x` == y\n")


def _one_regex(wanted, extra):
    words = tuple(e for e in extra if re.match(rb"[\w$]", e))
    marks = tuple(e for e in extra if e not in words)
    pattern = rb"(?<![\w$])(?:" + wanted._body + b"".join(b"|" + re.escape(e) for e in words) + rb")(?![\w$])"
    if marks:
        pattern += b"|" + b"|".join(re.escape(m) for m in marks)
    return re.compile(pattern)


def test_word_finder_matches_the_one_regex_form():
    wanted = FactRules(load_rules().rules).for_language("python")[1]
    for extra in (python_adapter.DYNAMIC, (), (b"`", b"==")):
        finder, regex = wanted.token_regex(extra), _one_regex(wanted, extra)
        assert not isinstance(finder, re.Pattern)  # the word-by-word form is the one under test
        got = [(m.span(), m.group()) for m in finder.finditer(SOURCE)]
        assert got == [(m.span(), m.group()) for m in regex.finditer(SOURCE)]
        assert got and finder.search(SOURCE).span() == got[0][0]
        assert finder.search(b"nothing wanted here") is None
    spans = [m.group() for m in wanted.token_regex(python_adapter.DYNAMIC).finditer(SOURCE)]
    assert b"getattr" in spans and b"xgetattr" not in spans and b"getattr_" not in spans
