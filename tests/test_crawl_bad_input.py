"""Bad repositories become skips with reasons, and one never stops the crawl."""
from __future__ import annotations

import os
import subprocess

from crawlrun import crawl, findings
from gitrepos import make_repo, mirror
from codescan.sources.git_safety import safe_env

GOOD = "import os\nos.system('id')\n"


def _git(cwd, *args, stdin: bytes | None = None) -> str:
    env = safe_env()
    env.update(GIT_AUTHOR_NAME="P", GIT_AUTHOR_EMAIL="p@x", GIT_COMMITTER_NAME="P", GIT_COMMITTER_EMAIL="p@x")
    return subprocess.run(["git", *args], cwd=cwd, env=env, input=stdin, capture_output=True, check=True
                          ).stdout.decode().strip()


def _plumb(repo_dir, entries: list[tuple[str, str, bytes]]) -> None:
    """Commit raw index entries (mode, path, content-or-commit-sha) that porcelain would refuse to make."""
    for mode, path, content in entries:
        sha = content.decode() if mode == "160000" else _git(repo_dir, "hash-object", "-w", "--stdin", stdin=content)
        _git(repo_dir, "update-index", "--add", "--cacheinfo", f"{mode},{sha},{path}")
    _git(repo_dir, "commit", "-q", "-m", "plumbing")


def test_bad_repositories_and_blobs_are_skips_with_reasons(capsys, tmp_path):
    root = tmp_path / "root"
    good = make_repo(tmp_path / "src" / "good", [{"a.py": GOOD}])
    mirror(tmp_path / "src" / "good", root / "ok" / "good.git")
    subprocess.run(["git", "init", "-q", "--bare", str(root / "ok" / "empty.git")], env=safe_env(), check=True)
    (root / "broken" / "partial.git").mkdir(parents=True)
    (root / "broken" / "partial.git" / "HEAD").write_text("ref: refs/heads/main\n")
    # A working clone with loose objects, one blob deleted (missing object).
    corrupt = make_repo(root / "broken" / "corrupt", [{"a.py": GOOD, "lost.py": "print('gone')\n"}])
    lost = corrupt.git.rev_parse("HEAD:lost.py")
    os.remove(root / "broken" / "corrupt" / ".git" / "objects" / lost[:2] / lost[2:])
    # Odd entries: a submodule, an LFS pointer, a huge file, a path that is not UTF-8.
    odd = make_repo(root / "odd" / "work", [{"base.py": "x = 1\n"}])
    lfs = b"version https://git-lfs.github.com/spec/v1\noid sha256:" + b"a" * 64 + b"\nsize 12345\n"
    _plumb(odd.working_tree_dir, [("160000", "vendor/lib", good.head.commit.hexsha.encode()),
                                  ("100644", "model.bin", lfs), ("100644", "big.py", b"x = 1\n" * 400),
                                  ("100644", "caf\udce9.py", GOOD.encode())])
    subprocess.run(["git", "clone", "-q", "--bare", "--depth", "1", f"file://{tmp_path / 'src' / 'good'}",
                    str(root / "ok" / "shallow.git")], env=safe_env(protocols=("file",)), check=True, capture_output=True)

    stats = crawl(capsys, root, tmp_path / "s.db", "--max-file-size", "1000")
    code, report = findings(capsys, tmp_path / "s.db")
    reasons = {(s.get("repo"), s.get("path")): s["reason"] for s in report["skipped"]}
    assert "empty repository" in reasons[("ok/empty", ".")]
    assert "partial repository" in reasons[("broken/partial.git", ".")]
    assert "missing object" in reasons[("broken/corrupt", "lost.py")]
    assert "submodule" in reasons[("odd/work", "vendor/lib")] and "not followed" in reasons[("odd/work", "vendor/lib")]
    assert "LFS pointer" in reasons[("odd/work", "model.bin")]
    assert "too large" in reasons[("odd/work", "big.py")]
    assert ("odd/work", "caf\\xe9.py") not in reasons  # a name that is not UTF-8 hides nothing
    assert "shallow clone" in reasons[("ok/shallow", ".")]
    scanned = {(f["repo"], f["path"]) for f in report["findings"]}
    # The good repositories are scanned despite their neighbours; the shallow clone too.
    assert {("ok/good", "a.py"), ("broken/corrupt", "a.py"), ("ok/shallow", "a.py"),
            ("odd/work", "caf\\xe9.py")} <= scanned, scanned
    assert stats["repos_skipped"] == 1 and code == 1


def test_a_missing_blob_is_read_from_another_repository_holding_it(capsys, tmp_path):
    root = tmp_path / "root"
    spec = [{"a.py": GOOD, "_author": "Alice"}]
    first = make_repo(root / "a" / "first", spec)
    make_repo(root / "b" / "second", spec)
    blob = first.git.rev_parse("HEAD:a.py")
    os.remove(root / "a" / "first" / ".git" / "objects" / blob[:2] / blob[2:])
    crawl(capsys, root, tmp_path / "s.db")
    _, report = findings(capsys, tmp_path / "s.db")
    assert sorted(f["repo"] for f in report["findings"]) == ["a/first", "b/second"]


def _rename_branch(gitdir, old: bytes, new: bytes, head: bool) -> None:
    """Rename a branch to a name that is not UTF-8 (git allows any bytes but a few), optionally making it HEAD."""
    env = safe_env()
    sha = subprocess.run([b"git", b"--git-dir=" + bytes(gitdir), b"rev-parse", old], env=env, capture_output=True,
                         check=True).stdout.strip()
    subprocess.run([b"git", b"--git-dir=" + bytes(gitdir), b"update-ref", new, sha], env=env, check=True)
    if head:
        subprocess.run([b"git", b"--git-dir=" + bytes(gitdir), b"update-ref", b"-d", old], env=env, check=True)
        (gitdir / "HEAD").write_bytes(b"ref: " + new + b"\n")


def test_refs_and_folders_that_are_not_utf8_are_crawled(capsys, tmp_path):
    """A branch name with non-UTF-8 bytes (the default branch of one repository, a side branch of another) and a
    repository folder whose name is not UTF-8: every repository is scanned, with any --refs, and rerun."""
    from gitrepos import fast_repo

    root = tmp_path / "root"
    head = fast_repo(root / "o" / "head.git", [{"a.py": GOOD}])
    _rename_branch(head, b"refs/heads/main", b"refs/heads/caf\xe9", head=True)
    side = fast_repo(root / "o" / "side.git", [{"b.py": GOOD.replace("id", "whoami")}])
    _rename_branch(side, b"refs/heads/main", b"refs/heads/f\xff\xfe", head=False)
    odd = os.fsdecode(bytes(root) + b"/o/n\xe4me.git")
    fast_repo(type(root)(odd), [{"c.py": GOOD.replace("id", "uname")}])
    for refs in ("head", "branches", "all", "refs/heads/*"):
        state = tmp_path / f"{refs.replace('/', '_').replace('*', 'x')}.db"
        stats = crawl(capsys, root, state, "--refs", refs)
        assert stats["repos"] == 3 and stats["repos_skipped"] == 0, stats["_stderr"]
        _, report = findings(capsys, state)
        assert {(f["repo"], f["path"]) for f in report["findings"]} == {
            ("o/head", "a.py"), ("o/side", "b.py"), ("o/n\\xe4me", "c.py")}, refs
        again = crawl(capsys, root, state, "--refs", refs)
        assert again["repos_unchanged"] == 3


def test_head_naming_a_missing_branch_falls_back_to_the_branches(capsys, tmp_path):
    """HEAD names a branch that is gone and there is no main/master: the branches are crawled, not 'empty'."""
    from gitrepos import fast_repo

    root = tmp_path / "root"
    repo = fast_repo(root / "o" / "r.git", [{"a.py": GOOD}], branch="dev")
    (repo / "HEAD").write_text("ref: refs/heads/gone\n")
    stats = crawl(capsys, root, tmp_path / "s.db")
    assert stats["repos_skipped"] == 0 and stats["refs"] == 1
    _, report = findings(capsys, tmp_path / "s.db")
    assert [(f["repo"], f["path"]) for f in report["findings"]] == [("o/r", "a.py")]


def test_a_commondir_or_a_chain_of_alternates_out_of_root_is_not_followed(capsys, tmp_path):
    """A git dir's `commondir` file names where its refs and objects live; git also follows an alternate's own
    alternates. Either leading out of ROOT made the crawl read another repository's history (issue 15's promise:
    a repository whose objects lead out of ROOT is skipped)."""
    outside = make_repo(tmp_path / "outside" / "secret", [{"s.py": GOOD}])
    gitdir = os.path.join(outside.working_tree_dir, ".git")
    root = tmp_path / "root"
    make_repo(root / "ok" / "good", [{"a.py": "x = 1\n"}])
    for name in ("common.git", "b.git", "c.git"):
        subprocess.run(["git", "init", "-q", "--bare", str(root / "x" / name)], env=safe_env(), check=True)
    (root / "x" / "common.git" / "commondir").write_text(gitdir + "\n")
    (root / "x" / "b.git" / "objects" / "info" / "alternates").write_text("../../c.git/objects\n")
    (root / "x" / "c.git" / "objects" / "info" / "alternates").write_text(os.path.join(gitdir, "objects") + "\n")
    crawl(capsys, root, tmp_path / "s.db", "--refs", "all")
    _, report = findings(capsys, tmp_path / "s.db")
    reasons = {s.get("repo"): s["reason"] for s in report["skipped"]}
    assert "commondir points out of ROOT" in reasons["x/common.git"], reasons
    assert "through the alternate" in reasons["x/b.git"] and "out of ROOT" in reasons["x/c.git"]
    assert [f["path"] for f in report["findings"]] == [], report["findings"]
