"""Inner sources (code in a file's comments and docstrings) are parsed once per text by an analyzer that reuses
(reparse.LastTrees.fragment): a file's next version holds the same comments, and prose parsed as code is slow.
The findings stay those of a fresh analysis, version by version."""
from __future__ import annotations

import pickle
from pathlib import Path

from codescan.analyze import document
from codescan.analyze.document import Analyzer
from codescan.config import Config
from codescan.records import Document
from codescan.rules import load_rules

HOST = b'''import os


def helper(path):
    """Run a command.

    Example:
        os.system("rm -rf " + path)
        exec(base64.b64decode(blob))
    """
    return path


def other(blob):
    # exec(base64.b64decode(blob))
    return 1
'''


def _fresh_parses(monkeypatch) -> list[bytes]:
    parsed: list[bytes] = []
    real = document._parse

    def counting(language, source, budget, old_tree=None):
        if old_tree is None:
            parsed.append(source)
        return real(language, source, budget, old_tree)

    monkeypatch.setattr(document, "_parse", counting)
    return parsed


def _versions() -> list[bytes]:
    v2 = HOST.replace(b"    return 1\n", b"    value = 2\n    return value\n")
    v3 = v2 + b"\n\ndef third():\n    return 3\n"
    return [HOST, v2, v3]


def test_the_next_version_parses_no_comment_or_docstring_code_again(monkeypatch):
    ruleset = load_rules()
    reused = Analyzer(ruleset, Config(), units=True)
    fresh = Analyzer(ruleset, Config(), units=True, reuse=False)
    parsed = _fresh_parses(monkeypatch)
    counts = []
    for number, text in enumerate(_versions()):
        doc = Document(path="app/helpers.py", content=text, repo="r", blob=str(number))
        start = len(parsed)
        a = reused.analyze(doc)
        counts.append(len(parsed) - start)
        b = fresh.analyze(doc)
        assert pickle.dumps((a.findings, a.skips, a.units)) == pickle.dumps((b.findings, b.skips, b.units)), number
        assert {f.context for f in a.findings} >= {"docstring", "comment"}
    assert counts[0] >= 3  # the file and its inner sources
    assert counts[1] == 0 and counts[2] == 0, counts  # the tree of the edited file is re-parsed from the last one


def test_fixture_versions_equal_a_fresh_analysis():
    """Every Python fixture with code in a comment or docstring, in three versions (a line duplicated, one dropped):
    the reusing analyzer's findings equal a fresh one's."""
    files = [p for p in sorted(Path("fixtures/rules/python").rglob("*.py"))
             if b'"""' in p.read_bytes() or b"#" in p.read_bytes()]
    assert files
    ruleset = load_rules()
    reused = Analyzer(ruleset, Config(), units=True)
    fresh = Analyzer(ruleset, Config(), units=True, reuse=False)
    compared = inner = 0
    for path in files:
        lines = path.read_bytes().split(b"\n")
        for number, version in enumerate((lines, lines + lines[-3:], lines[1:] + [b"x = 1"])):
            doc = Document(path=str(path), content=b"\n".join(version), repo="r", blob=f"{path}{number}")
            a, b = reused.analyze(doc), fresh.analyze(doc)
            assert a.findings == b.findings and a.skips == b.skips and a.units == b.units, (path, number)
            compared += 1
            inner += sum(f.context in ("comment", "docstring", "decoded") for f in b.findings)
    assert compared > 100 and inner > 10
