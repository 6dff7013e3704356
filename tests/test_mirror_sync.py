"""`codescan mirror sync` and `crawl` on repositories whose config and hooks try to run commands."""
from __future__ import annotations

import os
import stat
import subprocess

from crawlrun import crawl, findings
from gitrepos import commit, make_repo, mirror
from codescan.cli import main
from codescan.sources.git_safety import safe_env

HOOKS = ("reference-transaction", "post-checkout", "post-merge", "pre-auto-gc", "post-rewrite", "fsmonitor-watchman",
         "pre-push", "post-receive", "update", "pre-commit")


def _arm(gitdir, script) -> None:
    """Make every config key and hook we know of run `script` (which creates a marker file)."""
    cmd = str(script)
    for key, value in (("core.fsmonitor", cmd), ("core.pager", cmd), ("core.sshCommand", cmd),
                       ("core.alternateRefsCommand", cmd), ("core.askPass", cmd), ("credential.helper", "!" + cmd),
                       ("log.showSignature", "true"), ("gpg.program", cmd), ("diff.external", cmd),
                       ("filter.evil.clean", cmd), ("filter.evil.smudge", cmd), ("filter.evil.process", cmd),
                       ("filter.evil.required", "true"), ("diff.evil.textconv", cmd),
                       ("uploadpack.packObjectsHook", cmd), ("remote.origin.uploadpack", cmd)):
        subprocess.run(["git", "--git-dir", str(gitdir), "config", "--add", key, value], env=safe_env(), check=True)
    (gitdir / "info").mkdir(exist_ok=True)
    (gitdir / "info" / "attributes").write_text("* filter=evil diff=evil\n")
    (gitdir / "hooks").mkdir(exist_ok=True)
    for hook in HOOKS:
        path = gitdir / "hooks" / hook
        path.write_text(f"#!/bin/sh\n{cmd}\n")
        path.chmod(path.stat().st_mode | stat.S_IEXEC)


def test_hostile_repositories_stay_inert_in_crawl_and_sync(capsys, tmp_path):
    marker = tmp_path / "PWNED"
    script = tmp_path / "pwn.sh"
    script.write_text(f"#!/bin/sh\ntouch {marker}\ncat >/dev/null 2>&1\n")
    script.chmod(0o755)
    src = make_repo(tmp_path / "src" / "tool", [{"a.py": "import os\nos.system('id')\n", ".gitattributes":
                                                  "* filter=evil diff=evil\n"}])
    root = tmp_path / "root"
    bare = mirror(tmp_path / "src" / "tool", root / "acme" / "tool.git")
    make_repo(root / "acme" / "work", [{"b.py": "import os\nos.system('w')\n",
                                               ".gitattributes": "* filter=evil diff=evil\n"}])
    _arm(bare, script)
    _arm(root / "acme" / "work" / ".git", script)
    commit(src, {"c.py": "x = 3\n"}, 2)
    urls = tmp_path / "urls.txt"
    urls.write_text(f"file://{tmp_path / 'src' / 'tool'} acme/tool.git\nfile://{tmp_path / 'nowhere'}\n"
                    f"file://{tmp_path / 'src' / 'tool'} fresh/tool.git\n")

    assert main(["mirror", "sync", str(urls), "--into", str(root), "-j", "2"]) == 1  # one remote fails
    err = capsys.readouterr().err
    assert any(ln.startswith("failed") and "nowhere.git" in ln for ln in err.splitlines())
    assert "fetched acme/tool.git" in err and "cloned  fresh/tool.git" in err
    crawl(capsys, root, tmp_path / "s.db")
    _, report = findings(capsys, tmp_path / "s.db")
    assert {(f["repo"], f["path"]) for f in report["findings"]} >= {("acme/tool", "a.py"), ("acme/work", "b.py")}
    assert any(f["repo"] == "fresh/tool" for f in report["findings"])
    assert not marker.exists(), "a repository-named command ran"
    assert (root / "acme" / "tool.git" / "refs" / "heads" / "main").exists() or "main" in \
        (root / "acme" / "tool.git" / "packed-refs").read_text()

    # The same fetch without codescan's protections does run the repository's hook: the test can fail.
    commit(src, {"d.py": "x = 4\n"}, 3)
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    subprocess.run(["git", "--git-dir", str(bare), "fetch", "-q", f"file://{tmp_path / 'src' / 'tool'}",
                    "+refs/*:refs/*"], env=env, capture_output=True)
    assert marker.exists()


def test_sync_list_errors_are_usage_errors(capsys, tmp_path):
    urls = tmp_path / "urls.txt"
    urls.write_text("https://example.org/a/b ../../etc\n")
    assert main(["mirror", "sync", str(urls), "--into", str(tmp_path / "root")]) == 2
    assert "plain names inside ROOT" in capsys.readouterr().err
    assert main(["mirror", "sync", str(tmp_path / "missing.txt"), "--into", str(tmp_path)]) == 2


def test_mirror_names_from_urls():
    from codescan.sources.git_mirror import mirror_name
    assert mirror_name("https://github.com/owner/name") == "owner/name.git"
    assert mirror_name("git@github.com:owner/name.git") == "owner/name.git"
    assert mirror_name("file:///srv/x/owner/name/") == "owner/name.git"


def test_second_crawl_on_a_locked_state_is_a_clear_error(capsys, tmp_path):
    from codescan.state.lock import WriterLock
    root = tmp_path / "root"
    make_repo(root / "a" / "b", [{"a.py": "x = 1\n"}])
    lock = WriterLock(str(tmp_path / "s.db"))
    lock.acquire()
    try:
        assert main(["crawl", str(root), "--state", str(tmp_path / "s.db"), "--no-progress"]) == 2
        assert "in use by another crawl" in capsys.readouterr().err
    finally:
        lock.release()
    crawl(capsys, root, tmp_path / "s.db")
