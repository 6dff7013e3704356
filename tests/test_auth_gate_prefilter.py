"""The authentication-function gate's cheap pre-test (lower-cased text, no (?i)) keeps its answers."""
from __future__ import annotations

import random
from pathlib import Path

from codescan.analyze.semantics.lang import auth_gates, auth_text

ROOT = Path(__file__).resolve().parent.parent
WORDS = (b"def ", b"function ", b"LogIn", b"log_in", b"SIGN_IN", b"Authors", b"author", b"AUTH", b"verify_User",
         b"checkPW", b"isAdmin", b"is_valid_token", b"hasRole", b"canAccess", b"require_LOGIN", b"validateApiKey",
         b"(", b")", b" = ", b"=> ", b"compare_digest", b"timingSafeEqual", b"{", b"\n", b" == ", b" in ", b"x", b"$", b"_", b": function", b"async ")


def _old_possible(source: bytes) -> bool:
    # the plain definition of the gate: an authentication function (or a request hook) is defined and something
    # compares (==, `in`, or a constant-time helper such as hmac.compare_digest / crypto.timingSafeEqual)
    compares = b"==" in source or b" in " in source or auth_gates._EQ_CALL_WORDS.search(source) is not None
    defined = auth_gates._DEFINED.search(source) is not None or auth_gates._HOOK.search(source) is not None
    return defined and compares


def test_possible_answers_as_before():
    rng = random.Random(7)
    sources = [p.read_bytes() for p in sorted((ROOT / "fixtures" / "rules").rglob("*")) if p.is_file()][:400]
    sources += [b"".join(rng.choice(WORDS) for _ in range(rng.randint(1, 16))) for _ in range(3000)]
    yes = 0
    for source in sources:
        assert auth_gates.possible(source) == _old_possible(source), source[:80]
        found = auth_gates.AUTH_NAME.search(source)
        assert (found is not None) == (auth_gates._AUTH_LOWER.search(source.lower()) is not None), source[:80]
        yes += auth_gates.possible(source)
    assert yes > 100  # the comparison saw the gate open, not only closed


def test_defined_somewhere_is_the_defining_regex_search():
    rng = random.Random(11)
    pieces = WORDS + (b"\t", b"  ", b"auth_type", b"Auth_Headers", b"\xc4\xb1", b"K", b"\\", b"#", b": bool", b"(u, p)",
                      b"a1", b"=", b"checkAuth$", b"$x", b"function", b"def", b"DEF ", b"undef ", b"\x0b")
    sources = [p.read_bytes() for p in sorted((ROOT / "fixtures" / "rules").rglob("*")) if p.is_file()]
    sources += [b"".join(rng.choice(pieces) for _ in range(rng.randint(0, 14))) for _ in range(20000)]
    hits = 0
    for source in sources:
        expected = auth_gates._DEFINED.search(source) is not None
        assert auth_gates.defined_somewhere(source) == expected, source[:120]
        hits += expected
    assert hits > 100


def test_possible_does_not_run_the_defining_regex_over_the_file(monkeypatch):
    class Refused:
        def search(self, *_args):
            raise AssertionError("_DEFINED searched over the whole source")

        def __getattr__(self, name):
            return getattr(auth_gates._DEFINED, name)

    source = b"def check_login(user, pw):\n    if pw == 'x':\n        return True\n"
    assert auth_gates.possible(source)
    monkeypatch.setattr(auth_text, "_DEFINED", Refused())  # (the gate's text searches live in auth_text)
    assert auth_gates.possible(source)
    assert not auth_gates.possible(b"def loginx_helper_list = [1]\nif a == b: pass\n")
