"""The fenced Semgrep engine end to end: a user's rule file via --rules, a forced timeout and Ctrl-C
leave no semgrep / semgrep-core process behind, and Semgrep's failures become skips."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

from codescan.cli import main
from codescan.config import Config
from codescan.engines import semgrep
from codescan.engines.semgrep_pass import SemgrepPass
from codescan.records import Document
from codescan.rules import load_rules

pytestmark = pytest.mark.skipif(semgrep.find_semgrep() is None,
                                reason="semgrep is not installed (pip install 'codescan[semgrep]')")

USER_RULE = """\
rules:
  - id: team.no-shell-format
    languages: [python]
    severity: ERROR
    message: shell command built with format()
    patterns:
      - pattern: os.system($CMD.format(...))
    metadata:
      cwe: ["CWE-78: OS Command Injection"]
"""
# Taint over thousands of functions in one file keeps semgrep-core busy for minutes.
SLOW_FILE = "import os\nfrom flask import request\n" + "".join(
    f"\ndef view_{i}():\n    a = request.args.get('x{i}')\n    b = a + '{i}'\n    os.system('echo ' + b)\n"
    for i in range(3000))


def group_members(pgid: int) -> list[tuple[int, str]]:
    """(pid, command) of live processes in process group or session `pgid`, read from /proc."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmd = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2:].split()
        state, pg, sid = fields[0], int(fields[2]), int(fields[3])
        if (pg == pgid or sid == pgid) and state != "Z":
            found.append((int(entry.name), cmd))
    return found


def test_user_semgrep_rule_file_gives_findings_with_its_id(tmp_path, capsys):
    rules = tmp_path / "team-rules.yaml"
    rules.write_text(USER_RULE)
    src = tmp_path / "src"
    (src / "tests").mkdir(parents=True)  # semgrep's default ignores would skip tests/: codescan's must not
    (src / "tests" / "tool.py").write_text("import os\n\nos.system('ls {}'.format(folder))\n")
    (src / "clean.py").write_text("print('hello')\n")
    code = main(["scan", str(src), "--rules", str(rules), "--format", "json", "--no-progress", "--ignore",
                 "os-system-built-command"])
    report = json.loads(capsys.readouterr().out)
    hits = [f for f in report["findings"] if f["rule_id"] == "team.no-shell-format"]
    assert code == 1 and len(hits) == 1
    hit = hits[0]
    assert (hit["path"], hit["line"], hit["severity"], hit["category"], hit["cwe"]) == (
        "tests/tool.py", 3, "high", "injection", ["CWE-78"])
    assert hit["snippet"] == "os.system('ls {}'.format(folder))"


def watch_for_core(pids: list[int], seen: list[str], stop: threading.Event) -> None:
    while not stop.is_set():
        if pids:
            seen.extend(cmd for _, cmd in group_members(pids[0]) if "semgrep-core" in cmd)
            if seen:
                return
        time.sleep(0.05)


def test_forced_timeout_kills_the_whole_process_group(tmp_path):
    rules = [r for r in load_rules(builtin_semgrep=True).rules if r.id == "request-to-shell-command"]
    pids: list[int] = []
    seen: list[str] = []
    stop = threading.Event()
    watcher = threading.Thread(target=watch_for_core, args=(pids, seen, stop), daemon=True)
    watcher.start()
    limits = semgrep.Limits(timeout=10.0, file_timeout=0, jobs=1)
    with SemgrepPass(rules, Config(), limits, on_start=pids.append) as semgrep_pass:
        assert semgrep_pass.offer(Document("slow.py", SLOW_FILE.encode()))
        result = semgrep_pass.run()
    stop.set()
    assert pids and [s.reason for s in result.skips] == [
        "semgrep: semgrep timed out after 10 s (process group killed)"]
    assert seen, "semgrep-core never started within the timeout; the test proved less than it should"
    assert group_members(pids[0]) == []


def test_ctrl_c_leaves_no_semgrep_process(tmp_path):
    script = tmp_path / "run.py"
    script.write_text(textwrap.dedent(f"""
        import signal
        import sys
        # a shell starts background jobs with SIGINT ignored, and Python then installs no KeyboardInterrupt
        # handler: the child would ignore the test's Ctrl-C (what made this test fail when the suite ran with `&`)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        from codescan.config import Config
        from codescan.engines.semgrep_pass import SemgrepPass
        from codescan.records import Document
        from codescan.rules import load_rules
        rules = [r for r in load_rules(builtin_semgrep=True).rules if r.id == "request-to-shell-command"]
        content = open({str(tmp_path / 'slow.py')!r}, 'rb').read()
        with SemgrepPass(rules, Config(), on_start=lambda pid: print(pid, flush=True)) as p:
            for i in range(8):  # one file can be done before the test has seen semgrep-core and sent Ctrl-C
                p.offer(Document(f"slow{{i}}.py", content))
            try:
                p.run()
            except KeyboardInterrupt:
                print("interrupted", flush=True)
                sys.exit(130)
            print("finished", flush=True)
    """))
    (tmp_path / "slow.py").write_text(SLOW_FILE)
    child = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, text=True,
                             cwd=Path(__file__).resolve().parent.parent)
    try:
        pgid = int(child.stdout.readline())
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not any("semgrep-core" in c for _, c in group_members(pgid)):
            time.sleep(0.05)
        assert any("semgrep-core" in c for _, c in group_members(pgid)), "semgrep-core never started"
        child.send_signal(signal.SIGINT)  # what Ctrl-C sends codescan (semgrep sits in its own session)
        rest = child.stdout.read()
        code = child.wait(timeout=30)
    finally:
        if child.poll() is None:
            child.kill()
    assert group_members(pgid) == []
    assert code == 130 and "interrupted" in rest, (code, rest)


def test_a_rule_semgrep_cannot_parse_is_a_usage_error_not_a_crash(tmp_path, capsys):
    rules = tmp_path / "broken.yaml"
    rules.write_text(USER_RULE.replace("os.system($CMD.format(...))", "os.system($CMD.format(...)"))
    (tmp_path / "tool.py").write_text("import os\nos.system('ls {}'.format(d))\n")
    code = main(["scan", str(tmp_path / "tool.py"), "--rules", str(rules), "--engine", "semgrep",
                 "--format", "json", "--no-progress", "--strict"])
    captured = capsys.readouterr()
    assert code == 2 and captured.out == ""  # every file would miss the rule: no report that looks clean
    assert "Rule parse error" in captured.err and "team.no-shell-format" in captured.err and "broken.yaml" in captured.err
