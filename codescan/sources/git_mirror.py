"""Keep mirrors fresh: `clone --mirror` or `fetch --prune` one bare repository per URL, in parallel, inert."""
from __future__ import annotations

import os
import re
import shutil
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

from ..errors import CodescanError
from .git_repos import _looks_like_gitdir
from .git_safety import SYNC_CONFIG, UPLOAD_PACK, first_error_line, run_git, url_rewrites

SYNC_TIMEOUT = 3600.0
_SAFE_PART = re.compile(r"^[A-Za-z0-9._@+-]+$")


class MirrorListError(CodescanError):
    """A URL list that cannot be used (unreadable, or a line naming a place outside ROOT)."""


@dataclass(frozen=True, slots=True)
class Remote:
    url: str
    name: str  # where the mirror lives under ROOT, e.g. owner/name.git
    line: int


@dataclass(frozen=True, slots=True)
class SyncResult:
    remote: Remote
    action: str          # cloned | fetched | failed
    seconds: float
    error: str | None = None


def mirror_name(url: str) -> str:
    """owner/name.git from https://host/owner/name(.git), git@host:owner/name, file:///x/owner/name."""
    if "://" in url:
        path = urlparse(url).path
    elif re.match(r"^[\w.-]+@[\w.-]+:", url):
        path = url.split(":", 1)[1]
    else:
        path = url
    parts = [p for p in path.strip("/").split("/") if p]
    if not parts:
        raise MirrorListError(f"{url}: cannot tell a repository name from this URL")
    parts = parts[-2:]
    name = parts[-1]
    parts[-1] = name if name.endswith(".git") else name + ".git"
    return "/".join(parts)


def read_list(path: str) -> list[Remote]:
    """One URL per line (optionally followed by the mirror's path under ROOT); # starts a comment."""
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise MirrorListError(f"{path}: cannot read URL list: {exc}") from None
    remotes: list[Remote] = []
    seen: dict[str, int] = {}
    for number, raw in enumerate(lines, 1):
        text = raw.split("#", 1)[0].strip() if not raw.lstrip().startswith("#") else ""
        if not text:
            continue
        fields = text.split()
        url = fields[0]
        name = fields[1] if len(fields) > 1 else mirror_name(url)
        parts = name.strip("/").split("/")
        if not all(_SAFE_PART.match(p) and p not in (".", "..") for p in parts):
            raise MirrorListError(f"{path}:{number}: mirror path {name!r} must be plain names inside ROOT")
        if name in seen:
            raise MirrorListError(f"{path}:{number}: {name} is already the mirror of line {seen[name]}")
        seen[name] = number
        remotes.append(Remote(_local_absolute(url), "/".join(parts), number))
    if not remotes:
        raise MirrorListError(f"{path}: no URLs in the list (one URL per line, optionally followed by the mirror's path)")
    return remotes


def _local_absolute(url: str) -> str:
    """A relative path to a local repository, as absolute: git runs from `/`, where it would not be found."""
    if "://" in url or os.path.isabs(url) or not os.path.exists(url):
        return url
    return os.path.abspath(url)


def sync_one(remote: Remote, root: Path, timeout: float = SYNC_TIMEOUT) -> SyncResult:
    start = time.monotonic()
    target = root / remote.name
    try:
        if target.exists():
            if not _looks_like_gitdir(target) or target.is_symlink():
                raise RuntimeError(f"{target} exists and is not a bare mirror")
            rewrites = url_rewrites(target)
            if rewrites:  # the fetch would go where the mirror's config says, not to the listed URL
                raise RuntimeError(f"{target}: its config rewrites URLs ({rewrites[0][:120]}); not fetched")
            proc = run_git(target, "fetch", "--prune", "--no-write-fetch-head", "--no-auto-gc",
                           "--no-recurse-submodules", UPLOAD_PACK, "--", remote.url, "+refs/*:refs/*",
                           config=SYNC_CONFIG, timeout=timeout)
            action = "fetched"
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            staging = Path(tempfile.mkdtemp(prefix=".sync-", dir=target.parent))
            try:
                proc = run_git(None, "clone", "--mirror", "--no-hardlinks", "--quiet", UPLOAD_PACK, "--", remote.url,
                               str(staging / "repo.git"), config=SYNC_CONFIG, timeout=timeout)
                if proc.returncode == 0:
                    os.replace(staging / "repo.git", target)  # a clone appears whole or not at all
            finally:
                shutil.rmtree(staging, ignore_errors=True)
            action = "cloned"
        if proc.returncode != 0:
            raise RuntimeError(first_error_line(proc.stderr))
    except Exception as exc:  # noqa: BLE001 - one remote failing never stops the others
        message = str(exc) if isinstance(exc, RuntimeError) else f"{type(exc).__name__}: {exc}"
        return SyncResult(remote, "failed", time.monotonic() - start, message)
    return SyncResult(remote, action, time.monotonic() - start)


def sync_all(remotes: list[Remote], root: Path, jobs: int = 4, timeout: float = SYNC_TIMEOUT, on_done=None
             ) -> list[SyncResult]:
    """Sync every remote with `jobs` at a time; results in list order. git runs from `/`, so ROOT is made
    absolute here (a relative one put clones under /ROOT)."""
    root = root.resolve()
    root.mkdir(parents=True, exist_ok=True)
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        futures = [pool.submit(sync_one, r, root, timeout) for r in remotes]
        results = []
        for future in futures:
            result = future.result()
            if on_done is not None:
                on_done(result)
            results.append(result)
    return results
