"""semantics.arg_needs: a call's fact evaluates only the arguments some rule can read, and a callee no rule can
match (every case names other callees) gives no fact; the findings are those of evaluating everything."""
from __future__ import annotations

from pathlib import Path

import pytest

from codescan.analyze.document import Analyzer
from codescan.analyze.semantics.arg_needs import ArgNeeds
from codescan.analyze.semantics.facts import NOTHING
from codescan.analyze.semantics.lang import python as adapter
from codescan.config import Config
from codescan.records import Document
from codescan.rules import load_rules

ROOT = Path(__file__).resolve().parent.parent
RULES = load_rules()


def _needs():
    return ArgNeeds([r for r in RULES.rules if r.facts is not None])


def test_a_callee_every_case_excludes_is_not_needed():
    # http-post-of-environment lists `*.print` (Ruby's `sock.print`) but its cases exclude `<name>.print` callees
    needs = _needs()
    assert needs.of("builtins.print") is None
    assert needs.of("nothing.any.rule.names") is None


def test_only_selected_arguments_are_needed():
    need = _needs().of("yaml.load")
    assert need is not None and not need.everything
    assert need.position(0) or need.keyword("Loader")
    assert not need.position(7)
    send = _needs().of("requests.post")
    assert send is not None and send.everything  # `arg: "*"`: any data argument may carry the labels
    jwt = _needs().of("jwt.decode")  # `options.verify_signature`: one entry of the keyword `options`
    assert jwt is not None and jwt.keyword("options") and jwt.keyword("verify") and not jwt.position(0)


def test_a_paired_callee_is_kept_without_arguments():
    # pickle-load's round-trip case wants the file to call pickle.dumps too: the fact counts, its arguments do not
    need = _needs().of("pickle.dumps")
    assert need is not None


def test_unread_arguments_keep_their_place_without_a_value():
    source = b'import subprocess, os\nsubprocess.run(["ls", os.environ["X"]], check=True, cwd=os.environ["HOME"])\n'
    wanted, _chosen = RULES_ENGINE.active("python", source)
    from codescan.analyze import languages
    tree = languages.parser("python").parse(source)
    calls = [c for c in adapter.facts(source, tree, wanted, None, RULES_ENGINE._arg_needs).calls
             if c.callee == "subprocess.run"]
    assert calls
    call = calls[0]
    assert [k for k, _v in call.kwargs] == ["check", "cwd"]  # presence kept
    need = RULES_ENGINE._arg_needs.of("subprocess.run")
    for key, value in call.kwargs:
        if not need.keyword(key):
            assert value is NOTHING
    assert call.args[0] is not NOTHING  # the command is read by the command rules


RULES_ENGINE = __import__("codescan.analyze.semantics.engine", fromlist=["FactRules"]).FactRules(RULES.rules)


def _python_fixtures() -> list[Path]:
    out = sorted((ROOT / "fixtures" / "rules").rglob("*.py"))
    assert len(out) > 100
    return out


def _findings(paths, monkeypatch, on: bool):
    monkeypatch.setattr(adapter, "ARG_NEEDS", on)
    analyzer = Analyzer(RULES, Config(honour_suppressions=False))
    out = []
    for path in paths:
        result = analyzer.analyze(Document(path=str(path), content=path.read_bytes()))
        out.extend((str(path), f.rule_id, f.line, f.severity) for f in result.findings)
    return sorted(out)


@pytest.mark.parametrize("part", range(4))
def test_fixture_findings_are_those_of_evaluating_every_argument(part, monkeypatch):
    paths = _python_fixtures()[part::4]
    with_needs = _findings(paths, monkeypatch, True)
    without = _findings(paths, monkeypatch, False)
    assert with_needs == without
    assert with_needs  # the fixtures do have findings: the comparison is not vacuous
