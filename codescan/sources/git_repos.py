"""Find every git repository (bare mirror or working clone) under a root, never leaving it."""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from ..records import Skip


@dataclass(frozen=True, slots=True)
class RepoSpot:
    """A repository found under ROOT: `name` is its path relative to ROOT without `.git` (e.g. owner/name)."""

    name: str
    gitdir: Path  # absolute, resolved, inside ROOT
    bare: bool

    @property
    def shallow(self) -> bool:
        return (self.gitdir / "shallow").is_file()


def _looks_like_gitdir(path: Path) -> bool:
    """HEAD + objects/ + refs/ (or a reftable), as git itself checks."""
    try:
        return ((path / "HEAD").is_file() and (path / "objects").is_dir()
                and ((path / "refs").is_dir() or (path / "reftable").is_dir()))
    except OSError:
        return False


def _inside(path: Path, root: Path) -> bool:
    try:
        path.relative_to(root)
        return True
    except ValueError:
        return False


def shown(text: str) -> str:
    """A file-system name as storable text: bytes that are not UTF-8 (surrogate escapes) become \\xNN."""
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def _name(rel: str) -> str:
    return rel[:-4] if rel.endswith(".git") and len(rel) > 4 else rel


ALTERNATES_DEPTH = 5  # git follows alternates of alternates this deep


def _escape_reason(gitdir: Path, root: Path) -> str | None:
    """Why reading this repository would leave ROOT: a symlinked objects folder, a `commondir` (where a linked
    worktree's refs and objects live) elsewhere, or alternates elsewhere, also through another alternate."""
    common = _pointer(gitdir, "commondir")
    if common is not None and not _inside(common, root):
        return f"commondir points out of ROOT ({_short(common)}); not followed"
    for place in dict.fromkeys(p for p in (gitdir, common) if p is not None):
        objects = (place / "objects").resolve()
        if not _inside(objects, root):
            return "objects folder is a link out of ROOT (not followed)"
        reason = _alternates_reason(objects, root)
        if reason:
            return reason
    return None


def _short(path: Path) -> str:
    return shown(str(path))[:120]


def _pointer(gitdir: Path, name: str) -> Path | None:
    """The folder a one-line pointer file in the git dir names (relative to the git dir), resolved; None without."""
    try:
        text = (gitdir / name).read_text("utf-8", "replace").strip() if (gitdir / name).is_file() else ""
    except OSError:
        return None
    if not text:
        return None
    target = Path(text)
    return (target if target.is_absolute() else gitdir / target).resolve()


def _alternates_reason(objects: Path, root: Path) -> str | None:
    seen, todo = {objects}, [(objects, 0)]
    while todo:
        folder, depth = todo.pop()
        alternates = folder / "info" / "alternates"
        try:
            lines = alternates.read_text("utf-8", "replace").splitlines() if alternates.is_file() else []
        except OSError:
            lines = []
        for line in lines:
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            target = (Path(line) if os.path.isabs(line) else folder / line).resolve()
            if not _inside(target, root):
                via = "" if folder == objects else f" through the alternate {_short(folder)}"
                return f"objects/info/alternates points out of ROOT ({line[:120]}){via}; not followed"
            if target not in seen and depth + 1 < ALTERNATES_DEPTH:
                seen.add(target)
                todo.append((target, depth + 1))
    return None


def _dot_git(entry: Path, root: Path) -> tuple[Path | None, str | None]:
    """The git dir behind a working clone's `.git` (a folder, or a `gitdir:` file) and why it cannot be used."""
    dot = entry / ".git"
    if dot.is_symlink():
        return None, ".git is a symbolic link (not followed)"
    if dot.is_dir():
        return dot, None
    if dot.is_file():
        try:
            text = dot.read_text("utf-8", "replace").strip()
        except OSError as exc:
            return None, f"cannot read .git file: {exc.strerror or exc}"
        if text.startswith("gitdir:"):
            target = Path(text[7:].strip())
            target = (entry / target) if not target.is_absolute() else target
            return target, None
        return None, ".git file without a gitdir line"
    return None, None


def discover(root: str | Path) -> Iterator[RepoSpot | Skip]:
    """Yield each repository under ROOT (sorted, any depth), or a Skip saying why a candidate was not used.

    Symbolic links are never followed; a repository is not searched for nested repositories."""
    base = Path(root).resolve()
    stack = [base]
    while stack:
        folder = stack.pop()
        rel = shown(folder.relative_to(base).as_posix()) if folder != base else ""
        found = _classify(folder, base, rel)
        if found is not None:
            yield found
            continue
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name, reverse=True)
        except OSError as exc:
            yield Skip(rel or ".", f"cannot list folder: {exc.strerror or exc}")
            continue
        for entry in entries:
            if entry.name in (".git",):
                continue
            try:
                if entry.is_symlink():
                    if os.path.isdir(entry.path):
                        yield Skip(_rel(base, entry.path), "symbolic link to a folder (not followed)")
                    continue
                if entry.is_dir(follow_symlinks=False):
                    stack.append(Path(entry.path))
            except OSError:
                continue


def _rel(base: Path, path: str) -> str:
    return shown(Path(path).relative_to(base).as_posix())


def _classify(folder: Path, base: Path, rel: str) -> RepoSpot | Skip | None:
    if _looks_like_gitdir(folder):
        gitdir, bare = folder, True
    elif (folder / "HEAD").is_file() and folder.name.endswith(".git"):
        return Skip(rel or ".", "partial repository: HEAD without objects or refs")
    else:
        gitdir, problem = _dot_git(folder, base)
        if problem:
            return Skip(rel or ".", problem)
        if gitdir is None:
            return None
        bare = False
        if not _looks_like_gitdir(gitdir):
            return Skip(rel or ".", "partial repository: .git lacks HEAD, objects or refs")
    resolved = gitdir.resolve()
    if not _inside(resolved, base):
        return Skip(rel or ".", "git dir is outside ROOT (not followed)")
    reason = _escape_reason(resolved, base)
    if reason:
        return Skip(rel or ".", reason)
    return RepoSpot(name=_name(rel) if rel else shown(base.name), gitdir=resolved, bare=bare)
