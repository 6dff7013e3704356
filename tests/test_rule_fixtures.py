"""ONE parametrized test runs every rule against its annotated fixtures."""
from __future__ import annotations

import pytest

from codescan.analyze.document import Analyzer
from codescan.config import Config
from codescan.records import Document
from codescan.rules import load_rules

from fixture_marks import FIXTURES, fixture_files, marks

RULES = load_rules(builtin_semgrep=True)


@pytest.fixture(scope="session")
def semgrep_hits() -> dict[tuple[str, str], set[int]]:
    """Every Semgrep rule over every Semgrep rule's fixtures in ONE semgrep process: {(file, rule id): lines}."""
    from codescan.engines.semgrep import find_semgrep
    from codescan.engines.semgrep_pass import SemgrepPass

    if find_semgrep() is None:
        pytest.skip("semgrep is not installed (pip install 'codescan[semgrep]')")
    rules = [r for r in RULES.rules if r.engine == "semgrep"]
    with SemgrepPass(rules, Config(honour_suppressions=False)) as semgrep_pass:
        for path in sorted({p for r in rules for p in fixture_files(r.id)}):
            semgrep_pass.offer(Document(path=str(path), content=path.read_bytes()))
        result = semgrep_pass.run()
    assert not result.skips, result.skips
    hits: dict[tuple[str, str], set[int]] = {}
    for f in result.findings:
        hits.setdefault((f.path, f.rule_id), set()).add(f.line)
    return hits


@pytest.mark.parametrize("rule", RULES.rules, ids=lambda r: r.id)
def test_rule_fixtures(rule, request):
    files = fixture_files(rule.id)
    assert files, f"{rule.id}: no fixture under fixtures/rules/ (add <lang>/{rule.id}.<ext>)"
    semgrep = request.getfixturevalue("semgrep_hits") if rule.engine == "semgrep" else None
    analyzer = Analyzer(RULES.select((rule.id,), ()), Config(honour_suppressions=False))
    expected_any = ok_any = 0
    problems = []
    for path in files:
        base = next((p for p in path.parents if p.name == rule.id), None)
        rel = path.relative_to(base).as_posix() if base else path.name
        content = path.read_bytes()
        m = marks(content.decode("utf-8", "replace"))
        expected = {line for line, ids in m["expect"].items() if rule.id in ids}
        ok = {line for line, ids in m["ok"].items() if rule.id in ids}
        expected_any += len(expected)
        ok_any += len(ok)
        if semgrep is not None:
            got = semgrep.get((str(path), rule.id), set())
        else:
            analysis = analyzer.analyze(Document(path=rel, content=content))
            got = {f.line for f in analysis.findings if f.rule_id == rule.id}
        for line in sorted(expected - got):
            problems.append(f"{path.name}:{line}: expected {rule.id}, not reported")
        for line in sorted(got - expected):
            kind = "an ok line" if line in ok else "an unannotated line"
            problems.append(f"{path.name}:{line}: {rule.id} reported on {kind}")
    assert expected_any, f"{rule.id}: fixtures have no `expect: {rule.id}` line"
    assert ok_any, f"{rule.id}: fixtures have no `ok: {rule.id}` line (a negative example)"
    assert not problems, "\n".join(problems)
