"""Records: fingerprints ignore line numbers; language detection by name, extension and shebang."""
from __future__ import annotations

import pytest

from codescan.analyze.languages import detect
from codescan.records import Finding, git_blob_sha


def finding(line, snippet="eval(x)"):
    return Finding(rule_id="r", category="code-execution", severity="high", message="m", path="a.py",
                   line=line, end_line=line, snippet=snippet)


def test_fingerprint_ignores_lines_and_whitespace():
    assert finding(3).fingerprint == finding(40).fingerprint
    assert finding(3, "eval( x )").fingerprint != finding(3).fingerprint
    assert finding(3, "eval(x)   ").fingerprint == finding(3).fingerprint


def test_git_blob_sha_matches_git():
    # `printf 'hello\n' | git hash-object --stdin`
    assert git_blob_sha(b"hello\n") == "ce013625030ba8dba906f756967f9e9ca394464a"


@pytest.mark.parametrize("path, head, language", [
    ("a/b.py", b"", "python"),
    ("x.mjs", b"", "javascript"),
    ("x.cjs", b"", "javascript"),
    ("x.jsx", b"", "javascript"),
    ("x.ts", b"", "typescript"),
    ("x.tsx", b"", "tsx"),
    ("bin/tool", b"#!/usr/bin/env python3\nimport os\n", "python"),
    ("bin/run", b"#!/usr/bin/node\n", "javascript"),
    ("install", b"#!/bin/bash\n", "shell"),
    (".cursorrules", b"", "agent-rules"),
    (".cursor/rules/style.mdc", b"", "agent-rules"),
    (".github/copilot-instructions.md", b"", "agent-rules"),
    ("docs/AGENTS.md", b"", "agent-rules"),
    ("README.md", b"", "markdown"),
    ("data.bin", b"\x00\x01", None),
])
def test_language_detection(path, head, language):
    assert detect(path, head) == language
