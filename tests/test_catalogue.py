"""The rule catalogue: generated docs are fresh, `rules new` writes usable skeletons, standards cover every category."""
import json
import re
from pathlib import Path

import pytest

from codescan import catalogue, standards
from codescan.cli import main
from codescan.outputs.sarif import rule_descriptor
from codescan.records import CATEGORIES
from codescan.rules import load_rule_file, load_rules

ROOT = Path(__file__).resolve().parent.parent


def test_generated_rule_docs_are_fresh():
    old = catalogue.stale(ROOT)
    assert not old, f"stale: {[str(p.relative_to(ROOT)) for p in old]}; run `python -m codescan.catalogue`"


def test_readme_rows_link_to_rule_sections():
    ruleset = load_rules()
    table = catalogue.readme_table(ruleset)
    docs = catalogue.rules_markdown(ruleset)
    linked = re.findall(r"^\| \[([a-z0-9-]+)\]\(docs/rules\.md#\1\)", table, re.M)
    assert sorted(linked) == sorted(r.id for r in ruleset.rules)
    anchors = set(re.findall(r'<a id="([a-z0-9-]+)"></a>', docs))
    assert anchors == set(linked)
    some = ruleset.rules[0]
    assert some.docs.what.split()[0] in docs and "What each category evidences" in docs


def test_markers_are_required():
    with pytest.raises(ValueError):
        catalogue.with_table("# readme without markers\n", "table")
    text = f"a\n{catalogue.START}\nold\n{catalogue.END}\nb\n"
    assert catalogue.with_table(text, "new") == f"a\n{catalogue.START}\nnew\n{catalogue.END}\nb\n"


def test_every_category_maps_to_every_framework():
    st = standards.load()
    for category in CATEGORIES:
        m = st.for_category(category)
        assert m.cwe and all(re.match(r"^CWE-\d+$", c) for c in m.cwe)
        for fw in standards.FRAMEWORKS:
            assert m.items(fw) and all(st.item_title(fw, i) for i in m.items(fw)), (category, fw)
    assert "LLM04" in st.for_category("backdoor").owasp_llm
    assert st.item_title("owasp_llm", "LLM04") == "Data and Model Poisoning"
    assert st.item_title("owasp_llm", "LLM03") == "Supply Chain"
    assert any(i.startswith("PR.DS-") for c in CATEGORIES for i in st.for_category(c).nist_csf)


def test_standards_file_missing_a_category_is_rejected():
    data = {"frameworks": {fw: {"title": fw, "items": {"X": "x"}} for fw in standards.FRAMEWORKS},
            "categories": {"backdoor": {"cwe": ["CWE-1"], **{fw: ["X"] for fw in standards.FRAMEWORKS}}}}
    with pytest.raises(standards.StandardsError, match="missing"):
        standards.parse(data)


def test_sarif_rules_carry_the_standards():
    rule = next(r for r in load_rules().rules if r.category == "hidden-unicode")
    props = rule_descriptor(rule)["properties"]
    assert "owasp-llm-2025/LLM04" in props["tags"] and "nist-csf-2.0/PR.DS-01" in props["tags"]
    assert props["standards"]["nist_ai_rmf"] and json.dumps(props)


def test_rules_new_writes_a_skeleton_that_fails_until_written(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["rules", "new", "curl-piped-to-python", "--language", "python", "--category", "code-execution"]) == 0
    rule_path = tmp_path / "rules" / "python" / "curl-piped-to-python.yaml"
    fixture = tmp_path / "fixtures" / "rules" / "python" / "curl-piped-to-python.py"
    rule = load_rule_file(rule_path)  # a valid rule file
    assert rule.category == "code-execution" and rule.cwe == ("CWE-94",)
    text = fixture.read_text(encoding="utf-8")
    assert "# expect: curl-piped-to-python" in text and "# ok: curl-piped-to-python" in text
    capsys.readouterr()
    code = main(["scan", str(fixture), "--no-builtin-rules", "--rules", str(rule_path), "--format", "json",
                 "--no-progress", "-j", "1"])
    assert code == 0 and json.loads(capsys.readouterr().out)["findings"] == []  # the expect line is missed
    before = rule_path.read_text(encoding="utf-8")
    assert main(["rules", "new", "curl-piped-to-python", "--language", "python", "--category", "backdoor"]) == 2
    assert rule_path.read_text(encoding="utf-8") == before
    assert main(["rules", "new", "Bad_Id", "--language", "python", "--category", "backdoor"]) == 2
    assert main(["rules", "new", "x-y", "--language", "klingon", "--category", "backdoor"]) == 2
    err = capsys.readouterr().err
    assert "not overwriting" in err and "kebab-case" in err and "no tree-sitter grammar" in err
