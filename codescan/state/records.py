"""What the state store hands out: an Occurrence of a blob in a repository, and a Finding placed at one."""
from __future__ import annotations

from dataclasses import dataclass

from ..records import Finding


@dataclass(frozen=True, slots=True)
class Occurrence:
    """A blob at a path in a repository, with the commit that introduced it there (author = name, date = author
    date, ISO-8601)."""

    repo: str
    ref: str | None
    path: str
    blob: str
    commit: str | None
    author: str | None
    email: str | None
    date: str | None
    committer_date: str | None = None


@dataclass(frozen=True, slots=True)
class MirrorFinding(Finding):
    """A Finding from a mirror, with the rest of its provenance (author email, committer date, ref)."""

    email: str | None = None
    committer_date: str | None = None
    ref: str | None = None
    first_seen: str | None = None  # when a crawl first recorded this finding (ISO-8601, UTC)

    def to_dict(self) -> dict:
        out = Finding.to_dict(self)
        for name in ("email", "committer_date", "ref", "first_seen"):
            value = getattr(self, name)
            if value is not None:
                out[name] = value
        return out
