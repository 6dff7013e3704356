"""Rule gating: the literal tokens a tree-sitter rule needs are derived from its query, soundly."""
from __future__ import annotations

import pytest

from codescan.analyze.rule_gate import gate_for_query, regex_requirement
from codescan.config import Config
from codescan.analyze.document import Analyzer
from codescan.records import Document
from codescan.rules import load_rules


def test_eq_and_any_of_on_a_mandatory_capture_gate_the_rule():
    gate = gate_for_query('((call function: (identifier) @fn) (#any-of? @fn "eval" "exec"))')
    assert gate is not None and gate.tokens == {"eval", "exec"}
    assert gate.admits(b"x = eval(y)") and gate.admits(b"evaluate()")  # a substring test: sound, not exact
    assert not gate.admits(b"print(1)") and not gate.admits(b"EVAL(1)")


def test_a_capture_only_in_one_branch_or_optional_cannot_gate():
    alt = '((call function: [(identifier) @a (attribute)]) (#eq? @a "eval"))'
    opt = '((call function: (identifier) @f arguments: (argument_list (identifier)? @a)) (#eq? @a "secret"))'
    assert gate_for_query(alt) is None
    assert gate_for_query(opt) is None


def test_every_pattern_must_be_gated_and_tokens_are_the_union():
    two = '((identifier) @a (#eq? @a "pickle")) ((identifier) @b (#eq? @b "marshal"))'
    assert gate_for_query(two).tokens == {"pickle", "marshal"}
    assert gate_for_query('((identifier) @a (#eq? @a "pickle")) (call) @c') is None


def test_capture_to_capture_and_negated_predicates_do_not_gate():
    assert gate_for_query('((assignment left: (_) @a right: (_) @b) (#eq? @a @b))') is None
    assert gate_for_query('((identifier) @a (#not-eq? @a "print"))') is None


@pytest.mark.parametrize("pattern, tokens, ci", [
    (r"^(hashlib\.)?(md5|sha1)$|^(MD5|SHA1|SHA)\.new$", {"md5", "sha1", "MD5.new", "SHA1.new", "SHA.new"}, False),
    (r"(?i)^(pwd|pass(word|phrase))$", {"pwd", "password", "passphrase"}, True),
    (r"(^|\.)urlretrieve$", {"urlretrieve"}, False),
    (r"(?i)^verify_(ssl|tls)$", {"verify_ssl", "verify_tls"}, True),
])
def test_required_literals_of_a_regex(pattern, tokens, ci):
    assert regex_requirement(pattern) == (frozenset(tokens), ci)


@pytest.mark.parametrize("pattern", [r"^\w+$", r"(?i)(pw|pass)", r"a|b.*"])
def test_a_regex_without_long_required_literals_gives_none(pattern):
    assert regex_requirement(pattern) is None


def test_gated_and_combined_analyzers_find_the_same_things_on_the_fixtures():
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent / "fixtures"
    ruleset = load_rules(())
    combined, gated = Analyzer(ruleset, Config()), Analyzer(ruleset, Config(), lazy_rules=True)
    checked = 0
    for path in sorted(root.rglob("*")):
        if path.suffix not in (".py", ".js", ".ts") or not path.is_file():
            continue
        doc = Document(path=path.name, content=path.read_bytes())
        keys = [{(f.rule_id, f.line, f.context) for f in a.analyze(doc).findings} for a in (combined, gated)]
        assert keys[0] == keys[1], path
        checked += len(keys[0])
    assert checked > 300
