"""Read blobs through one persistent `git cat-file --batch` per repository (gitpython), raw: no filters, no textconv."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .git_safety import command_error, persistent_git

LFS_PREFIX = b"version https://git-lfs.github.com/spec/v1"
LFS_MAX = 1024  # pointer files are ~130 bytes
_DRAIN = 1 << 20


@dataclass(frozen=True, slots=True)
class BlobRead:
    """A blob's content, or why it was not read (missing, not a blob, too large, an LFS pointer)."""

    blob: str
    size: int
    content: bytes | None = None
    reason: str | None = None


class BlobReader:
    """Reads objects of one repository; a dead cat-file process is restarted on the next read."""

    def __init__(self, gitdir: Path, max_size: int):
        self.max_size = max_size
        self.bytes_read = 0
        self._git = persistent_git(gitdir)

    def read(self, sha: str) -> BlobRead:
        try:
            hexsha, kind, size, stream = self._git.stream_object_data(sha)
        except ValueError as exc:
            reason = str(exc)
            if "could not be resolved" in reason or "missing" in reason:
                return BlobRead(sha, 0, reason="missing object (partial or corrupt repository)")
            self._restart()
            return BlobRead(sha, 0, reason=f"cannot read object: {reason.splitlines()[0][:200]}")
        except (OSError, command_error()) as exc:
            self._restart()
            return BlobRead(sha, 0, reason=f"cannot read object: {type(exc).__name__}: {exc}"[:300])
        if isinstance(kind, bytes):
            kind = kind.decode("ascii", "replace")
        try:
            if kind != "blob":
                _drain(stream, size)
                return BlobRead(sha, size, reason=f"not a blob ({kind})")
            if size > self.max_size:
                _drain(stream, size)
                return BlobRead(sha, size, reason=f"too large ({size} bytes > max_file_size {self.max_size})")
            content = stream.read(size)  # the stream also consumes the newline cat-file puts after it
        except (OSError, ValueError) as exc:
            self._restart()
            return BlobRead(sha, size, reason=f"cannot read object: {type(exc).__name__}: {exc}"[:300])
        if len(content) != size:
            self._restart()
            return BlobRead(sha, size, reason="truncated object (corrupt repository)")
        self.bytes_read += size
        if size <= LFS_MAX and content.startswith(LFS_PREFIX):
            return BlobRead(sha, size, reason="Git LFS pointer (the content lives outside the repository)")
        return BlobRead(sha, size, content=content)

    def _restart(self) -> None:
        try:
            self._git.clear_cache()
        except Exception:  # noqa: BLE001 - a dead process cannot be stopped twice; the next read starts anew
            self._git.cat_file_all = None
            self._git.cat_file_header = None

    def close(self) -> None:
        self._restart()

    def __enter__(self) -> "BlobReader":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _drain(stream, size: int) -> None:
    left = size + 1
    while left > 0:
        got = stream.read(min(left, _DRAIN))
        if not got:
            break
        left -= len(got)
