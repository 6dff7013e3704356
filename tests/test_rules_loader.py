"""The rule loader accepts well-formed rules and names the file and problem for bad ones."""
from __future__ import annotations

import pytest
import yaml

from codescan.records import CATEGORIES
from codescan.rules import RuleError, load_rule_file, load_rules

GOOD = {
    "id": "demo-eval-call",
    "languages": ["python"],
    "category": "code-execution",
    "severity": "high",
    "cwe": ["CWE-95"],
    "message": "eval of something",
    "docs": {"what": "eval calls", "why": "runs code", "example": "eval(x)", "instead": "ast.literal_eval"},
    "query": '(call function: (identifier) @f (#eq? @f "eval")) @match',
}


def write(tmp_path, data, name=None):
    path = tmp_path / f"{name or data.get('id', 'x')}.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return path


def test_good_rule_loads(tmp_path):
    rule = load_rule_file(write(tmp_path, GOOD))
    assert rule.id == "demo-eval-call" and rule.cwe == ("CWE-95",) and rule.docs.instead == "ast.literal_eval"


@pytest.mark.parametrize("change, message", [
    ({"category": "bad-category"}, "category"),
    ({"severity": "urgent"}, "severity"),
    ({"cwe": ["78"]}, "cwe"),
    ({"id": "Bad_Id"}, "kebab-case"),
    ({"docs": {"what": "x", "why": "", "example": "x", "instead": "x"}}, "why"),
    ({"query": ""}, "query"),
    ({"surprise": 1}, "unknown key"),
    ({"engine": "magic"}, "engine"),
])
def test_bad_rules_are_named(tmp_path, change, message):
    data = {**GOOD, **change}
    path = write(tmp_path, data, name=data["id"] if isinstance(data.get("id"), str) else "x")
    with pytest.raises(RuleError) as err:
        load_rule_file(path)
    assert message in str(err.value) and str(path) in str(err.value)


def test_file_name_must_match_id(tmp_path):
    with pytest.raises(RuleError, match="file name"):
        load_rule_file(write(tmp_path, GOOD, name="other-name"))


def test_query_that_does_not_compile_is_reported(tmp_path):
    from codescan.analyze.treesitter import CompiledRules

    rule = load_rule_file(write(tmp_path, {**GOOD, "query": "(no_such_node) @match"}))
    with pytest.raises(RuleError, match="does not compile"):
        CompiledRules((rule,), "python")


def test_user_rules_dir_adds_rules_and_duplicates_are_refused(tmp_path):
    write(tmp_path, GOOD)
    ids = load_rules((str(tmp_path),)).by_id()
    assert "demo-eval-call" in ids and "exec-of-decoded-payload" in ids
    other = tmp_path / "more"
    other.mkdir()
    write(other, {**GOOD})
    with pytest.raises(RuleError, match="already defined"):
        load_rules((str(tmp_path), str(other)))


def test_builtin_rules_are_valid_and_compile():
    from codescan.analyze.document import Analyzer
    from codescan.config import Config

    ruleset = load_rules()
    assert ruleset.rules
    for rule in ruleset.rules:
        assert rule.category in CATEGORIES
    analyzer = Analyzer(ruleset, Config())
    for lang in ("python", "javascript", "typescript", "tsx"):
        compiled = analyzer.compiled(lang)  # raises RuleError when a query does not compile
        assert compiled.rules, f"no tree-sitter rules apply to {lang}"
