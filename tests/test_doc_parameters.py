"""A parameter's .__doc__: the file's decorator names are collected once, however many functions read one."""
from __future__ import annotations

from codescan.analyze.document import Analyzer
from codescan.analyze.semantics.lang import python_access
from codescan.config import Config
from codescan.records import Document
from codescan.rules import load_rules

RULES = load_rules()


class _Counting:
    def __init__(self, pattern):
        self.pattern, self.calls = pattern, 0

    def findall(self, source):
        self.calls += 1
        return self.pattern.findall(source)


def test_decorator_names_are_searched_once_per_file(monkeypatch):
    counting = _Counting(python_access._DECORATOR)
    monkeypatch.setattr(python_access, "_DECORATOR", counting)
    functions = "".join(f"def f{i}(fn):\n    exec(fn.__doc__)\n\n" for i in range(400))
    text = "@f3\ndef g():\n    '''import os'''\n\n" + functions
    analyzer = Analyzer(RULES.select(("exec-of-code-string",), ()), Config(honour_suppressions=False))
    found = analyzer.analyze(Document(path="d.py", content=text.encode())).findings
    assert counting.calls == 1
    # f3 decorates g: its parameter's docstring is this file's own; the other 399 read whatever their callers pass
    assert {f.line for f in found if f.rule_id == "exec-of-code-string"} == {4 + 3 * 3 + 2}
