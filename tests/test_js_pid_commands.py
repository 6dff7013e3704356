"""A JavaScript shell command whose only parts not written out are process ids (nodemon's and pm2's tree killers:
`'taskkill /pid ' + child.pid + ' /T /F'`) is medium; a name, a signal, a call on the id or request data stays high."""
from __future__ import annotations

from severity_lines import by_line

KILLERS = ("const { exec, execSync } = require('child_process');\n"
           "function kill(child, pid, sig, name, req) {\n"
           "  exec('taskkill /pid ' + child.pid + ' /T /F');\n"
           "  execSync(`wmic process where (ParentProcessId=${child.pid}) get ProcessId 2> nul`);\n"
           "  exec('taskkill /pid ' + pid + ' /T /F', { windowsHide: true }, function (err) { return err; });\n"
           "  exec(`kill -${sig} ${pid}`);\n"
           "  exec('taskkill /im ' + name + ' /F');\n"
           "  exec('kill ' + child.pid + '; ' + name);\n"
           "  exec(`kill ${pid.toString()}`);\n"
           "  const target = req.query.pid;\n"
           "  exec('kill ' + target.pid);\n"
           "  execSync(JSON.stringify(name) + ' --version');\n"
           "  exec(name + ' ' + pid);\n"
           "}\n")


def test_only_process_ids_spliced_in_is_medium():
    got = by_line("js-exec-command-injection", KILLERS)
    assert {line: got[line] for line in (3, 4, 5)} == {3: "medium", 4: "medium", 5: "medium"}


def test_anything_else_spliced_in_stays_high():
    got = by_line("js-exec-command-injection", KILLERS)
    assert {line: got[line] for line in (6, 7, 8, 9, 11, 12, 13)} == dict.fromkeys((6, 7, 8, 9, 11, 12, 13), "high")
