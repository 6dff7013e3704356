"""No program of a scanned repository runs: every git codescan starts goes through git_safety, and a
repository's own config cannot widen the protocols a sync may use or make `git log` run gpg."""
from __future__ import annotations

import ast
import os
import subprocess
from pathlib import Path

from gitrepos import make_repo, mirror
from codescan.cli import main
from codescan.sources import git_safety
from codescan.sources.git_safety import safe_env

ROOT = Path(__file__).resolve().parent.parent / "codescan"
# The only modules allowed to start processes, and what they start.
PROCESS_MODULES = {"sources/git_safety.py": "git", "engines/semgrep.py": "semgrep"}


def _script(tmp_path: Path, read_stdin: bool = True) -> tuple[Path, Path]:
    marker = tmp_path / "PWNED"
    script = tmp_path / "pwn.sh"
    drain = "cat >/dev/null 2>&1\n" if read_stdin else ""
    script.write_text(f"#!/bin/sh\ntouch {marker}\n{drain}exit 1\n")
    script.chmod(0o755)
    return script, marker


def _git(gitdir: Path, *args: str, stdin: bytes | None = None) -> str:
    env = {k: v for k, v in safe_env().items()}
    return subprocess.run(["git", f"--git-dir={gitdir}", *args], input=stdin, env=env, check=True,
                          capture_output=True).stdout.decode()


def test_no_module_starts_a_process_outside_the_safe_runners():
    offenders = []
    for path in sorted(ROOT.rglob("*.py")):
        rel = path.relative_to(ROOT).as_posix()
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            for name in names:
                root = name.split(".")[0]
                if root in ("subprocess", "git", "pty", "multiprocessing.popen_fork") and rel not in PROCESS_MODULES:
                    offenders.append(f"{rel}:{node.lineno} imports {name}")
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "os" \
                    and (node.attr.startswith(("exec", "spawn", "popen", "posix_spawn")) or node.attr == "system"):
                offenders.append(f"{rel}:{node.lineno} calls os.{node.attr}")
    assert offenders == [], "processes must be started by git_safety (git) or engines/semgrep (semgrep) only"


def test_every_git_process_carries_the_protective_options(monkeypatch, tmp_path, capsys):
    script, marker = _script(tmp_path)
    repo = make_repo(tmp_path / "root" / "proj", [{"a.py": "import os\nos.system('x')\n"}])
    make_repo(tmp_path / "root" / "other", [{"b.py": "import os\nos.system('y')\n"}])
    started: list[list[str]] = []
    real = subprocess.Popen.__init__

    def spy(self, args, *a, **kw):
        argv = [str(x) for x in (args if isinstance(args, (list, tuple)) else [args])]
        if Path(argv[0]).name == "git":
            started.append(argv)
            assert kw.get("env") is not None and kw["env"].get("GIT_CONFIG_NOSYSTEM") == "1"
        return real(self, args, *a, **kw)

    monkeypatch.setattr(subprocess.Popen, "__init__", spy)
    assert main(["campaigns", str(tmp_path / "root"), "--format", "json"]) in (0, 1), capsys.readouterr().err
    capsys.readouterr()
    assert started, "campaigns reads git provenance from the working tree"
    for argv in started:
        assert "log.showSignature=false" in argv and "protocol.allow=never" in argv, argv
    assert not marker.exists()


def test_campaigns_on_a_signed_history_does_not_run_the_repositorys_gpg_program(tmp_path, capsys):
    script, marker = _script(tmp_path)
    repo = make_repo(tmp_path / "root" / "proj", [{"a.py": "import os\nos.system('x')\n"}])
    make_repo(tmp_path / "root" / "other", [{"b.py": "import os\nos.system('y')\n"}])
    gitdir = Path(repo.git_dir)
    # A commit carrying a gpgsig header, and config that makes `git log` verify it with a script.
    head = _git(gitdir, "rev-parse", "HEAD").strip()
    raw = _git(gitdir, "cat-file", "commit", head)
    header, _, message = raw.partition("\n\n")
    signed = (header + "\ngpgsig -----BEGIN PGP SIGNATURE-----\n \n iQEzBAABCAAdFiEE\n -----END PGP SIGNATURE-----"
              + "\n\n" + message)
    sha = _git(gitdir, "hash-object", "-t", "commit", "-w", "--stdin", stdin=signed.encode()).strip()
    _git(gitdir, "update-ref", "refs/heads/main", sha)
    _git(gitdir, "config", "log.showSignature", "true")
    _git(gitdir, "config", "gpg.program", str(script))
    # The test can fail: plain `git log` in this repository does run the script.
    subprocess.run(["git", "-C", str(repo.working_tree_dir), "log", "-1"], capture_output=True,
                   env={k: v for k, v in os.environ.items() if not k.startswith("GIT_")})
    assert marker.exists()
    marker.unlink()

    assert main(["campaigns", str(tmp_path / "root"), "--format", "json"]) in (0, 1), capsys.readouterr().err
    capsys.readouterr()
    assert not marker.exists(), "campaigns ran the repository's gpg.program"


def test_sync_into_a_mirror_whose_config_allows_ext_runs_nothing(tmp_path, capsys):
    script, marker = _script(tmp_path, read_stdin=False)
    make_repo(tmp_path / "src" / "tool", [{"a.py": "x = 1\n"}])
    root = tmp_path / "root"
    bare = mirror(tmp_path / "src" / "tool", root / "acme" / "tool.git")
    _git(bare, "config", "protocol.ext.allow", "always")
    _git(bare, "config", "protocol.allow", "always")
    _git(bare, "config", f"url.ext::{script} %S .insteadOf", "https://example.invalid/")
    urls = tmp_path / "urls.txt"
    urls.write_text(f"ext::{script} acme/tool.git\n")
    assert main(["mirror", "sync", str(urls), "--into", str(root)]) == 1
    assert not marker.exists(), "an ext:: URL ran a command"
    urls.write_text("https://example.invalid/acme/tool acme/tool.git\n")
    assert main(["mirror", "sync", str(urls), "--into", str(root)]) == 1
    assert not marker.exists(), "a url.insteadOf rewrite to ext:: ran a command"
    capsys.readouterr()
    # The test can fail: git with only `-c protocol.allow=never` follows the repository's own allow.
    subprocess.run(["git", "-c", "protocol.allow=never", f"--git-dir={bare}", "fetch", f"ext::{script}",
                    "+refs/*:refs/*"], capture_output=True, env={k: v for k, v in os.environ.items()
                                                                  if not k.startswith("GIT_")}, timeout=60)
    assert marker.exists()


def test_the_environment_pins_the_protocol_allow_list():
    assert git_safety.safe_env({"GIT_ALLOW_PROTOCOL": "ext"})["GIT_ALLOW_PROTOCOL"] == ""
    assert "ext" not in git_safety.sync_env()["GIT_ALLOW_PROTOCOL"].split(":")


def test_sync_into_a_mirror_whose_config_names_an_upload_pack_runs_nothing(tmp_path, capsys):
    """`remote.<url>.uploadpack` applies to a fetch of that very URL (git names the anonymous remote after it), and
    git runs it through the shell for file:// and local sources: a mirror's config could run any command."""
    script, marker = _script(tmp_path, read_stdin=False)
    make_repo(tmp_path / "src" / "tool", [{"a.py": "x = 1\n"}])
    root = tmp_path / "root"
    bare = mirror(tmp_path / "src" / "tool", root / "acme" / "tool.git")
    url = f"file://{tmp_path / 'src' / 'tool'}"
    _git(bare, "config", f"remote.{url}.uploadpack", f"{script}; git-upload-pack")
    urls = tmp_path / "urls.txt"
    urls.write_text(f"{url} acme/tool.git\n")
    assert main(["mirror", "sync", str(urls), "--into", str(root)]) == 0, capsys.readouterr().err
    capsys.readouterr()
    assert not marker.exists(), "the mirror's remote.<url>.uploadpack ran a command"
    # The test can fail: the same fetch with the protective options but no pinned upload-pack runs the script.
    subprocess.run(git_safety.git_argv(bare, "fetch", "--", url, "+refs/*:refs/*",
                                       config=git_safety.SYNC_CONFIG), env=git_safety.sync_env(),
                   capture_output=True, timeout=60)
    assert marker.exists()
