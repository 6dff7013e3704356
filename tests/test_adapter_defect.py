"""A defect of the semantic layer's adapter on one file is never silent: the file's other findings stay, and the
report names the gap among its skips (no analysis-exhausted finding: the input did nothing wrong)."""
from __future__ import annotations

import json

from codescan.analyze.semantics.lang import javascript
from codescan.cli import main

SOURCE = ('const { exec } = require("child_process");\n'
          'module.exports = (req, res) => exec(req.query.cmd);\n'
          'eval(atob("YWxlcnQoMSk="));\n')


def _scan(path, capsys) -> dict:
    try:
        main(["scan", str(path), "--format", "json", "--no-progress"])
    except SystemExit:
        pass
    return json.loads(capsys.readouterr().out)


def test_an_adapter_defect_is_named_in_the_skips_and_other_findings_stay(tmp_path, capsys, monkeypatch):
    path = tmp_path / "handler.js"
    path.write_text(SOURCE)
    whole = _scan(path, capsys)
    assert not whole["skipped"]
    assert {f["rule_id"] for f in whole["findings"]} >= {"js-exec-of-request-input", "js-eval-of-decoded-payload"}

    def broken(*_args, **_kwargs):
        raise TypeError("synthetic defect")

    monkeypatch.setattr(javascript, "facts", broken)
    cut = _scan(path, capsys)
    assert [s["reason"].split(" (TypeError")[0] for s in cut["skipped"]] == [
        "semantic layer (javascript) stopped on an analyzer defect"]
    rules = {f["rule_id"] for f in cut["findings"]}
    assert "js-eval-of-decoded-payload" in rules  # the shape rules' findings are kept
    assert "js-exec-of-request-input" not in rules and "analysis-exhausted" not in rules
