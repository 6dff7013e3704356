"""Issue 17, Semgrep: a broken Semgrep rule file stops the scan (exit 2), and a user's Semgrep rule is never merged
away by a built-in rule firing on the same line."""
from __future__ import annotations

import json

import pytest

from clirun import write
from codescan.cli import main
from codescan.engines import semgrep

pytestmark = pytest.mark.skipif(semgrep.find_semgrep() is None,
                                reason="semgrep is not installed (pip install 'codescan[semgrep]')")

BROKEN_PATTERN = """\
rules:
  - id: team.broken-pattern
    languages: [python]
    severity: ERROR
    message: broken
    pattern: "os.system($X"
"""
BROKEN_SCHEMA = """\
rules:
  - id: team.broken-schema
    languages: [python]
    severity: ERROR
    message: broken
    patterns:
      - pattern-inside: "def $F(...): ..."
      - patern: "print(...)"
"""
TEAM_RULE = """\
rules:
  - id: team.no-shell-format
    languages: [python]
    severity: ERROR
    message: shell command built with format()
    pattern: os.system($CMD.format(...))
    metadata:
      cwe: ["CWE-78: OS Command Injection"]
"""


# 8. A Semgrep rule Semgrep cannot parse is a usage error, like a broken tree-sitter rule, not a skip per file.
@pytest.mark.parametrize("text,rule_id", [(BROKEN_PATTERN, "team.broken-pattern"), (BROKEN_SCHEMA, "patern")])
def test_broken_semgrep_rule_file_stops_the_scan(tmp_path, capsys, text, rule_id):
    rules = write(tmp_path, "team.yaml", text)
    write(tmp_path, "src/a.py", "import os\nos.system(cmd)\nprint(1)\n")
    assert main(["scan", str(tmp_path / "src"), "--rules", str(rules), "--no-progress"]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and err.startswith("codescan: error:")
    assert "team.yaml" in err and rule_id in err


def test_broken_semgrep_rule_is_reported_even_when_no_file_reaches_semgrep(tmp_path, capsys):
    rules = write(tmp_path, "team.yaml", BROKEN_PATTERN)
    write(tmp_path, "src/a.js", "console.log(1)\n")
    assert main(["scan", str(tmp_path / "src"), "--rules", str(rules), "--no-progress"]) == 2
    assert "team.broken-pattern" in capsys.readouterr().err


# 9. A user's Semgrep rule firing on the line a built-in rule reports keeps its own finding.
def test_user_semgrep_rule_is_not_merged_away_by_a_builtin_rule(tmp_path, capsys):
    rules = write(tmp_path, "team.yaml", TEAM_RULE)
    write(tmp_path, "src/tool.py", "import os\n\nos.system('ls {}'.format(folder))\n")
    code = main(["scan", str(tmp_path / "src"), "--rules", str(rules), "-f", "json", "--no-progress"])
    found = [(f["rule_id"], f["line"]) for f in json.loads(capsys.readouterr().out)["findings"]]
    assert code == 1 and ("team.no-shell-format", 3) in found
    assert any(rule != "team.no-shell-format" and line == 3 for rule, line in found)  # the built-in one too
