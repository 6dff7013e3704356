"""A file's versions analyzed in order re-parse from the previous version's tree: the analysis equals a fresh one."""
from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from codescan.analyze import languages
from codescan.analyze.document import Analyzer
from codescan.analyze.reparse import LastTrees, _common_prefix, base_path
from codescan.config import Config
from codescan.records import Document
from codescan.rules import load_rules

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures" / "rules"


def _same(versions: list[tuple[str, bytes]]) -> int:
    """Analyze the versions in order with and without reuse; assert each blob's analysis is the same. Returns the
    number of findings (so a caller can check the history exercised the rules)."""
    ruleset = load_rules()
    fresh = Analyzer(ruleset, Config(), units=True, reuse=False)
    reused = Analyzer(ruleset, Config(), units=True)
    findings = 0
    for number, (path, content) in enumerate(versions):
        doc = Document(path=path, content=content, repo="r", blob=str(number), trusted=False)
        a, b = fresh.analyze(doc), reused.analyze(doc)
        assert pickle.dumps((a.findings, a.skips, a.units, a.lines)) == \
            pickle.dumps((b.findings, b.skips, b.units, b.lines)), (path, number)
        findings += len(a.findings)
    return findings


def _edits(data: bytes) -> list[bytes]:
    """Versions of a file as commits make them: a middle part missing, whole, a line added on top and a line
    changed inside, the tail cut."""
    lines = data.splitlines(keepends=True)
    third = len(lines) // 3
    middle = len(lines) // 2
    changed = list(lines)
    if changed:
        changed[middle] = changed[middle].replace(b"a", b"b", 1)
    return [b"".join(lines[:third] + lines[2 * third:]), data, b"# new first line\n" + b"".join(changed),
            b"".join(lines[: len(lines) * 3 // 4])]


def test_fixture_histories_analyze_the_same_with_reuse():
    versions = []
    for folder in ("python", "javascript", "go", "php", "shell"):
        for path in sorted((FIXTURES / folder).glob("*"))[:6]:
            if path.is_file():
                versions += [(f"{folder}/{path.name}", v) for v in _edits(path.read_bytes())]
    assert _same(versions) > 20


def test_stdlib_release_history_analyzes_the_same_with_reuse():
    from bench import history_mirror

    if not history_mirror.releases():
        pytest.skip("no installed Python releases")
    by_path: dict[str, list[bytes]] = {}
    for _who, _when, _message, files in history_mirror._snapshots("json", 2):
        for rel, data in files.items():
            if not by_path.get(rel) or by_path[rel][-1] != data:
                by_path.setdefault(rel, []).append(data)
    small = sorted(by_path, key=lambda rel: len(by_path[rel][-1]))[:3]
    _same([(f"json/{rel}", data) for rel in small for data in by_path[rel]])


def test_the_edit_covers_exactly_what_changed_and_keeps_only_error_free_trees():
    parser = languages.parser("python")
    old = b"def f():\n    return 1\n\n\ndef g():\n    return 2\n"
    new = b"def f():\n    return 10\n\n\ndef g():\n    return 2\n"
    trees = LastTrees()
    key = ("a.py", "python")
    assert trees.old_tree(key, new) is None
    trees.keep_tree(key, old, parser.parse(old))
    edited = trees.old_tree(key, new)
    again = parser.parse(new, old_tree=edited)
    assert str(again.root_node) == str(parser.parse(new).root_node)
    assert [tuple(r.start_point) for r in edited.changed_ranges(again)] in ([], [(1, 11)])
    broken = b"def f(:\n"
    trees.keep_tree(key, broken, parser.parse(broken))
    assert trees.old_tree(key, new) is None  # a tree with an error is not kept


def test_common_prefix_and_base_path():
    assert _common_prefix(b"abcdef", b"abcxef") == 3
    assert _common_prefix(b"abc", b"abc") == 3
    assert _common_prefix(b"abc", b"abcd") == 3
    assert _common_prefix(b"", b"x") == 0
    assert base_path("././pkg/a.py") == "pkg/a.py"
