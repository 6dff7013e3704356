"""Code shown in documentation is graded by what the prose around it says: endorsed as the supported usage it is
code, shown as a counter-example it is two levels down, in docstrings and in Markdown fenced blocks alike."""
from __future__ import annotations

from codescan.analyze.document import Analyzer
from codescan.config import Config
from codescan.records import Document
from codescan.rules import load_rules

RULES = load_rules()


def _sev(path: str, text: str) -> dict[tuple[int, str], str]:
    analyzer = Analyzer(RULES, Config(honour_suppressions=False))
    found = analyzer.analyze(Document(path=path, content=text.encode())).findings
    return {(f.line, f.rule_id): f.severity for f in found}


def _worst(got: dict, line: int) -> str | None:
    order = ["low", "medium", "high", "critical"]
    sevs = [s for (ln, _r), s in got.items() if ln == line]
    return max(sevs, key=order.index) if sevs else None


def test_docstring_that_calls_insecure_code_the_supported_usage_keeps_its_severity():
    text = ('"""Mirror client.\n'
            '\n'
            'Supported usage: our mirrors use private CAs, so the standard pattern here is::\n'
            '\n'
            '    session.get(mirror_url, verify=False)\n'
            '"""\n'
            'import requests\n')
    assert _worst(_sev("mirror.py", text), 5) in ("high", "critical")


def test_markdown_counter_example_under_a_warning_is_not_high():
    text = ("# Handling uploads\n"
            "\n"
            "Avoid unpickling anything a client sent; the following is exploitable:\n"
            "\n"
            "```python\n"
            "state = pickle.loads(flask.request.data)\n"
            "```\n")
    assert _worst(_sev("docs/uploads.md", text), 6) in (None, "low", "medium")


def test_markdown_block_that_is_recommended_stays_high():
    text = ("# Handling uploads\n"
            "\n"
            "The recommended way to restore the client's state:\n"
            "\n"
            "```python\n"
            "state = pickle.loads(flask.request.data)\n"
            "```\n")
    assert _worst(_sev("docs/uploads.md", text), 6) in ("high", "critical")
