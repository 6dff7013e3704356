"""A file's folded view (constants joined, aliases followed) is re-parsed from the folded tree of the file's previous
version when the analyzer reuses trees (document.FOLDED_TREES): one edited span, where the original's tree edited
into the folded shape touches every folded row. The findings stay those of a fresh analysis, version by version."""
from __future__ import annotations

import sys
from pathlib import Path

from codescan.analyze import document, reparse
from codescan.analyze.document import Analyzer
from codescan.config import Config
from codescan.records import Document
from codescan.rules import load_rules

HOST = b'''import socket
import ssl as tls

hidden = __import__("ssl", fromlist=["wrap_socket"])


def connect(host):
    sock = socket.create_connection((host, 443))
    return hidden.wrap_socket(sock)


def other(x):
    return x
'''


def _versions() -> list[bytes]:
    v2 = HOST.replace(b"    return x\n", b"    y = x + 1\n    return y\n")
    v3 = b"# header\n" + v2 + b"\n\ndef third():\n    return 3\n"
    return [HOST, v2, v3]


def _folded_parses(monkeypatch) -> list[tuple[bytes, bool]]:
    """(source, whether an old tree was given) of every parse _folded_tree makes."""
    seen: list[tuple[bytes, bool]] = []
    real = document._parse

    def spying(language, source, budget, old_tree=None):
        if sys._getframe(1).f_code.co_name == "_folded_tree":
            seen.append((source, old_tree is not None))
        return real(language, source, budget, old_tree)

    monkeypatch.setattr(document, "_parse", spying)
    return seen


def _from_folded(monkeypatch) -> list:
    """The kept folded trees each version was re-parsed from (LastTrees.old_tree asked with a folded key)."""
    found: list = []
    real = reparse.LastTrees.old_tree

    def spying(self, key, source):
        tree = real(self, key, source)
        if key[1].endswith("/folded"):
            found.append(tree)
        return tree

    monkeypatch.setattr(reparse.LastTrees, "old_tree", spying)
    return found


def test_the_next_version_folds_from_the_last_folded_tree_with_a_fresh_analysis_s_findings(monkeypatch):
    ruleset = load_rules()
    reused = Analyzer(ruleset, Config(), units=True)
    fresh = Analyzer(ruleset, Config(), units=True, reuse=False)
    parses = _folded_parses(monkeypatch)
    kept = _from_folded(monkeypatch)
    for number, text in enumerate(_versions()):
        doc = Document(path="app/run.py", content=text, repo="r", blob=str(number))
        start = len(parses)
        a = reused.analyze(doc)
        assert len(parses) == start + 1, number  # one parse of the folded view: no fallback
        b = fresh.analyze(doc)
        assert a.findings == b.findings and a.skips == b.skips and a.units == b.units, number
        assert any(f.context == "folded" for f in a.findings), number
    assert [tree is not None for tree in kept] == [False, True, True]  # versions 2 and 3: from the kept folded tree


def test_without_folded_trees_the_folded_view_is_parsed_from_the_original_tree(monkeypatch):
    monkeypatch.setattr(document, "FOLDED_TREES", False)
    ruleset = load_rules()
    reused = Analyzer(ruleset, Config(), units=True)
    kept = _from_folded(monkeypatch)
    for number, text in enumerate(_versions()):
        reused.analyze(Document(path="app/run.py", content=text, repo="r", blob=str(number)))
    assert kept == []


def test_fixture_versions_fold_as_a_fresh_analysis():
    """Every Python fixture whose folded view differs, in three versions (lines appended, the first dropped): the
    reusing analyzer's findings equal a fresh one's."""
    files = [p for p in sorted(Path("fixtures/rules/python").rglob("*.py"))
             if document.deobfuscate.fold(p.read_bytes(), document._parse("python", p.read_bytes(), None),
                                          "python") not in (None, p.read_bytes())]
    assert len(files) > 20
    ruleset = load_rules()
    reused = Analyzer(ruleset, Config(), units=True)
    fresh = Analyzer(ruleset, Config(), units=True, reuse=False)
    folded = 0
    for path in files:
        lines = path.read_bytes().split(b"\n")
        for number, version in enumerate((lines, lines + lines[-3:], lines[1:] + [b"x = 1"])):
            doc = Document(path=str(path), content=b"\n".join(version), repo="r", blob=f"{path}{number}")
            a, b = reused.analyze(doc), fresh.analyze(doc)
            assert a.findings == b.findings and a.skips == b.skips and a.units == b.units, (path, number)
            folded += sum(f.context == "folded" for f in b.findings)
    assert folded > 5
