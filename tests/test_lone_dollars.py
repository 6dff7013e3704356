"""Wanted words found from the distinct words also in a source whose every `$` stands alone (a regex's `$`):
the same matches as the word-by-word scan; a `$` joined to a word still takes the scan."""
from __future__ import annotations

import copy
import random
from pathlib import Path

from bench import corpus as corpora
from codescan.analyze.semantics.engine import FactRules
from codescan.analyze.semantics.wanted import _lone_dollars
from codescan.analyze.semantics.lang.python import DYNAMIC
from codescan.analyze.semantics.lang.javascript import DYNAMIC as JS_DYNAMIC
from codescan.analyze import rule_gate
from codescan.rules import load_rules


def _both(tokens, source: bytes):
    scan = copy.copy(tokens)
    scan._by_words = None  # the word-by-word scan
    rule_gate._LAST_PRESENCE.clear()
    found = [(m.start(), m.group()) for m in tokens.finditer(source)]
    return found, [(m.start(), m.group()) for m in scan.finditer(source)]


def test_lone_dollars():
    assert _lone_dollars(b'r"^\\d+$" + "$ x" + `${a}`')
    assert not _lone_dollars(b"Template('$name')") and not _lone_dollars(b"a$") and not _lone_dollars(b"$$")
    assert not _lone_dollars(b" $ " * 65)  # more than 64 looked at: the scan


def test_same_matches_with_lone_and_joined_dollars(monkeypatch):
    rules = FactRules(load_rules().rules)
    python = rules.for_language("python")[1].token_regex(DYNAMIC)
    javascript = rules.for_language("javascript")[1].token_regex(JS_DYNAMIC)
    rng = random.Random(3)
    words = [b"os", b"system", b"exec", b"execvp", b"spawnl", b"getattr", b"eval", b"fetch", b"x", b"$", b"$x",
             b"x$", b"get", b"post", b"$.ajax", b"require", b"child_process"]
    glue = [b" ", b".", b"(", b")", b"\n", b'"', b"$", b" $ ", b"_", b"1"]
    sources = [Path(p).read_bytes() for p in corpora.sample(tuple(corpora.collect(corpora.default_root()).python), 40)
               if b"$" in Path(p).read_bytes()]
    sources += [b"".join(rng.choice(words) + rng.choice(glue) for _ in range(rng.randint(1, 60))) for _ in range(300)]
    used = []
    real = python._by_words.finditer
    monkeypatch.setattr(type(python._by_words), "finditer", lambda self, s: used.append(1) or real.__func__(self, s))
    for source in sources:
        for tokens in (python, javascript):
            if tokens._by_words is None:
                continue
            found, scanned = _both(tokens, source)
            assert found == scanned, source[:80]
    lone = sum(1 for source in sources if b"$" in source and _lone_dollars(source))
    assert lone >= 5 and len(used) >= lone  # sources with lone dollars went by the distinct words


def test_a_word_of_dollars_keeps_the_scan():
    from codescan.analyze.semantics.wanted import _Tokens
    tokens = _Tokens(frozenset({b"$", b"x"}), (b"$*",), ())
    assert tokens._dollar_words
    found, scanned = _both(tokens, b"a $ x ( $ )")
    assert found == scanned and (2, b"$") in found
