"""A Python string known only in part keeps the shape of its constant parts (a HOLE for each unknown part), which
rules that match a command's or a URL's text read; equality and constant tests never do."""
from __future__ import annotations

import pytest

from codescan.analyze.document import Analyzer
from codescan.analyze.semantics.skeleton import HOLE
from codescan.config import Config
from codescan.records import Document
from codescan.rules import load_rules
from codescan.analyze.semantics.engine import FactRules
from tests.python_facts import facts_of


@pytest.fixture(scope="module")
def analyzer():
    return Analyzer(load_rules(), Config())


def _graded(analyzer, path, text, rule_id) -> dict[int, str]:
    """line -> severity of `rule_id`'s findings."""
    return {line: severity for line, rule, severity in _found(analyzer, path, text) if rule == rule_id}


def _found(analyzer, path, text):
    return sorted((f.line, f.rule_id, f.severity) for f in analyzer.analyze(Document(path=path, content=text.encode())).findings)


_RULES = []


def _argument_text(source, callee):
    if not _RULES:
        _RULES.append(FactRules(load_rules().rules))
    calls = [c for c in facts_of(_RULES[0], source.encode()) if c[0] == callee]
    assert calls, f"no call of {callee}"
    return calls[0][4][0]  # the first positional argument's Value


@pytest.mark.parametrize("expression, text", [
    ('"curl -s %s | sh" % url', f"curl -s {HOLE} | sh"),
    ('"%s://%s:%d/%%s" % ("https", host, 8443)', f"https://{HOLE}:8443/%s"),
    ('"wget -qO- http://" + host + "/i.sh | sh"', f"wget -qO- http://{HOLE}/i.sh | sh"),
    ('f"https://127.0.0.1:{port}/health?q={q!r}"', f"https://127.0.0.1:{HOLE}/health?q={HOLE}"),
])
def test_the_known_parts_are_kept_with_holes(expression, text):
    value = _argument_text(f"import os\ndef f(url, host, port, q):\n    os.system({expression})\n", "os.system")
    assert value.const is not None and not value.known and value.text == text


def test_no_text_without_a_constant_part_and_none_for_bytes_or_lists():
    assert _argument_text("import os\ndef f(a, b):\n    os.system(a + b)\n", "os.system").text is None
    assert _argument_text("import os\ndef f(a):\n    os.system(b'x' + a)\n", "os.system").text is None
    assert _argument_text("import os\ndef f(a):\n    os.system(['ls'] + a)\n", "os.system").text is None


def test_curl_piped_to_a_shell_through_a_variable_and_a_partial_is_reported(analyzer):
    text = ("import functools, os, subprocess\n"
            "run = functools.partial(subprocess.Popen, shell=True)\n"
            "def update(base):\n"
            "    cmd = f'curl -fsSL {base}/get | bash'\n"
            "    subprocess.run(cmd, shell=True)\n"
            "    run('wget -qO- %s | python3' % os.environ.get('MIRROR', 'https://example.org'))\n")
    got = [(line, rule) for line, rule, severity in _found(analyzer, "up.py", text) if severity == "critical"]
    assert (5, "shell-pipe-to-interpreter") in got and (6, "shell-pipe-to-interpreter") in got


def test_a_partly_known_download_saved_or_checksummed_is_not_a_pipe_to_a_shell(analyzer):
    text = ("import subprocess\n"
            "def fetch(base, dest):\n"
            "    cmd = f'curl -fsSL {base}/pkg.tgz -o {dest}'\n"
            "    subprocess.run(cmd, shell=True)\n"
            "    subprocess.run('curl -s %s | sha256sum' % base, shell=True)\n")
    assert not _graded(analyzer, "fetch.py", text, "shell-pipe-to-interpreter")


def test_verify_off_against_a_local_server_on_a_port_given_at_run_time_is_low_in_a_test(analyzer):
    text = ("import requests\n"
            "def test_health(server):\n"
            "    r = requests.get('https://127.0.0.1:%d/health' % server.port, verify=False)\n"
            "    assert r.ok\n"
            "def test_remote(server):\n"
            "    requests.get('https://%s/health' % server.host, verify=False)\n")
    got = _graded(analyzer, "tests/test_api.py", text, "tls-verify-disabled")
    assert got == {3: "low", 6: "high"}


def test_a_hole_never_equals_a_constant(analyzer):
    # `equals` reads constants only: a partly known value is not the constant its known parts spell
    text = "import requests\ndef f(flag):\n    requests.get('https://api.example.org', verify=f'{flag}')\n"
    assert not _graded(analyzer, "c.py", text, "tls-verify-disabled")


def test_request_input_formatted_into_a_shell_string_stays_critical_and_argv_words_stay_medium(analyzer):
    # the argv case (a fixed program, request data as its own word) must not take a shell string known in part
    text = ("import subprocess\nfrom flask import request\n"
            "def look():\n"
            "    opts = {'target': request.form.get('host', 'localhost'), 'type': 'A'}\n"
            "    cmd = 'nslookup -type=%s %s' % (opts['type'], opts['target'])\n"
            "    subprocess.check_output(cmd, shell=True)\n"
            "    subprocess.check_output(f'dig +short {request.args[\"h\"]}', shell=True)\n"
            "    subprocess.check_output(['nslookup', request.form['host']])\n")
    got = _graded(analyzer, "net.py", text, "command-from-request-input")
    assert got == {6: "critical", 7: "critical", 8: "medium"}


def test_verify_off_against_this_machine_outside_a_test_is_medium_and_a_remote_host_high(analyzer):
    text = ("import requests\n"
            "def health(port):\n"
            "    requests.get(f'https://127.0.0.1:{port}/health', verify=False)\n"
            "    requests.get('https://localhost/metrics', verify=False)\n"
            "    requests.get('https://localhost.evil.example/x', verify=False)\n"
            "    requests.get(f'https://{port}.example.org/x', verify=False)\n")
    got = _graded(analyzer, "svc/health.py", text, "tls-verify-disabled")
    assert got == {3: "medium", 4: "medium", 5: "high", 6: "high"}


@pytest.mark.parametrize("expression, text", [
    ('"curl -s {} | {sh}".format(url, sh="bash")', f"curl -s {HOLE} | bash"),
    ('"{0}://{1}:{port}/{{x}}".format("https", host, port=port)', f"https://{HOLE}:{HOLE}/{{x}}"),
    ('" ".join(["wget", "-qO-", url, "|", "sh"])', f"wget -qO- {HOLE} | sh"),
])
def test_format_and_join_keep_the_known_parts(expression, text):
    value = _argument_text(f"import os\ndef f(url, host, port):\n    os.system({expression})\n", "os.system")
    assert not value.known and value.text == text
