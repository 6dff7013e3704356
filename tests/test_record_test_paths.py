"""A corpus record is graded by its file's path, as a scan grades the file: a test suite's own handler stays low
(`in_tests`), and facts path conditions read that path too, not the record's unique key."""
from __future__ import annotations

from codescan.analyze.document import Analyzer
from codescan.config import Config
from codescan.records import Document
from codescan.rules import load_rules

RULE = "xss-from-request-input"
ANALYZER = Analyzer(load_rules().select((RULE,), ()), Config(honour_suppressions=False))
HANDLER = (b"import flask\n"
           b"def test_stream(app, client):\n"
           b"    @app.route('/')\n"
           b"    def index():\n"
           b"        return flask.Response('Hello ' + flask.request.args['name'])\n")


def _severities(**where) -> set[str]:
    found = ANALYZER.analyze(Document(content=HANDLER, **where)).findings
    return {f.severity for f in found if f.rule_id == RULE}


def test_a_record_from_a_test_file_is_graded_like_the_file():
    scanned = _severities(path="flask/tests/test_helpers.py")
    record = _severities(path="shard.jsonl#104.0", kind_path="flask/tests/test_helpers.py", trusted=False)
    assert scanned == record == {"low"}


def test_a_record_from_application_code_stays_high():
    assert _severities(path="shard.jsonl#7.0", kind_path="flask/app/views.py", trusted=False) == {"high"}
