"""The scan command end to end: formats, --output, `python -m codescan`, no network, never running scanned code."""
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from clirun import DEMO_RULES, write
from codescan.cli import main

HOOK = "import os\nos.system(cmd)\n"


def run_module(*args, cwd=None, prefix=()) -> subprocess.CompletedProcess:
    return subprocess.run([*prefix, sys.executable, "-m", "codescan", *map(str, args)], capture_output=True,
                          text=True, timeout=120, cwd=cwd)


def test_jsonl_has_one_finding_per_line_then_skips(tmp_path, capsys):
    write(tmp_path, "a.py", HOOK + "import pickle\npickle.loads(b)\n")
    write(tmp_path, "blob.bin", b"\0\0\0")
    code = main(["scan", str(tmp_path), *DEMO_RULES, "--format", "jsonl", "--no-progress"])
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert code == 1
    assert [(r.get("rule_id"), r.get("line"), r.get("skipped", False)) for r in rows] == [
        ("demo-os-system", 2, False), ("demo-pickle-loads", 4, False), (None, None, True)]
    assert all(r["schema_version"] for r in rows)
    assert rows[2]["path"] == "blob.bin" and "binary" in rows[2]["reason"]


@pytest.mark.parametrize("fmt", ["json", "sarif", "text", "jsonl"])
def test_output_file_receives_the_report_and_stdout_stays_empty(tmp_path, capsys, fmt):
    write(tmp_path, "src/a.py", HOOK)
    out = tmp_path / f"report.{fmt}"
    code = main(["scan", str(tmp_path / "src"), *DEMO_RULES, "--format", fmt, "--output", str(out), "--no-progress"])
    assert code == 1 and capsys.readouterr().out == ""
    text = out.read_text(encoding="utf-8")
    if fmt == "json":
        assert json.loads(text)["findings"][0]["path"] == "a.py"
    elif fmt == "sarif":
        assert json.loads(text)["runs"][0]["results"][0]["ruleId"] == "demo-os-system"
    elif fmt == "jsonl":
        assert json.loads(text.splitlines()[0])["rule_id"] == "demo-os-system"
    else:
        assert "demo-os-system" in text and "\033[" not in text


def test_python_dash_m_codescan_works(tmp_path):
    write(tmp_path, "a.py", HOOK)
    proc = run_module("scan", "a.py", *DEMO_RULES, "--format", "json", cwd=tmp_path)
    assert proc.returncode == 1, proc.stderr
    assert json.loads(proc.stdout)["findings"][0]["path"] == "a.py"
    assert run_module("--version").stdout.startswith("codescan ")


# A child that makes every socket fail, then runs the CLI: any network use would surface as an error.
NO_NETWORK = """
import socket, sys
class NoNetwork(socket.socket):
    def __init__(self, *a, **k):
        raise OSError("network use is forbidden in this test")
socket.socket = NoNetwork
socket.create_connection = lambda *a, **k: (_ for _ in ()).throw(OSError("network use is forbidden"))
from codescan.cli import main
sys.exit(main(sys.argv[1:]))
"""


def _offline_tree(tmp_path: Path) -> Path:
    write(tmp_path, "a.py", HOOK)
    write(tmp_path, "web/app.js", "eval(atob(payload));\n")
    write(tmp_path, "web/app.ts", "const x: number = 1;\n")
    return tmp_path


def test_scan_works_with_sockets_disabled(tmp_path):
    root = _offline_tree(tmp_path)
    proc = subprocess.run([sys.executable, "-c", NO_NETWORK, "scan", str(root), "--format", "json",
                           "--no-progress", "--fail-on", "none", "-j", "1"],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    assert report["stats"]["files"] == 3
    assert not [s for s in report["skipped"] if "network" in s["reason"] or "socket" in s["reason"]]


@pytest.mark.skipif(shutil.which("unshare") is None, reason="unshare is not installed")
def test_scan_works_in_a_network_namespace_without_network(tmp_path):
    probe = subprocess.run(["unshare", "-rn", "true"], capture_output=True)
    if probe.returncode != 0:
        pytest.skip("user namespaces are not allowed here")
    root = _offline_tree(tmp_path)
    proc = run_module("scan", root, "--format", "json", "--no-progress", "--fail-on", "none",
                      prefix=("unshare", "-rn"))
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["stats"]["files"] == 3


def test_scanned_code_is_never_executed(tmp_path):
    marker = tmp_path / "EXECUTED"
    payload = f"open({str(marker)!r}, 'w').write('ran')\n"
    project = tmp_path / "project"
    for name in ("setup.py", "conftest.py", "sitecustomize.py", "usercustomize.py", "pkg/__init__.py",
                 "pkg/__main__.py", "codescan.py", "codescan/__init__.py"):
        write(project, name, "import os\n" + payload + "os.system('true')\n")
    write(project, "pyproject.toml", "[build-system]\nrequires = []\n")
    write(project, "package.json", json.dumps({"scripts": {"postinstall": f"touch {marker}"}}))
    write(project, "index.js", f"require('fs').writeFileSync({json.dumps(str(marker))}, 'ran');\n")
    # As pre-commit runs it (the console script), and as `python -P -m codescan`: plain `python -m`
    # puts the current folder first on sys.path, so a scanned tree's own codescan/ would be imported.
    script = shutil.which("codescan") or pytest.skip("codescan console script not installed")
    for argv in ([script], [sys.executable, "-P", "-m", "codescan"]):
        proc = subprocess.run([*argv, "scan", ".", "--format", "json", "--no-progress"], cwd=project,
                              capture_output=True, text=True, timeout=120)
        assert proc.returncode in (0, 1), proc.stderr
        assert not marker.exists(), argv
        assert json.loads(proc.stdout)["stats"]["files"] >= 10
