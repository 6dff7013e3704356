"""One `git log --raw` walk per repository: every (path, blob) each commit introduced, with its author and dates."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from .git_refs import GitReadError
from .git_safety import first_error_line, popen_git

# \x01 opens a commit record; the fields that follow are NUL-separated (names cannot hold NUL).
# %S names the tip (as given on the command line) through which the walk reached the commit.
_FORMAT = "--format=%x01%H%x00%an%x00%ae%x00%aI%x00%cI%x00%ct%x00%S"
_HEADER_FIELDS = 6
MODE_SUBMODULE = "160000"
MODE_SYMLINK = "120000"
_ZERO = "0" * 40


@dataclass(frozen=True, slots=True)
class Commit:
    sha: str
    author: str
    email: str
    date: str            # author date, ISO-8601
    committer_date: str  # ISO-8601
    timestamp: int       # committer time, seconds since the epoch (for ordering)
    source: str = ""     # the tip the walk reached this commit from (one of `walk`'s tips)


@dataclass(frozen=True, slots=True)
class Change:
    """A path a commit set to a blob (or a submodule commit, or a symbolic link)."""

    path: bytes  # raw bytes: git paths need not be UTF-8
    mode: str
    blob: str


def _tokens(stream, chunk: int = 1 << 20) -> Iterator[bytes]:
    rest = b""
    while True:
        data = stream.read(chunk)
        if not data:
            break
        parts = (rest + data).split(b"\0")
        rest = parts.pop()
        yield from parts
    if rest:
        yield rest


def parse(tokens: Iterator[bytes]) -> Iterator[tuple[Commit, list[Change]]]:
    """Commit records and their changes from the NUL-separated stream (fields taken by position, so a path
    holding the marker bytes cannot be mistaken for a header)."""
    commit: Commit | None = None
    changes: list[Change] = []
    tokens = iter(tokens)
    for token in tokens:
        head = token.lstrip(b"\n")
        if head.startswith(b"\x01"):
            if commit is not None:
                yield commit, changes
            fields = [next(tokens, b"") for _ in range(_HEADER_FIELDS)]
            text = [f.decode("utf-8", "replace") for f in fields]
            try:
                stamp = int(text[4] or 0)
            except ValueError:
                stamp = 0
            commit = Commit(head[1:].decode("ascii", "replace"), text[0], text[1], text[2], text[3], stamp,
                            text[5].strip())
            changes = []
        elif head.startswith(b":"):
            path = next(tokens, b"")
            change = _change(head, path)
            if change is not None and commit is not None:
                changes.append(change)
    if commit is not None:
        yield commit, changes


def _change(header: bytes, path: bytes) -> Change | None:
    """`:old new oldsha newsha S` or, for a merge, `::m1 m2 mR s1 s2 sR SS` -> the resulting mode and object."""
    parents = len(header) - len(header.lstrip(b":"))
    fields = header[parents:].decode("ascii", "replace").split()
    if len(fields) < 2 * (parents + 1) + 1:
        return None
    mode = fields[parents]
    sha = fields[2 * (parents + 1) - 1]
    if sha == _ZERO or mode == "000000":
        return None  # deleted here
    return Change(path, mode, sha)


def walk(gitdir: Path, tips: list[str], stop_at: list[str] = ()) -> Iterator[tuple[Commit, list[Change]]]:
    """Commits reachable from `tips` but not from `stop_at`, newest first, each with the paths it set and the tip
    it was reached from (`Commit.source`).

    Merges contribute only paths whose result differs from every parent (a conflict resolution)."""
    args = ["log", "--raw", "-z", "--no-renames", "--no-abbrev", "--no-ext-diff", "--no-textconv",
            "--no-show-signature", "--diff-merges=combined", "--root", _FORMAT, *tips]
    if stop_at:
        args += ["--not", *stop_at]
    args.append("--")
    proc = popen_git(gitdir, *args)
    try:
        yield from parse(_tokens(proc.stdout))
        stderr = proc.stderr.read()
        if proc.wait() != 0:
            raise GitReadError(first_error_line(stderr))
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        proc.stdout.close()
        proc.stderr.close()
