"""`campaigns PATH` dates its copies from git log also when PATH is relative (git runs from "/")."""
from __future__ import annotations

from pathlib import Path

from codescan.cluster.tree import documents, provenance
from tests.gitrepos import make_repo


def test_relative_path_keeps_git_provenance(tmp_path, monkeypatch):
    make_repo(tmp_path / "repos" / "alice" / "tools", [
        {"lib.py": "x = 1\n", "_author": "Alice", "_date": "2021-05-01T10:00:00+00:00"},
        {"lib.py": "x = 2\n", "_author": "Mallory", "_date": "2026-03-09T10:00:00+00:00"}])
    monkeypatch.chdir(tmp_path)
    assert provenance(tmp_path / "repos" / "alice" / "tools")["lib.py"][1] == "Mallory"
    assert provenance(Path("repos/alice/tools"))["lib.py"][1] == "Mallory"
    docs = list(documents(["repos"]))
    assert [(d.repo, d.path, d.author, d.date[:10]) for d in docs] == [
        ("alice/tools", "lib.py", "Mallory", "2026-03-09")]
