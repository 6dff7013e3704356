"""A `written` condition reads a call's own lines from line starts found once per source, same text as before."""
from __future__ import annotations

import random
import re

from codescan.analyze.semantics.facts import Call
from codescan.analyze.semantics.rule_findings import MAX_WRITTEN, SourceLines, written


def _counted(source: bytes, line: int, end_line: int) -> bytes | None:
    """The text as the condition read it before: newlines counted from the top of the file for every call."""
    start = 0
    for _ in range(line - 1):
        start = source.find(b"\n", start) + 1
        if not start:
            return None
    end = start
    for _ in range(max(end_line, line) - line + 1):
        end = source.find(b"\n", end + 1)
        if end < 0:
            end = len(source)
            break
    return source[start:end]


def test_the_lines_are_the_ones_counted_from_the_top():
    rng = random.Random(3)
    pieces = [b"", b"x = 1", b"os.system(cmd)", b"\r", b"  ", b"f(\n  a)", b"\n"]
    for _ in range(300):
        source = b"\n".join(rng.choice(pieces) for _ in range(rng.randint(0, 30)))
        lines = SourceLines(source)
        for line in range(0, source.count(b"\n") + 4):
            for end_line in (line - 1, line, line + 1, line + 3):
                assert lines.text(line, end_line) == _counted(source, line, end_line), (source, line, end_line)


def test_line_starts_are_found_once_per_source():
    source = b"".join(b"call_%d(x)\n" % i for i in range(5000))
    lines = SourceLines(source)
    assert lines.text(4000, 4000) == b"call_3999(x)"
    breaks = lines._breaks
    assert breaks is not None and len(breaks) == 5000
    assert lines.text(10, 11) == b"call_9(x)\ncall_10(x)" and lines._breaks is breaks


def test_written_matches_the_call_text_only():
    source = b"a = 1\nrequests.get(url,\n    verify=False)\nb = 2\n"
    call = Call(callee="requests.get", args=(), line=2, end_line=3, column=1)
    lines = SourceLines(source)
    assert written(lines, call, re.compile(r"verify=False"))
    assert not written(lines, call, re.compile(r"b = 2"))
    assert not written(None, call, re.compile(r"verify"))
    far = Call(callee="x", args=(), line=40, end_line=40, column=1)
    assert not written(lines, far, re.compile(r""))
    long = SourceLines(b"f(" + b"a" * (MAX_WRITTEN + 10) + b"Z)\n")
    assert not written(long, Call(callee="f", args=(), line=1, end_line=1, column=1), re.compile("Z"))


def test_a_rule_with_a_written_condition_still_finds_its_fixture():
    from pathlib import Path

    from codescan.analyze.document import Analyzer
    from codescan.config import Config
    from codescan.records import Document
    from codescan.rules import load_rules

    path = Path(__file__).resolve().parent.parent / "fixtures" / "rules" / "facts" / "windows-download-command" / \
        "stager.py"
    source = path.read_bytes()
    expected = {number for number, text in enumerate(source.decode().split("\n"), 1)
                if "expect: windows-download-command" in text}
    found = Analyzer(load_rules(), Config()).analyze(Document(path=str(path), content=source))
    assert expected
    lines = {f.line for f in found.findings if f.rule_id == "windows-download-command"}
    assert expected <= lines
    assert not any(f.rule_id == "analysis-exhausted" for f in found.findings)
