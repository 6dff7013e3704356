"""A repository's refs (one `git for-each-ref`), and the ones a crawl follows: head, branches, tags, all or a glob."""
from __future__ import annotations

import fnmatch
from dataclasses import dataclass
from pathlib import Path

from ..errors import CodescanError
from .git_safety import first_error_line, run_git

REF_CHOICES = ("head", "branches", "tags", "all")
_FORMAT = "%(refname)%00%(objectname)%00%(objecttype)%00%(*objectname)%00%(*objecttype)"


class GitReadError(CodescanError):
    """git could not read a repository (corrupt, partial, unreadable); the message is git's reason."""


@dataclass(frozen=True, slots=True)
class Ref:
    name: str      # refs/heads/main, refs/tags/v1, or HEAD when detached
    commit: str    # the commit it points at (tags peeled)


def _list_refs(gitdir: Path) -> dict[str, str]:
    """refname -> commit sha for every ref that ends at a commit (tags peeled; tags of trees/blobs left out)."""
    proc = run_git(gitdir, "for-each-ref", f"--format={_FORMAT}", timeout=600)
    if proc.returncode != 0:
        raise GitReadError(first_error_line(proc.stderr))
    refs: dict[str, str] = {}
    for line in proc.stdout.split(b"\n"):
        if not line:
            continue
        # A ref name may hold any bytes but a few (never a backslash): bytes that are not UTF-8 are shown as \xNN,
        # a name that is text everywhere (state store, reports) and cannot collide with a real ref name.
        parts = line.decode("utf-8", "backslashreplace").split("\0")
        if len(parts) != 5:
            continue
        name, sha, kind, peeled, peeled_kind = parts
        if kind == "commit":
            refs[name] = sha
        elif kind == "tag" and peeled_kind == "commit":
            refs[name] = peeled
    return refs


def _head(gitdir: Path, refs: dict[str, str]) -> Ref | None:
    """What HEAD names: the default branch of a mirror, or a detached commit in a working clone."""
    try:
        text = (gitdir / "HEAD").read_bytes().decode("utf-8", "backslashreplace").strip()
    except OSError:
        return None
    if text.startswith("ref:"):
        target = text[4:].strip()
        return Ref(target, refs[target]) if target in refs else None
    if len(text) in (40, 64) and all(c in "0123456789abcdef" for c in text):
        return Ref("HEAD", text)
    return None


def select_refs(gitdir: Path, which: str) -> list[Ref]:
    """The refs to crawl: `head` (default branch), `branches`, `tags`, `all`, or a glob over ref names."""
    refs = _list_refs(gitdir)
    if which == "head":
        head = _head(gitdir, refs)
        if head is None and refs:  # HEAD names a branch that does not exist: main, master, else every branch
            for name in ("refs/heads/main", "refs/heads/master"):
                if name in refs:
                    return [Ref(name, refs[name])]
            branches = sorted(n for n in refs if n.startswith("refs/heads/")) or sorted(refs)
            return [Ref(n, refs[n]) for n in branches]
        return [head] if head else []
    if which == "branches":
        chosen = {n: c for n, c in refs.items() if n.startswith("refs/heads/")}
    elif which == "tags":
        chosen = {n: c for n, c in refs.items() if n.startswith("refs/tags/")}
    elif which == "all":
        chosen = dict(refs)
    else:
        patterns = [p.strip() for p in which.split(",") if p.strip()]
        chosen = {n: c for n, c in refs.items()
                  if any(fnmatch.fnmatchcase(n, p) or fnmatch.fnmatchcase(n.split("/", 2)[-1], p) for p in patterns)}
    return [Ref(n, c) for n, c in sorted(chosen.items())]
