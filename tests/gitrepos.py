"""Build real git repositories and mirrors with gitpython in temporary folders (no binary repos committed)."""
from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

import git

from codescan.sources.git_safety import safe_env

_ENV = {"GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}


def actor(name: str) -> git.Actor:
    return git.Actor(name, f"{name.lower().replace(' ', '.')}@example.org")


def make_repo(path: Path, commits: list[dict], bare_mirror_at: Path | None = None) -> git.Repo:
    """A working repository whose history is `commits`: each a dict of {path: text|bytes|None (delete)} plus
    optional "_author" (name), "_date" (ISO-8601) and "_message". Optionally also `clone --mirror` it."""
    path.mkdir(parents=True, exist_ok=True)
    repo = git.Repo.init(path, initial_branch="main")
    with repo.config_writer() as cfg:
        cfg.set_value("user", "name", "Builder")
        cfg.set_value("user", "email", "builder@example.org")
        cfg.set_value("commit", "gpgsign", "false")
    for number, spec in enumerate(commits, 1):
        commit(repo, spec, number)
    if bare_mirror_at is not None:
        mirror(path, bare_mirror_at)
    return repo


def commit(repo: git.Repo, spec: dict, number: int = 0) -> git.Commit:
    root = Path(repo.working_tree_dir)
    for rel, content in spec.items():
        if rel.startswith("_"):
            continue
        target = root / rel
        if content is None:
            repo.index.remove([rel], working_tree=True)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content, encoding="utf-8")
        repo.index.add([rel])
    who = actor(spec.get("_author", "Builder"))
    date = spec.get("_date", f"2024-01-{min(number, 28) or 1:02d}T12:00:00+00:00")
    when = datetime.fromisoformat(date)
    return repo.index.commit(spec.get("_message", f"commit {number}"), author=who, committer=who,
                             author_date=when, commit_date=when)


def mirror(source: Path, target: Path) -> Path:
    """`git clone --mirror source target` with a clean environment."""
    target.parent.mkdir(parents=True, exist_ok=True)
    env = safe_env({**os.environ, **_ENV}, protocols=("file",))
    git.Repo.clone_from(str(source), str(target), mirror=True, env=env)
    return target


def fast_repo(gitdir: Path, commits: list[dict], branch: str = "main") -> Path:
    """A bare repository built in one `git fast-import` stream: each commit a dict {path: bytes} plus
    "_author" and "_when" (unix seconds). Much faster than committing file by file for big test mirrors."""
    import subprocess

    from codescan.sources.git_safety import safe_env

    gitdir.mkdir(parents=True, exist_ok=True)
    subprocess.run(["git", "init", "-q", "--bare", f"--initial-branch={branch}", str(gitdir)], env=safe_env(),
                   check=True)
    out = bytearray()
    for number, spec in enumerate(commits, 1):
        who = actor(spec.get("_author", "Builder"))
        when = int(spec.get("_when", 1_700_000_000 + number * 3600))
        message = spec.get("_message", f"commit {number}").encode()
        out += f"commit refs/heads/{branch}\nmark :{number}\n".encode()
        stamp = f"{who.name} <{who.email}> {when} +0000\n"
        out += f"author {stamp}committer {stamp}".encode()
        out += b"data %d\n%s\n" % (len(message), message)
        if number > 1:
            out += f"from :{number - 1}\n".encode()
        for rel, content in spec.items():
            if rel.startswith("_"):
                continue
            data = content if isinstance(content, bytes) else content.encode()
            out += f"M 100644 inline {rel}\n".encode() + b"data %d\n" % len(data) + data + b"\n"
        out += b"\n"
    subprocess.run(["git", f"--git-dir={gitdir}", "fast-import", "--quiet"], input=bytes(out), env=safe_env(),
                   check=True)
    return gitdir
