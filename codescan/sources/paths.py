"""Files and folders from the command line (or a pre-commit file list) as Documents, never leaving a root."""
from __future__ import annotations

import fnmatch
import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from ..records import Document, Skip
from ..errors import CodescanError
from ..corpus.dataset_files import is_dataset_file, record_documents
from . import gitignore
from .git_repos import shown

SKIP_DIRS = frozenset({".git", ".hg", ".svn"})


class SourceError(CodescanError, ValueError):
    """A PATH that cannot be read at all (usage error, exit 2)."""


@dataclass(frozen=True, slots=True)
class Root:
    """A scanned root: paths are reported relative to `base`."""

    path: Path  # what the user named
    base: Path  # resolved folder that relative paths are computed from


def _excluded(rel: str, patterns: tuple[str, ...]) -> bool:
    return any(fnmatch.fnmatch(rel, p) or fnmatch.fnmatch(rel.rsplit("/", 1)[-1], p) for p in patterns)


def _read(full: Path, rel: str, max_size: int) -> Document | Skip:
    try:
        st = full.stat()
        if not stat.S_ISREG(st.st_mode):
            return Skip(rel, "not a regular file")
        if st.st_size > max_size:
            return Skip(rel, f"too large ({st.st_size} bytes > max_file_size {max_size})")
        with open(full, "rb") as fh:
            content = fh.read(max_size + 1)
    except PermissionError:
        return Skip(rel, "permission denied")
    except OSError as exc:
        return Skip(rel, f"cannot read: {exc.strerror or exc}")
    if len(content) > max_size:
        return Skip(rel, f"too large (> max_file_size {max_size})")
    return Document(path=rel, content=content)


def _inside(target: Path, base: Path) -> bool:
    try:
        target.relative_to(base)
        return True
    except ValueError:
        return False


def walk(paths: list[str], max_size: int, exclude: tuple[str, ...] = (), trusted: bool = True,
         skip_ignored: bool = False, left_out: list[str] | None = None, record_lines: dict | None = None
         ) -> Iterator[Document | Skip]:
    """Yield a Document per file under each PATH (or a Skip with its reason).

    skip_ignored: inside folders, leave out what .gitignore files ignore, virtual environments and node_modules
    (each left out path is appended to `left_out`); a PATH named on the command line is always read.
    A PATH that does not exist raises SourceError before anything is yielded."""
    roots = []
    for raw in paths:
        p = Path(raw)
        if not p.exists() and not p.is_symlink():
            raise SourceError(f"{raw}: no such file or folder")
        if p.is_dir() and not os.access(p, os.R_OK | os.X_OK):
            raise SourceError(f"{raw}: folder cannot be read (permission denied)")
        roots.append(p)
    seen: set[Path] = set()  # a file named twice (`src src/a.py`, `a.py ./a.py`) is scanned once
    for p in roots:
        if p.is_dir():
            yield from _walk_dir(p, max_size, exclude, trusted, seen, skip_ignored,
                                 left_out if left_out is not None else [], record_lines)
        else:
            rel = shown(p.as_posix())
            rel = rel[2:] if rel.startswith("./") else rel
            if p.is_symlink():
                yield Skip(rel, "symbolic link (not followed)")
                continue
            if _excluded(rel, exclude) or _repeat(p, seen):
                continue
            if not _regular(p):  # a FIFO named *.jsonl would block the scan forever
                yield Skip(rel, NOT_REGULAR)
                continue
            if is_dataset_file(rel):  # records are scanned one by one, whatever the file's size
                yield from record_documents(str(p), rel, trusted, record_lines=record_lines)
                continue
            item = _read(p, rel, max_size)
            yield item if isinstance(item, Skip) else _trust(item, trusted)


def _trust(doc: Document, trusted: bool) -> Document:
    if trusted:
        return doc
    return Document(path=doc.path, content=doc.content, trusted=False)


NOT_REGULAR = "not a regular file (FIFO, socket or device; never opened)"


def _regular(path: Path) -> bool:
    try:
        return stat.S_ISREG(path.stat().st_mode)
    except OSError:
        return True  # unreadable: _read says why


def _repeat(full: Path, seen: set[Path]) -> bool:
    try:
        key = full.resolve()
    except (RuntimeError, OSError):
        return False
    if key in seen:
        return True
    seen.add(key)
    return False


def _walk_dir(root: Path, max_size: int, exclude: tuple[str, ...], trusted: bool, seen: set[Path],
              skip_ignored: bool, left_out: list[str], record_lines: dict | None = None
              ) -> Iterator[Document | Skip]:
    base = root.resolve()
    stack = [(base, gitignore.above(base) if skip_ignored else [])]
    while stack:
        folder, ignores = stack.pop()
        if skip_ignored:
            here = folder.relative_to(base).as_posix()
            own = gitignore.read(folder, "" if here == "." else here)
            ignores = ignores + [own] if own is not None else ignores
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as exc:
            rel = folder.relative_to(base).as_posix()
            yield Skip(rel or ".", f"folder cannot be read: {exc.strerror or exc}")
            continue
        subdirs = []
        for entry in entries:
            full = Path(entry.path)
            # A name that is not UTF-8 is read like any other (skipping it would hide the file) and shown
            # with \xNN escapes, as crawl shows such paths.
            rel = shown(full.relative_to(base).as_posix())
            if _excluded(rel, exclude):
                continue
            if entry.is_symlink():
                try:
                    target = full.resolve()
                except (RuntimeError, OSError):  # a link loop: Python raises RuntimeError
                    yield Skip(rel, "symbolic link loop (not followed)")
                    continue
                if not _inside(target, base):
                    yield Skip(rel, "symbolic link leaving the scanned root (not followed)")
                # A link inside the root points at something scanned at its own path anyway.
                continue
            is_dir = entry.is_dir(follow_symlinks=False)
            if skip_ignored and (gitignore.ignored(ignores, rel, is_dir)
                                 or (is_dir and gitignore.is_environment(full, entry.name))):
                left_out.append(rel)
                continue
            if is_dir:
                if entry.name not in SKIP_DIRS:
                    subdirs.append((full, ignores))
                continue
            if _repeat(full, seen):
                continue
            if not entry.is_file(follow_symlinks=False):  # FIFO, socket, device: reading could block forever
                yield Skip(rel, NOT_REGULAR)
                continue
            if is_dataset_file(rel):
                yield from record_documents(str(full), rel, trusted, record_lines=record_lines)
                continue
            item = _read(full, rel, max_size)
            yield item if isinstance(item, Skip) else _trust(item, trusted)
        stack.extend(reversed(subdirs))
