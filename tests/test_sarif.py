"""SARIF output: a real scan of fixtures/example validates against the SARIF 2.1.0 schema."""
import json
from pathlib import Path

import jsonschema
import pytest

from codescan.cli import main

HERE = Path(__file__).resolve().parent
SCHEMA = HERE / "data" / "sarif-schema-2.1.0.json"
RULES = HERE / "data" / "rules"
EXAMPLE = HERE.parent / "fixtures" / "example"


def sarif_of(capsys, *args) -> tuple[int, dict]:
    code = main(["scan", *map(str, args), "--format", "sarif", "--no-progress", "-j", "1"])
    return code, json.loads(capsys.readouterr().out)


@pytest.fixture(scope="module")
def validator():
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    assert "2.1.0" in schema["title"]
    return jsonschema.Draft4Validator(schema)


def test_scan_of_example_is_valid_sarif(capsys, validator, monkeypatch):
    monkeypatch.chdir(EXAMPLE)
    code, log = sarif_of(capsys, ".", "--rules", RULES)
    errors = sorted(validator.iter_errors(log), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors[:5])
    run = log["runs"][0]
    assert log["version"] == "2.1.0" and run["tool"]["driver"]["name"] == "codescan"
    results = run["results"]
    assert results, "the example tree holds an os.system install hook"
    assert code == 1
    rules = run["tool"]["driver"]["rules"]
    for r in results:
        assert rules[r["ruleIndex"]]["id"] == r["ruleId"]
        loc = r["locations"][0]["physicalLocation"]
        assert loc["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
        assert not loc["artifactLocation"]["uri"].startswith(("/", "./"))
        assert loc["region"]["startLine"] >= 1 and loc["region"]["startColumn"] >= 1
        assert len(r["partialFingerprints"]["codescanFingerprint/v1"]) == 32
    hook = next(r for r in results if r["ruleId"] == "demo-os-system")
    assert hook["level"] == "error"
    loc = hook["locations"][0]["physicalLocation"]
    assert loc["artifactLocation"]["uri"] == "acme-utils/setup.py"
    assert loc["region"]["startLine"] == 10 and loc["region"]["startColumn"] == 9
    assert "os.system(" in loc["region"]["snippet"]["text"]
    assert hook["properties"]["category"] == "code-execution"


def test_rule_metadata_and_levels(tmp_path, capsys, validator):
    (tmp_path / "a.py").write_text("import os, pickle, hashlib\nos.system(cmd)\npickle.loads(b)\n"
                                   "hashlib.md5(b)\n", encoding="utf-8")
    code, log = sarif_of(capsys, tmp_path, "--no-builtin-rules", "--rules", RULES, "--fail-on", "critical")
    validator.validate(log)
    assert code == 0
    run = log["runs"][0]
    rules = {r["id"]: r for r in run["tool"]["driver"]["rules"]}
    assert set(rules) == {"demo-os-system", "demo-pickle-loads", "demo-md5"}
    levels = {r["ruleId"]: r["level"] for r in run["results"]}
    assert levels == {"demo-os-system": "error", "demo-pickle-loads": "warning", "demo-md5": "note"}
    md5 = rules["demo-md5"]
    assert md5["properties"]["security-severity"] == "3.0"
    assert "external/cwe/cwe-328" in md5["properties"]["tags"] and "insecure-crypto" in md5["properties"]["tags"]
    assert md5["defaultConfiguration"]["level"] == "note"
    assert md5["fullDescription"]["text"] == "A call to hashlib.md5."
    assert "hashlib.sha256" in md5["help"]["text"] and "**Write instead.**" in md5["help"]["markdown"]
    assert md5["helpUri"].startswith("https://")
    assert rules["demo-os-system"]["properties"]["security-severity"] == "8.0"


def test_skips_become_notifications_and_odd_names_are_encoded(tmp_path, capsys, validator):
    (tmp_path / "my file.py").write_text("import os\nos.system(x)\n", encoding="utf-8")
    (tmp_path / "blob.bin").write_bytes(b"\0\1\2" * 10)
    code, log = sarif_of(capsys, tmp_path, "--no-builtin-rules", "--rules", RULES)
    validator.validate(log)
    run = log["runs"][0]
    assert run["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "my%20file.py"
    invocation = run["invocations"][0]
    assert invocation["executionSuccessful"] is True
    [note] = invocation["toolExecutionNotifications"]
    assert "binary" in note["message"]["text"]
    assert note["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "blob.bin"


def test_suppressed_findings_are_marked_in_source(tmp_path, capsys, validator):
    (tmp_path / "a.py").write_text("import os\nos.system(x)  # codescan: ignore[demo-os-system]\n",
                                   encoding="utf-8")
    code, log = sarif_of(capsys, tmp_path, "--no-builtin-rules", "--rules", RULES)
    validator.validate(log)
    assert code == 0
    [result] = log["runs"][0]["results"]
    assert result["suppressions"][0]["kind"] == "inSource"
