"""A plain directory tree as Documents for clustering: each git working tree (else each top-level
folder, and the files directly inside the PATH) under a PATH is one repository; git provenance
(author, date, commit) is read when present."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Iterator

from ..records import Document

SKIP_DIRS = frozenset({".git", ".hg", ".svn", "node_modules", "__pycache__"})
MAX_SIZE = 2_000_000


def repositories(root: Path) -> list[tuple[str, Path]]:
    """(repo name, folder): git working trees found under root, else its top-level folders."""
    if (root / ".git").exists():
        return [(root.resolve().name, root)]
    found: list[tuple[str, Path]] = []
    for current, dirs, _files in os.walk(root):
        here = Path(current)
        if (here / ".git").exists() and here != root:
            found.append((here.relative_to(root).as_posix(), here))
            dirs.clear()
            continue
        dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS and not (here / d).is_symlink())
    if found:
        return found
    return [(p.name, p) for p in sorted(root.iterdir()) if p.is_dir() and not p.is_symlink()
            and p.name not in SKIP_DIRS]


def plan(paths: list[str]) -> list[tuple[str, Path, bool]]:
    """(repository name, folder, only its top files) for every repository the PATHs hold: a PATH without git
    working trees adds the files directly inside it as one more repository, named after the PATH."""
    out: list[tuple[str, Path, bool]] = []
    for raw in paths:
        root = Path(raw)
        found = repositories(root)
        out.extend((name, folder, False) for name, folder in found)
        if any((folder / ".git").exists() for _, folder in found):
            continue
        if any(p.is_file() and not p.is_symlink() for p in root.iterdir()):
            out.append((root.resolve().name, root, True))
    return out


def provenance(folder: Path) -> dict[str, tuple[str, str, str]]:
    """path -> (commit, author, ISO date) of the newest commit that touched it; {} without git."""
    if not (folder / ".git").exists():
        return {}
    from ..sources.git_safety import RUN_ERRORS, run_git

    try:
        # Through the safe runner: the repository's own config (log.showSignature + gpg.program,
        # core.fsmonitor, diff.external...) must not run anything.
        proc = run_git(folder / ".git", "log", "--format=%x00%H%x1f%an%x1f%aI", "--name-only", "--no-renames",
                       "--no-show-signature", timeout=600)
    except RUN_ERRORS:  # no git binary, or a timeout: dates stay empty
        return {}
    if proc.returncode != 0:  # no history, unreadable repository: dates stay empty
        return {}
    log = proc.stdout.decode("utf-8", "replace")
    out: dict[str, tuple[str, str, str]] = {}
    for entry in log.split("\0")[1:]:
        head, _, names = entry.partition("\n")
        commit, author, date = (head.split("\x1f") + ["", "", ""])[:3]
        for name in names.split("\n"):
            name = name.strip()
            if name and name not in out:
                out[name] = (commit, author, date)
    return out


def documents(paths: list[str], max_size: int = MAX_SIZE) -> Iterator[Document]:
    """Every regular file of every repository under each PATH, symlinks never followed."""
    for repo, folder, top_only in plan(paths):
        history = provenance(folder)
        for current, dirs, files in os.walk(folder):
            dirs[:] = [] if top_only else sorted(d for d in dirs if d not in SKIP_DIRS)
            for name in sorted(files):
                full = Path(current) / name
                if full.is_symlink() or not full.is_file() or full.stat().st_size > max_size:
                    continue
                rel = full.relative_to(folder).as_posix()
                commit, author, date = history.get(rel, (None, None, None))
                yield Document(path=rel, content=full.read_bytes(), repo=repo, commit=commit,
                               author=author, date=date, trusted=False)
