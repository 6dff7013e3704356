"""secret-env-fallback tries its regexes only where an anchor literal occurs: the same matches as a full scan."""
from __future__ import annotations

import random
from pathlib import Path

from codescan.analyze import env_fallback

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "rules" / "text" / "secret-env-fallback"
PIECES = ('os.getenv("K")', ' or ', '"sk_live_4eC39HqLyjWDarjtT1zdp7dc"', 'os.environ.get("A", ', "'x9Kq2LmZ8vTr4Yw1'",
          "environ['T']", ' || ', '?? ', 'process.env.TOKEN', 'process.env["X"]', '$_ENV["P"]', '$_SERVER["Q"]',
          'ENV["R"]', 'ENV.fetch("S", ', 'GetEnvironmentVariable("U")', 'getenv("V")', 'System.getenv()',
          '.getOrDefault("W", ', '${NAME:-', 'value}', ')', '\n', ' ', 'xenviron.get("B") or "q"', '_getenv',
          'os.os.getenv("C") or "d"')


def _texts():
    yield from (p.read_text(encoding="utf-8") for p in sorted(FIXTURES.iterdir()))
    rng = random.Random(13)
    for _ in range(400):
        yield "".join(rng.choice(PIECES) for _ in range(rng.randint(1, 14)))


def test_anchored_matches_equal_full_scan():
    compared = matched = 0
    for text in _texts():
        for form, anchors in zip(env_fallback.FORMS, env_fallback._ANCHORS):
            if anchors is None:
                continue
            full = [(m.start(), m.end()) for m in form.finditer(text)]
            fast = [(m.start(), m.end()) for m in env_fallback.anchored_finditer(form, text, anchors)]
            assert fast == full, text
            compared += 1
            matched += bool(full)
    assert compared > 800 and matched > 50  # the comparison saw real matches, not only empty lists


def test_every_match_starts_with_an_anchor():
    for text in _texts():
        for form, anchors in zip(env_fallback.FORMS, env_fallback._ANCHORS):
            for m in form.finditer(text):
                if anchors is not None:
                    assert text.startswith(anchors, m.start()), (text, m.group())
                else:
                    assert env_fallback._GATES[env_fallback.FORMS.index(form)] in text
