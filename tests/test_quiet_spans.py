"""A gated quiet rule is queried only where its tokens are inside the changed statements (quiet_rules.quiet_in with
spans): a statement no token span touches is not walked, and the answer is never "quiet" where a whole-statement
query finds a match."""
from __future__ import annotations

import os
import random
from pathlib import Path

import pytest
import tree_sitter as ts

from codescan.analyze import languages, quiet_rules
from codescan.analyze.quiet_rules import pattern_roots, quiet_in
from codescan.analyze.rule_gate import Presence
from codescan.analyze.treesitter import MATCH_LIMIT, CompiledRules, compile_rule
from codescan.rules import load_rules

STDLIB = Path(os.__file__).parent


def _cursors(monkeypatch) -> list:
    made: list = []
    real = ts.QueryCursor

    def counting(*args, **kwargs):
        cursor = real(*args, **kwargs)
        made.append(cursor)
        return cursor

    monkeypatch.setattr(quiet_rules.ts, "QueryCursor", counting)
    return made


def _python_rules():
    ruleset = load_rules()
    wanted = tuple(r for r in ruleset.rules if r.engine == "treesitter" and "python" in r.languages)
    return CompiledRules(wanted, "python", lazy=True)


def test_a_statement_no_token_span_touches_is_not_walked(monkeypatch):
    rules = _python_rules()
    rule, gate = next((r, g) for r, g in rules._order if g is not None and r.id == "exec-of-decoded-payload")
    query = compile_rule(rule, "python")
    body = "".join(f"    def m{i}(self, x):\n        return x + {i}\n" for i in range(400))
    source = ("class Big:\n" + body + "\n\nimport base64\nexec(base64.b64decode(blob))\n").encode()
    tree = languages.parser("python").parse(source)
    big = tree.root_node.children[0]
    spans = gate.spans(Presence(source))
    assert spans and all(start > big.end_byte for start, _ in spans)
    made = _cursors(monkeypatch)
    assert quiet_in(query, [big], MATCH_LIMIT, spans)
    assert made == []  # before: the whole 800-line class was walked for this rule
    assert quiet_in(query, [big], MATCH_LIMIT)
    assert len(made) == 1
    # the statement holding the tokens is queried, and its match is found
    assert not quiet_in(query, list(tree.root_node.children), MATCH_LIMIT, spans)


def _mutated(lines: list[bytes], rng: random.Random) -> list[bytes]:
    lines = list(lines)
    for _ in range(rng.randrange(1, 4)):
        i = rng.randrange(len(lines))
        op = rng.choice("dsx")
        if op == "d":
            lines.insert(i, lines[i])
        elif op == "s" and len(lines) > 1:
            del lines[i]
        elif i + 1 < len(lines):
            lines[i], lines[i + 1] = lines[i + 1], lines[i]
    return lines


@pytest.mark.parametrize("folder", ["fixtures/rules/python", "stdlib"])
def test_spans_never_call_quiet_what_the_whole_statements_match(folder):
    """Every gated, pattern-rooted Python rule on changed top-level statements of mutated versions: quiet with
    spans implies quiet on the whole statements (the spans may only save walking)."""
    if folder == "stdlib":
        files = sorted(STDLIB.glob("*.py"))[:25]
    else:
        files = sorted(Path(folder).rglob("*.py"))
    if not files:
        pytest.skip("no sources")
    rules = _python_rules()
    gated = [(r, g, compile_rule(r, "python")) for r, g in rules._order if g is not None]
    gated = [(r, g, q) for r, g, q in gated if pattern_roots(r.query, q.pattern_count)]
    rng = random.Random(7)
    parser = languages.parser("python")
    checked = differ = 0
    for path in files:
        lines = path.read_bytes().split(b"\n")
        for _ in range(2):
            source = b"\n".join(_mutated(lines, rng))
            tree = parser.parse(source)
            if tree.root_node.has_error:
                continue
            statements = list(tree.root_node.children)
            seen = Presence(source)
            for rule, gate, query in gated:
                spans = gate.spans(seen)
                if spans is None:
                    continue
                whole = quiet_in(query, statements, MATCH_LIMIT)
                narrow = quiet_in(query, statements, MATCH_LIMIT, spans)
                checked += 1
                assert whole or not narrow, (path, rule.id)
                differ += whole != narrow
    assert checked > 50
    assert differ == 0  # nothing is lost either: a rule whose tokens occur matches near them
