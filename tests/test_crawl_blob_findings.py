"""A crawl analyzes a file's versions one after the other and reuses what it built for the previous one (its tree,
its quiet rules, code-in-comment trees, unit and gate memos): every blob's findings stored by the crawl must equal a
whole-file scan of that blob alone, on a real history (standard-library releases) with rule fixtures planted into it
and moving between versions."""
from __future__ import annotations

import sqlite3
import subprocess

import pytest

from crawlrun import crawl
from codescan.analyze.document import Analyzer
from codescan.config import Config
from codescan.records import Document
from codescan.rules import load_rules
from codescan.sources.git_safety import safe_env

_FIELDS = "rule_id, severity, message, line, end_line, col, end_col, snippet, context, decoded"


def _history(tmp_path):
    from bench import history_mirror
    from bench.reuse_check import planted
    from bench.semantic_reuse_bound import versions

    if not history_mirror.releases():
        pytest.skip("no installed Python releases")
    docs = versions(("json",), 2)
    counts = {path: sum(1 for q, _ in docs if q == path) for path, _ in docs}
    # the smallest files with a history of 4 versions or more (scanner.py, tool.py, decoder.py)
    small = sorted((p for p, n in counts.items() if n >= 4), key=lambda p: sum(len(c) for q, c in docs if q == p))[:3]
    return planted([(path.removeprefix("json/"), content) for path, content in docs if path in small], every=1)


def _mirror(tmp_path, docs) -> tuple:
    """A bare repository with one commit per version (a file's versions one after another)."""
    gitdir = tmp_path / "root" / "pkg.git"
    stream, files = bytearray(), {}
    for mark, (path, content) in enumerate(docs, 1):
        files[path] = content
        text = f"version {mark}\n".encode()
        stream += f"commit refs/heads/main\nmark :{mark}\n".encode()
        stream += f"author A <a@example.org> {1_600_000_000 + mark * 3600} +0000\n".encode()
        stream += f"committer A <a@example.org> {1_600_000_000 + mark * 3600} +0000\n".encode()
        stream += b"data %d\n" % len(text) + text + (f"from :{mark - 1}\n".encode() if mark > 1 else b"")
        stream += f"M 100644 inline {path}\n".encode() + b"data %d\n" % len(content) + content + b"\n\n"
    subprocess.run(["git", "init", "-q", "--bare", "--initial-branch=main", str(gitdir)], env=safe_env(), check=True)
    subprocess.run(["git", f"--git-dir={gitdir}", "fast-import", "--quiet"], input=bytes(stream), env=safe_env(),
                   check=True)
    return gitdir


def test_every_crawled_blob_has_the_findings_of_a_whole_file_scan(capsys, tmp_path, monkeypatch):
    monkeypatch.setattr("codescan.pipeline.IN_PROCESS_BYTES", 0)  # the crawl's analyzer (quiet rules), not a few files'
    docs = _history(tmp_path)
    gitdir = _mirror(tmp_path, docs)
    state = tmp_path / "state.db"
    stats = crawl(capsys, tmp_path / "root", state, rules=())
    assert stats["blobs_read"] == len({content for _, content in docs}) > 10
    conn = sqlite3.connect(state)
    stored: dict[str, list] = {blob: [] for (blob,) in conn.execute("SELECT blob FROM blobs")}
    for row in conn.execute(f"SELECT blob, {_FIELDS} FROM findings ORDER BY blob, idx"):
        stored[row[0]].append(tuple(row[1:]))
    paths = dict(conn.execute("SELECT blob, path FROM occurrences"))
    conn.close()
    fresh = Analyzer(load_rules(), Config(), reuse=False)
    total = 0
    for blob, found in stored.items():
        content = subprocess.run(["git", f"--git-dir={gitdir}", "cat-file", "blob", blob], capture_output=True,
                                 env=safe_env(), check=True).stdout
        alone = fresh.analyze(Document(path=paths[blob], content=content, trusted=False))
        assert found == [(f.rule_id, f.severity, f.message, f.line, f.end_line, f.column, f.end_column, f.snippet,
                          f.context, f.decoded) for f in alone.findings], paths[blob]
        total += len(found)
    print(total, "findings")
    assert total > 20  # the planted fixtures were found: the comparison covered findings, not only their absence
