"""JS code built at run time (decoded, unscrambled, joined through helpers) and run by eval/Function is read as code
of its own at the call's line; the same builders making harmless code, or built text only printed, give nothing."""
from __future__ import annotations

from pathlib import Path

from codescan.analyze.document import Analyzer
from codescan.config import Config
from codescan.records import Document
from codescan.rules import load_rules

from fixture_marks import marks

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "semantics"
FIXTURE = FIXTURES / "js_built_code.js"
RULE = "js-shell-download-exec"


def _lines(path: Path, rule: str) -> tuple[set, set, set]:
    text = path.read_bytes()
    found = Analyzer(load_rules(), Config(honour_suppressions=False)).analyze(
        Document(path="lib/" + path.name, content=text)).findings
    m = marks(text.decode())
    return ({f.line for f in found if f.rule_id == rule},
            {line for line, ids in m["expect"].items() if rule in ids}, {line for line, ids in m["ok"].items() if rule in ids})


def test_built_code_run_by_eval_or_function_is_scanned_as_code_at_the_call():
    text = FIXTURE.read_bytes()
    found = Analyzer(load_rules(), Config(honour_suppressions=False)).analyze(
        Document(path="lib/telemetry.js", content=text)).findings
    got = {f.line for f in found if f.rule_id == RULE}
    m = marks(text.decode())
    expected = {line for line, ids in m["expect"].items() if RULE in ids}
    ok = {line for line, ids in m["ok"].items() if RULE in ids}
    assert expected and ok
    assert expected <= got
    assert not got & ok
    assert all(f.decoded for f in found if f.rule_id == RULE and f.line in expected - {16})


def test_a_same_file_helper_given_a_constant_is_folded_even_when_it_returns_a_call_of_its_parameter():
    # d(s) = Buffer.from(s, 'base64').toString(): require(d(..)), m[d('ZXhlYw==')](d(..) + host + d(..))
    got, expected, ok = _lines(FIXTURES / "js_helper_decoded.js", "js-reverse-shell")
    assert expected and ok
    assert expected <= got
    assert not got & ok
