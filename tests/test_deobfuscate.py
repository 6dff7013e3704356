"""The folded view: each disguise folds to plain code on the same line; plain code is left alone."""
from __future__ import annotations

import json
import re

import pytest

from codescan.analyze import deobfuscate, languages
from codescan.analyze.document import Analyzer
from codescan.config import Config
from codescan.records import Document
from codescan.rules import load_rules

from conftest import SHARED


def fold(source: str, language: str = "python") -> str | None:
    data = source.encode()
    tree = languages.parser(language).parse(data)
    out = deobfuscate.fold(data, tree, language)
    if out is not None:
        assert out.count(b"\n") == data.count(b"\n"), "line count changed"
        if not tree.root_node.has_error:
            assert not languages.parser(language).parse(out).root_node.has_error, out.decode()
    return None if out is None else out.decode()


# (setup lines, the line to fold, what it must fold to); the line is always the last one.
PYTHON_FOLDS = [
    ("", "x = 'ev' + 'al'", "x = 'eval'"),
    ("", "x = ''.join(['ev', 'al'])", "x = 'eval'"),
    ("", "x = ''.join(('ev', 'al'))", "x = 'eval'"),
    ("", "x = '%s%s' % ('ev', 'al')", "x = 'eval'"),
    ("", "x = '{}{}'.format('ev', 'al')", "x = 'eval'"),
    ("", "x = f\"{'ev'}al\"", "x = 'eval'"),
    ("", "x = 'EVAL'.lower()", "x = 'eval'"),
    ("", "x = 'xvxl'.replace('x', 'e', 1).replace('x', 'a')", "x = 'eval'"),
    ("", "x = 'lave'[::-1]", "x = 'eval'"),
    ("", "x = 'hello'[0:0]", "x = ''"),
    ("", "x = str('eval')", "x = 'eval'"),
    ("", "x = b'eval'.decode()", "x = 'eval'"),
    ("", "x = chr(101) + chr(118) + chr(97) + chr(108)", "x = 'eval'"),
    ("", "x = ''.join(chr(c) for c in [101, 118, 97, 108])", "x = 'eval'"),
    ("", "x = ''.join(map(chr, [101, 118, 97, 108]))", "x = 'eval'"),
    ("", "x = bytes([101, 118, 97, 108]).decode()", "x = 'eval'"),
    ("import base64", "x = base64.b64decode('ZXZhbA==').decode()", "x = 'eval'"),
    ("import codecs", "x = codecs.decode('riny', 'rot13')", "x = 'eval'"),
    ("import codecs", "x = codecs.decode('riny', 'rot_13')", "x = 'eval'"),
    ("", "x = bytes.fromhex('6576616c').decode()", "x = 'eval'"),
    ("import binascii", "x = binascii.unhexlify('6576616c').decode()", "x = 'eval'"),
    ("", "r = get(u, verify=int(False))", "r = get(u, verify=0)"),
    ("", "app.run(debug=bool(1))", "app.run(debug=True)"),
    ("", "app.run(debug=not False)", "app.run(debug=True)"),
    ("", "y = int(7).real", "y = (7).real"),
    ("flag = [False, True]", "app.run(debug=flag[1])", "app.run(debug=True)"),
    ("factor = (1024, 2048)", "dsa.generate_private_key(key_size=factor[0])", "dsa.generate_private_key(key_size=1024)"),
    ("d = {'a': 'eval'}", "x = d['a']", "x = 'eval'"),
    ("name = 'ev' + 'al'", "x = getattr(builtins, name)", "x = eval"),
    ("", "s.bind(('0.0' + '.0.0', 1337))", "s.bind(('0.0.0.0', 1337))"),
    ("import builtins", "getattr(builtins, 'ev' + 'al')(code)", "eval(code)"),
    ("", "getattr(__builtins__, 'open')(p)", "open(p)"),
    ("import os", "getattr(os, 'sys' + 'tem')('ls')", "os.system('ls')"),
    ("", "client.__getattribute__('set_missing_host_key_policy')(p)", "client.set_missing_host_key_policy(p)"),
    ("", "client.__dict__['set_missing_host_key_policy'](p)", "client.set_missing_host_key_policy(p)"),
    ("", "__import__('o' + 's').system('ls')", "os.system('ls')"),
    ("import importlib", "importlib.import_module('sub' + 'process').call(c)", "subprocess.call(c)"),
    ("from importlib import import_module", "import_module('pickle').loads(d)", "pickle.loads(d)"),
    ("import sys", "sys.modules['os'].system(c)", "os.system(c)"),
    ("", "globals()['ev' + 'al'](c)", "eval(c)"),
    ("", "locals()['exec'](c)", "exec(c)"),
    ("import builtins", "vars(builtins)['exec'](c)", "exec(c)"),
    ("", "__builtins__['exec'](c)", "exec(c)"),
    ("import builtins", "builtins.__dict__['exec'](c)", "exec(c)"),
    ("", "__builtins__.__dict__['exec'](c)", "exec(c)"),
    ("", "f = eval('pickle.loads')", "f = pickle.loads"),
    ("", "x = eval(\"request.args.get('name')\")", "x = (request.args.get('name'))"),
    ("", "exec(\"client.set_missing_host_key_policy(AutoAddPolicy())\")",
     "client.set_missing_host_key_policy(AutoAddPolicy())"),
    ("import subprocess as sp", "sp.call(c, shell=True)", "subprocess.call(c, shell=True)"),
    ("from os import system", "system(c)", "os.system(c)"),
    ("from os import system as s", "s(c)", "os.system(c)"),
    ("from os import path", "path.join(a, b)", "os.path.join(a, b)"),
    ("e = eval", "e(c)", "eval(c)"),
    ("m = __import__('os')", "m.system(c)", "os.system(c)"),
    ("import os\nrun = os.system", "run(c)", "os.system(c)"),
    ("import requests\nr = requests", "r.get(u, verify=False)", "requests.get(u, verify=False)"),
    ("import pickle\ndef f(d):\n    myfunc = pickle.loads", "    return myfunc(d)", "    return pickle.loads(d)"),
    ("fns = {'x': eval}", "fns['x'](c)", "eval(c)"),
    ("fns = [exec, eval]", "fns[1](c)", "eval(c)"),
    ("module = __import__('paramiko', fromlist=['client']).client", "module.SSHClient()",
     "paramiko.client.SSHClient()"),
]


@pytest.mark.parametrize("setup,line,expected", PYTHON_FOLDS, ids=[row[1] for row in PYTHON_FOLDS])
def test_python_folds(setup, line, expected):
    source = (setup + "\n" if setup else "") + line + "\n"
    out = fold(source)
    assert out is not None, f"nothing folded in {source!r}"
    assert out.splitlines()[-1] == expected


# Code that must come back unchanged (None: nothing to fold).
PYTHON_PLAIN = [
    "f = getattr(obj, name)",
    "def g(name):\n    return getattr(obj, 'x' + name)",
    "x = '%s' % value",
    "x = ', '.join(items)",
    "x = 'a'\nx = x + 'b'\ny = x",
    "def f(path):\n    return path.join(a)",
    "import numpy as np\nnp.array(x)",
    "from typing import List\nx: List[int] = []",
    "x = eval(user_input)",
    "flag = [False, True]\nflag[0] = True\napp.run(debug=flag[1])",
    "chr = lambda n: 'x'\ny = chr(101)",
    "x = 'a' * 10_000_000",
    "x = '%999999999d' % 1",
    "x = 'abc'",
    "x = '%s and %s' % (a, b)",
    "import sys\ndel sys.modules['foo']",
    "c = getattr(x, '__deepcopy__', None)",
    "exec('x = 5\\\\')",
    "x = 'line1' \\\n    'line2'",
]


@pytest.mark.parametrize("source", PYTHON_PLAIN)
def test_python_leaves_plain_code(source):
    out = fold(source + "\n")
    if out is not None:  # some unrelated line may fold, but never the plain construct
        assert out == source + "\n"


def test_multiline_expression_keeps_line_count():
    source = "x = (\n    'ev'\n    + 'al'\n)\ny = 1\n"
    out = fold(source)
    assert out is not None and "'eval'" in out.splitlines()[1]
    assert out.splitlines()[4] == "y = 1"


def test_nested_disguise_composes():
    out = fold("getattr(__import__('o' + 's'), ''.join(['sys', 'tem']))('id')\n")
    assert out == "os.system('id')\n"


def test_decode_error_is_not_constant():
    assert fold("x = b'\\xff\\xfe'.decode()\n") is None
    assert fold("import base64\nx = base64.b64decode('abc').decode()\n") is None


JS_FOLDS = [
    ("", "const x = 'ev' + 'al';", "const x = 'eval';"),
    ("", "const x = `${'ev'}al`;", "const x = 'eval';"),
    ("", "const x = String.fromCharCode(101, 118, 97, 108);", "const x = 'eval';"),
    ("", "const x = atob('ZXZhbA==');", "const x = 'eval';"),
    ("", "const x = Buffer.from('ZXZhbA==', 'base64').toString();", "const x = 'eval';"),
    ("", "const x = Buffer.from('6576616c', 'hex').toString('utf8');", "const x = 'eval';"),
    ("", "const x = ['e', 'v', 'a', 'l'].join('');", "const x = 'eval';"),
    ("", "const x = 'lave'.split('').reverse().join('');", "const x = 'eval';"),
    ("", "const x = 'xval'.replace('x', 'e');", "const x = 'eval';"),
    ("", "require('child' + '_process').exec(c);", "require('child_process').exec(c);"),
    ("", "obj['ex' + 'ec'](c);", "obj.exec(c);"),
    ("", "global['ev' + 'al'](c);", "eval(c);"),
    ("", "globalThis['eval'](c);", "eval(c);"),
    ("", "window['ev' + 'al'](c);", "eval(c);"),
    ("const cp = require('child_process');", "cp.exec(c);", "require('child_process').exec(c);"),
    ("const {exec} = require('child_process');", "exec(c);", "require('child_process').exec(c);"),
    ("const {spawn: sp} = require('child_process');", "sp(c);", "require('child_process').spawn(c);"),
    ("const m = 'child' + '_process';", "require(m).exec(c);", "require('child_process').exec(c);"),
    ("const run = require('child_process').execSync;", "run(c);", "require('child_process').execSync(c);"),
]


@pytest.mark.parametrize("setup,line,expected", JS_FOLDS, ids=[row[1] for row in JS_FOLDS])
def test_javascript_folds(setup, line, expected):
    source = (setup + "\n" if setup else "") + line + "\n"
    out = fold(source, "javascript")
    assert out is not None, f"nothing folded in {source!r}"
    assert out.splitlines()[-1] == expected


@pytest.mark.parametrize("source", [
    "obj[key](c);",
    "const x = 'a';\nx2 = x + y;",
    "let cp = require('child_process');\ncp = other;\ncp.exec(c);",
    "const fs = require('fs');\nfunction f(fs) { return fs; }",
    "const s = 'plain';",
])
def test_javascript_leaves_plain_code(source):
    out = fold(source + "\n", "javascript")
    assert out is None or "require('child_process').exec" not in out and out.count("\n") == source.count("\n") + 1


def test_typescript_uses_the_javascript_folder():
    data = b"const cp: any = require('child' + '_process');\n"
    tree = languages.parser("typescript").parse(data)
    assert deobfuscate.fold(data, tree, "typescript") == b"const cp: any = require('child_process');\n"


# -- end to end: CodeBreaker transformations ----------------------------------------------
CODEBREAKER = SHARED / "codebreaker" / "example_transformations.jsonl"
_SEPARATOR = re.compile(r"^-{10,}\s*$", re.M)


def _codebreaker_pairs():
    """(case, original, variant) for each transformed variant (the description section is dropped)."""
    seen = set()
    for line in CODEBREAKER.read_text().splitlines():
        item = json.loads(line)
        if item["blob_sha1"] in seen:
            continue
        seen.add(item["blob_sha1"])
        sections = [s.strip("\n") for s in _SEPARATOR.split(item["content"])]
        code = [s for s in sections if s.strip() and not s.lstrip().startswith(("Constant Analysis", "Dataflow",
                                                                                  "String Matching"))]
        original, variants = code[0], code[1:]
        for variant in variants:
            yield item["case"], original, variant


def _fired(analyzer, code: str) -> set[str]:
    analysis = analyzer.analyze(Document(path="snippet.py", content=code.encode(), language="python"))
    return {f.rule_id for f in analysis.findings if f.category != "payload-in-comment"}


def codebreaker_report():
    rules = load_rules()
    analyzer = Analyzer(rules, Config(honour_suppressions=False))
    plain = Analyzer(rules, Config(honour_suppressions=False))
    caught, missed, no_rule = [], [], []
    for case, original, variant in _codebreaker_pairs():
        wanted = _fired(plain, original)
        if not wanted:
            no_rule.append(case)
            continue
        got = _fired(analyzer, variant)
        (caught if wanted & got else missed).append((case, sorted(wanted), sorted(got)))
    return caught, missed, no_rule


@pytest.mark.skipif(not CODEBREAKER.exists(), reason="/work/shared eval data not present")
def test_codebreaker_variants_still_caught():
    caught, missed, no_rule = codebreaker_report()
    judged = len(caught) + len(missed)
    rate = len(caught) / judged if judged else 0.0
    print(f"\nCodeBreaker variants: {len(caught)}/{judged} caught ({rate:.0%}); "
          f"{len(no_rule)} variants whose original no rule flags")
    for case, wanted, got in missed:
        print(f"  missed {case}: original {wanted}, variant {got}")
    assert judged >= 10
    assert rate >= 0.85  # measured 29/31 (94%) with the rules and semantic layer of this commit
