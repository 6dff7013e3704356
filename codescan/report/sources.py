"""Find the code of a campaign member: text carried in the member, a file under a root, or a blob in a git mirror."""
from __future__ import annotations

from pathlib import Path

from ..analyze.textlines import split_lines
from .model import SourceLookup

MAX_BYTES = 2_000_000
# git reads objects only (sources/git_safety): nothing a mirror's own config names may run.


def _lines(data: bytes | str) -> list[str]:
    text = data if isinstance(data, str) else data.decode("utf-8", "replace")
    return split_lines(text)


def _inline(member: dict) -> list[str] | None:
    """Code the campaigns stage put in the member itself ("code", "source" or "text": the member's lines)."""
    for key in ("code", "source", "text"):
        value = member.get(key)
        if isinstance(value, str) and value:
            return [""] * (max(int(member.get("line") or 1), 1) - 1) + _lines(value)
    return None


def _inside(root: Path, candidate: Path) -> bool:
    try:
        return candidate.resolve().is_relative_to(root.resolve())
    except OSError:
        return False


def _from_files(roots: list[Path], member: dict) -> list[str] | None:
    rel = [member.get("path") or ""]
    if member.get("repo"):
        rel.insert(0, f"{member['repo']}/{member.get('path') or ''}")
    for root in roots:
        for r in rel:
            candidate = root / r
            if r and _inside(root, candidate) and candidate.is_file() and candidate.stat().st_size <= MAX_BYTES:
                return _lines(candidate.read_bytes())
    return None


def _git_dir(root: Path, repo: str) -> Path | None:
    for name in (f"{repo}.git", repo, f"{repo}/.git"):
        candidate = root / name
        if _inside(root, candidate) and (candidate / "objects").is_dir():
            return candidate
    return None


def _cat_file(git_dir: Path, spec: str) -> bytes | None:
    """One blob, read raw (no filters, no textconv), through the crawl's safe git runner."""
    from ..sources.git_safety import RUN_ERRORS, run_git

    try:
        done = run_git(git_dir, "cat-file", "blob", spec, timeout=20)
    except RUN_ERRORS:
        return None
    return done.stdout if done.returncode == 0 and len(done.stdout) <= MAX_BYTES else None


def _from_git(roots: list[Path], gitdirs: dict, member: dict, blob: str | None) -> list[str] | None:
    repo, commit, path = member.get("repo"), member.get("commit"), member.get("path")
    spec = blob or (f"{commit}:{path}" if commit and path else None)
    if not repo or not spec:
        return None
    candidates = [Path(gitdirs[repo])] if gitdirs.get(repo) else []
    candidates += [d for d in (_git_dir(root, repo) for root in roots) if d is not None]
    for git_dir in candidates:
        data = _cat_file(git_dir, spec)
        if data is not None:
            return _lines(data)
    return None


def lookup(roots=(), blobs: dict | None = None, gitdirs: dict | None = None) -> SourceLookup:
    """A member → its file's lines: inline code first, then the blob in its git repository (from `gitdirs`,
    repo → git dir as a crawl state records it, or found under `roots`) read by blob id (from `blobs`, keyed
    (repo, path, commit)) or commit:path, then a plain file under `roots`."""
    paths = [Path(r) for r in roots]
    cache: dict[tuple, list[str] | None] = {}

    def find(member: dict) -> list[str] | None:
        inline = _inline(member)
        if inline is not None:
            return inline
        key = (member.get("repo"), member.get("path"), member.get("commit"))
        if key not in cache:
            blob = member.get("blob") or (blobs or {}).get(key)
            cache[key] = _from_git(paths, gitdirs or {}, member, blob) or _from_files(paths, member)
        return cache[key]

    return find
