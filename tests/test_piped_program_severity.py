"""A child process's stream piped to a socket: high for a shell, an interpreter or a program not known here, low for a
fixed program started in the file that reads no commands (analyze/piped_programs.py)."""
from __future__ import annotations

import pytest

from codescan.rules import RuleError, parse_rule

from severity_lines import by_line

RULE = "js-shell-piped-to-socket"


def test_a_shell_on_a_socket_is_high_a_fixed_archiver_low():
    text = ("const { spawn } = require('child_process');\n"
            "function push(sock, dir) {\n"
            "  const tar = spawn('tar', ['-czf', '-', '-C', dir, '.']);\n"
            "  tar.stdout.pipe(sock);\n"
            "}\n"
            "function shell(client) {\n"
            "  const sh = spawn('/bin/sh', []);\n"
            "  client.pipe(sh.stdin);\n"
            "  sh.stdout.pipe(client);\n"
            "}\n"
            "function py(conn) {\n"
            "  const p = spawn('python3.11', ['-i']);\n"
            "  p.stdout.pipe(conn);\n"
            "}\n")
    assert by_line(RULE, text) == {4: "low", 8: "high", 9: "high", 13: "high"}


def test_a_program_chosen_at_run_time_or_not_found_stays_high():
    text = ("const cp = require('child_process');\n"
            "function a(sock, prog) {\n"
            "  const x = cp.spawn(prog, []);\n"
            "  x.stdout.pipe(sock);\n"
            "}\n"
            "function b(sock, child) {\n"
            "  child.stdout.pipe(sock);\n"
            "}\n"
            "function c(sock) {\n"
            "  const w = cp.spawn(process.platform === 'win32' ? 'cmd.exe' : 'gzip', []);\n"
            "  sock.pipe(w.stdin);\n"
            "}\n")
    assert by_line(RULE, text) == {4: "high", 7: "high", 11: "high"}


def test_a_process_returned_by_a_same_file_function_is_followed():
    text = ("const { spawn } = require('child_process');\n"
            "function tarball(dir) {\n"
            "  return spawn('tar', ['-czf', '-', '-C', dir, '.']);\n"
            "}\n"
            "function console() {\n"
            "  const sh = spawn('cmd.exe', []);\n"
            "  return sh;\n"
            "}\n"
            "async function push(sock) {\n"
            "  const t = tarball('dist');\n"
            "  t.stdout.pipe(sock);\n"
            "  const c = console();\n"
            "  c.stdout.pipe(sock);\n"
            "}\n")
    assert by_line(RULE, text) == {11: "low", 13: "high"}


def test_harmless_program_is_only_for_javascript_rules():
    import yaml
    raw = yaml.safe_load(open("rules/javascript/js-shell-piped-to-socket.yaml").read())
    raw["languages"] = ["go"]
    with pytest.raises(RuleError, match="harmless_program"):
        parse_rule(raw, "x.yaml")
