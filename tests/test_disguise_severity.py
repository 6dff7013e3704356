"""Severities of names spelled in pieces: a hidden capability is high, a data-only module spelled so is low."""
from __future__ import annotations

from codescan.analyze.document import Analyzer
from codescan.config import Config
from codescan.records import Document
from codescan.rules import load_rules

RULES = load_rules()


def _by_line(rule_id: str, path: str, text: str) -> dict[int, str]:
    analyzer = Analyzer(RULES.select((rule_id,), ()), Config(honour_suppressions=False))
    found = analyzer.analyze(Document(path=path, content=text.encode())).findings
    return {f.line: f.severity for f in found if f.rule_id == rule_id}


def test_data_only_module_spelled_in_pieces_is_low_a_capability_stays_high():
    text = ("import importlib\n"
            "codec = importlib.import_module('js' + 'on')\n"
            "runner = importlib.import_module('sub' + 'process')\n"
            "packer = __import__('pic' + 'kle')\n"
            "clock = __import__(''.join(['date', 'time']))\n"
            "shell = __import__('so'[::-1])\n")
    assert _by_line("obfuscated-import-name", "m.py", text) == {2: "low", 3: "high", 4: "high", 5: "low", 6: "high"}
