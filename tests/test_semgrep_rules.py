"""Semgrep-syntax rules: loading (per-file detection), codescan metadata, token gating, engine choice
and merging — none of these start semgrep."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from codescan.cli import main
from codescan.config import Config
from codescan.engines import semgrep, tokens
from codescan.engines.semgrep_pass import SemgrepPass, merge
from codescan.records import CATEGORIES, Document, Finding
from codescan.rules import RuleError, builtin_rules_dir, load_rules

USER_RULES = {"rules": [
    {"id": "team.no-eval", "languages": ["python"], "severity": "ERROR", "message": "eval of $X",
     "pattern": "eval(...)", "metadata": {"cwe": ["CWE-95: Eval Injection"]}},
    {"id": "team_weak_hash", "languages": ["py"], "severity": "INFO", "message": "md5",
     "pattern-either": [{"pattern": "hashlib.md5(...)"}, {"pattern": "hashlib.sha1(...)"}],
     "metadata": {"cwe": "CWE-328"}},
]}


def write_rules(tmp_path: Path, data: dict, name: str = "team.yaml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return path


def test_semgrep_file_is_detected_and_every_rule_loads(tmp_path):
    rules = load_rules((str(write_rules(tmp_path, USER_RULES)),), include_builtin=False).by_id()
    assert set(rules) == {"team.no-eval", "team_weak_hash"}
    no_eval, weak = rules["team.no-eval"], rules["team_weak_hash"]
    assert no_eval.engine == weak.engine == "semgrep"
    assert (no_eval.severity, no_eval.cwe, no_eval.category) == ("high", ("CWE-95",), "code-execution")
    assert (weak.severity, weak.cwe, weak.category, weak.languages) == ("low", ("CWE-328",), "insecure-crypto",
                                                                        ("python",))


def test_both_formats_side_by_side_in_one_folder(tmp_path):
    write_rules(tmp_path, USER_RULES)
    own = yaml.safe_load((builtin_rules_dir() / "python" / "marshal-load.yaml").read_text())
    own["id"] = "team-pickle"
    write_rules(tmp_path, own, "team-pickle.yaml")
    engines = {r.id: r.engine for r in load_rules((str(tmp_path),), include_builtin=False).rules}
    assert engines == {"team.no-eval": "semgrep", "team_weak_hash": "semgrep", "team-pickle": "treesitter"}


@pytest.mark.parametrize("change, message", [
    ({"pattern": None}, "needs one of"),
    ({"metadata": {"codescan": {"category": "nope"}}}, "category"),
    ({"metadata": {"codescan": {"category": "injection", "severity": "high", "cwe": ["78"]}}}, "cwe"),
    ({"metadata": {"codescan": {"category": "injection", "severity": "high", "cwe": ["CWE-78"],
                                "docs": {"what": "x"}}}}, "docs"),
    ({"metadata": {"codescan": {"category": "injection", "severity": "high", "cwe": ["CWE-78"], "tokens": "os",
                                "docs": {"what": "x", "why": "y", "example": "z", "instead": "w"}}}}, "tokens"),
    ({"mode": "join"}, "mode"),
])
def test_bad_semgrep_rules_are_named(tmp_path, change, message):
    rule = {**USER_RULES["rules"][0], **change}
    rule = {k: v for k, v in rule.items() if v is not None}
    path = write_rules(tmp_path, {"rules": [rule]})
    with pytest.raises(RuleError) as err:
        load_rules((str(path),), include_builtin=False)
    assert message in str(err.value) and str(path) in str(err.value)


def builtin_semgrep_rules():
    return [r for r in load_rules(builtin_semgrep=True).rules if r.engine == "semgrep"]


def test_builtin_semgrep_rules_carry_codescan_metadata():
    rules = builtin_semgrep_rules()
    assert len(rules) >= 12
    for rule in rules:
        spec = json.loads(rule.query)
        own = spec["metadata"]["codescan"]
        assert Path(rule.source).stem == rule.id, f"{rule.source}: file name must be the rule id"
        assert rule.category in CATEGORIES and own["docs"]["example"] and own["docs"]["instead"]
        assert tokens.requirement(rule), f"{rule.id}: no names to gate files by (declare metadata.codescan.tokens)"
    assert {r.id for r in rules} >= {"request-to-shell-command", "request-to-sql-query", "request-to-pickle-loads",
                                     "request-to-yaml-load", "request-to-template-string", "request-to-file-path"}


def test_builtin_semgrep_rules_stay_out_of_a_plain_load():
    assert not [r for r in load_rules().rules if r.engine == "semgrep"]


def test_names_are_derived_from_patterns(tmp_path):
    assert tokens.pattern_names('subprocess.run($CMD, ..., shell=True)') == {"subprocess", "run", "shell"}
    assert tokens.pattern_names('open("/etc/passwd") if $X else None') == {"open"}
    rules = load_rules((str(write_rules(tmp_path, USER_RULES)),), include_builtin=False).by_id()
    assert tokens.requirement(rules["team.no-eval"]) == (frozenset({"eval"}),)
    # Either alternative may match: one clause holding a name from each.
    assert tokens.requirement(rules["team_weak_hash"]) == (frozenset({"hashlib"}),)


def test_gate_sends_only_files_holding_the_names(tmp_path):
    rules = load_rules((str(write_rules(tmp_path, USER_RULES)),), include_builtin=False).rules
    with SemgrepPass(rules, Config(), exe="semgrep-not-run") as semgrep_pass:
        assert semgrep_pass.offer(Document("a.py", b"x = eval(input())\n"))
        assert semgrep_pass.offer(Document("b.py", b"import hashlib\nhashlib.md5(b'')\n"))
        assert not semgrep_pass.offer(Document("c.py", b"print('nothing to see')\n"))
        assert not semgrep_pass.offer(Document("d.js", b"eval(x)\n"))  # the rules are Python-only
        assert not semgrep_pass.offer(Document("e.py", b"eval(\0)\n"))  # binary: the analyzer skips it too


def test_regex_only_rule_cannot_gate(tmp_path):
    spec = {"rules": [{"id": "r", "languages": ["python"], "severity": "INFO", "message": "m",
                       "pattern-regex": "secret[0-9]+"}]}
    rule = load_rules((str(write_rules(tmp_path, spec)),), include_builtin=False).rules[0]
    assert tokens.requirement(rule) is None and tokens.passes(None, b"anything")


def finding(rule_id, line, category, path="app.py"):
    return Finding(rule_id=rule_id, category=category, severity="high", message="m", path=path, line=line,
                   end_line=line)


def test_merge_reports_a_line_and_category_once():
    tree = [finding("sql-built-from-string", 14, "injection")]
    extra = [finding("request-to-sql-query", 14, "injection"), finding("request-to-sql-query", 24, "injection"),
             finding("request-to-pickle-loads", 14, "insecure-deserialization"),
             finding("request-to-sql-query", 14, "injection", path="other.py")]
    merged = [(f.rule_id, f.path, f.line) for f in merge(tree, extra)]
    assert merged == [("sql-built-from-string", "app.py", 14), ("request-to-sql-query", "app.py", 24),
                      ("request-to-pickle-loads", "app.py", 14), ("request-to-sql-query", "other.py", 14)]


@pytest.mark.parametrize("engine, expected", [
    ("auto", {"team.no-eval", "exec-of-decoded-payload"}),
    ("treesitter", {"exec-of-decoded-payload"}),
    ("semgrep", {"team.no-eval", "request-to-code-eval"}),
    ("all", {"team.no-eval", "exec-of-decoded-payload", "request-to-code-eval"}),
])
def test_engine_choice(tmp_path, engine, expected):
    from codescan.cli.scan import _by_engine

    rules = load_rules((str(write_rules(tmp_path, USER_RULES)),), builtin_semgrep=True)
    chosen = {r.id for r in _by_engine(rules, engine, ()).rules}
    assert expected <= chosen
    if engine == "auto":
        assert "request-to-code-eval" not in chosen
        assert "request-to-code-eval" in {r.id for r in _by_engine(rules, engine, ("request-to-code-eval",)).rules}


def test_missing_semgrep_says_how_to_install(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(semgrep, "find_semgrep", lambda: None)
    (tmp_path / "a.py").write_text("eval(x)\n")
    code = main(["scan", str(tmp_path / "a.py"), "--engine", "all", "--no-progress"])
    err = capsys.readouterr().err
    assert code == 2 and "pip install 'codescan[semgrep]'" in err and "Traceback" not in err
    assert main(["scan", str(tmp_path / "a.py"), "--no-progress", "--format", "json"]) in (0, 1)  # default: no semgrep
