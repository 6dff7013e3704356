"""auth_gates._defined_matches gives the matches `_DEFINED.finditer` gives, tried only before authentication words."""
from __future__ import annotations

from pathlib import Path

from bench import corpus as corpora
from codescan.analyze.semantics.lang import auth_gates

SOURCES = [
    b"def login(user, pw):\n    return pw == 'x'\n",
    b"def   \n\t check_password (a):\n  pass\nx = authenticate\nauthor = 1\n",
    b"const verifyToken = async (t) => t === 'k';\nlet $isAdmin$ = function () {}\nhasAccess(u) { return 1 }\n",
    b"obj = {signIn: function (a) {}, requireAuth: async function () {}}\nfunction\nvalidate_session(x)",
    b"my_login_login(); defx login(a) class login_auth_auth: pass\nauthorize = lambda: 0\nAUTH_URL = 1\n",
    b"function isAuthenticated(req, res, next) {}\nfn$login = (a, b) => 1\n is_valid_user\n(\n)",
    b"login", b"", b"def login_auth(", b"x" * 50 + b" def signin" + b" " * 300 + b"(a) {",
]


def _ends(source: bytes, ours: bool) -> list:
    found = auth_gates._defined_matches(source) if ours else auth_gates._DEFINED.finditer(source)
    return [match.span() for match in found]


def test_same_matches_on_hand_written_forms():
    for source in SOURCES:
        assert _ends(source, True) == _ends(source, False), source
    assert len(_ends(SOURCES[2], True)) == 3  # the forms are found at all


def test_same_matches_on_fixtures_and_a_stdlib_sample():
    root = Path(__file__).resolve().parent.parent / "fixtures"
    paths = [p for p in sorted(root.rglob("*")) if p.is_file() and p.suffix in (".py", ".js", ".ts")]
    paths += list(corpora.sample(tuple(corpora.collect(corpora.default_root()).python), 200))
    matched = 0
    for path in paths:
        source = path.read_bytes()
        expected = _ends(source, False)
        assert _ends(source, True) == expected, path
        matched += len(expected)
    assert matched > 20


HOOKS = [b"@app.before_request\ndef f(): pass", b"@bp.before_app_request", b"xdef process_request(",
         b"undef process_view(self)\n def process_view (", b"(req, res, next)", b"( req : Request , res:Response, next )",
         b"@x.middleware", b"@xmiddleware", b"@x.middlewares", b"def\tprocess_request\n(", b"def process_requestx(",
         b"next(it)", b"(req, res)"]


def test_hooked_is_the_one_regex_search():
    for source in HOOKS:
        assert auth_gates._hooked(source) == (auth_gates._HOOK.search(source) is not None), source
    assert sum(auth_gates._hooked(source) for source in HOOKS) == 7
