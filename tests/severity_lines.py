"""The severity of each line one rule reports in a snippet (shared by the severity tests of JS/TS gradings)."""
from __future__ import annotations

from codescan.analyze.document import Analyzer
from codescan.config import Config
from codescan.records import Document
from codescan.rules import load_rules

RULES = load_rules()


def by_line(rule_id: str, text: str, path: str = "app.js") -> dict[int, str]:
    analyzer = Analyzer(RULES.select((rule_id,), ()), Config(honour_suppressions=False))
    found = analyzer.analyze(Document(path=path, content=text.encode())).findings
    return {f.line: f.severity for f in found if f.rule_id == rule_id}


def findings(rule_id: str, text: str, path: str = "app.js") -> list:
    analyzer = Analyzer(RULES.select((rule_id,), ()), Config(honour_suppressions=False))
    return [f for f in analyzer.analyze(Document(path=path, content=text.encode())).findings if f.rule_id == rule_id]
