"""The word finder from distinct words yields the same matches as the word-by-word scan it replaces."""
from __future__ import annotations

from pathlib import Path

from bench import corpus as corpora
from codescan.analyze.semantics import wanted as wanted_module
from codescan.analyze.semantics.engine import FactRules
from codescan.analyze.semantics.lang import javascript, python
from codescan.rules import load_rules

TRICKY = [b"", b"eval", b"x.eval(1)", b"_eval(1) eval_ evalx xeval", b"os.execvp(a); exec(b); subprocess.popen2",
          b"\xc3\xa9eval(1)\xc3\xa9", b"getattr(__builtins__, 'eval')", b"GetAsync(); client.GetStringAsync()",
          b"1eval 2getattr", b"eval\neval\teval", b"system(x)system(y)"]


def _slow(tokens, source):
    saved = tokens._by_words
    tokens._by_words = None
    try:
        return [(m.start(), m.end(), m.group()) for m in tokens.finditer(source)]
    finally:
        tokens._by_words = saved


def test_same_matches_as_the_scan_on_stdlib_files():
    rules = FactRules(load_rules().rules)
    files = list(corpora.sample(tuple(corpora.collect(corpora.default_root()).python), 150))
    texts = TRICKY + [Path(p).read_bytes() for p in files]
    checked = 0
    for language, adapter in (("python", python), ("javascript", javascript)):
        _rules, wanted, _compiled = rules.for_language(language)
        tokens = wanted.token_regex(adapter.DYNAMIC)
        if not isinstance(tokens, wanted_module._Tokens) or tokens._by_words is None:
            continue
        for text in texts:
            fast = [(m.start(), m.end(), m.group()) for m in tokens.finditer(text)]
            assert fast == _slow(tokens, text), text[:60]
            assert (tokens.search(text) is None) == (not fast)
            checked += 1
    assert checked >= len(texts)  # the fast path was taken for at least one language


def test_a_dollar_keeps_the_scan():
    tokens = wanted_module._Tokens(frozenset({b"eval"}), (), ())
    assert [m.start() for m in tokens.finditer(b"a$eval eval")] == [7]  # `a$eval` is one word
