"""The analysis kind of a path: its language plus any role the path alone gives it (workflow, Makefile, manifest),
as analyze/filekind.py decides it for every verb.

A blob is analyzed once per distinct kind among the paths it occurs at, so a file first seen as `notes.txt`
and later as `run.py` is also checked with the Python rules; cheap, it looks at the path only."""
from __future__ import annotations

from ..analyze.filekind import of_path

READ_SKIP = "*"  # kind of a row that covers every kind: the blob itself could not be read


def path_kind(path: str) -> str:
    """`python`, `yaml:workflow`, `json:package.json`, or `` when the path says nothing (content decides)."""
    return of_path(path).key
