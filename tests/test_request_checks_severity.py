"""Request data that a check or a server signature vouches for, and data that only decides a branch."""
from __future__ import annotations

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
