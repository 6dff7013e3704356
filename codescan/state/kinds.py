"""The analysis kind of a path: its language plus any role the path alone gives it (workflow, Makefile, manifest).

A blob is analyzed once per distinct kind among the paths it occurs at, so a file first seen as `notes.txt`
and later as `run.py` is also checked with the Python rules; cheap, it looks at the path only."""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import PurePosixPath

from ..analyze import languages
from ..analyze.dependencies import manifest_kind
from ..analyze.workflows import is_workflow

READ_SKIP = "*"  # kind of a row that covers every kind: the blob itself could not be read
_MAKEFILES = re.compile(r"^(GNUmakefile|makefile|Makefile)$|\.mk$")  # as the manifest detector picks them


@lru_cache(maxsize=1 << 16)
def path_kind(path: str) -> str:
    """`python`, `yaml:workflow`, `json:package.json`, or `` when the path says nothing (content decides)."""
    language = languages.detect(path) or ""
    if is_workflow(path):
        role = "workflow"
    elif _MAKEFILES.search(PurePosixPath(path).name):
        role = "makefile"
    else:
        role = manifest_kind(path) or ""
    return f"{language}:{role}" if role else language
