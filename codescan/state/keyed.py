"""analyze_all for keyed documents: each Analysis comes back with its key (blob, kind), in one worker pass."""
from __future__ import annotations

import inspect
from dataclasses import replace
from typing import Iterable, Iterator

from ..pipeline import analyze_all
from ..records import Analysis, Document, Skip


def _accepts_units() -> bool:
    return "units" in inspect.signature(analyze_all).parameters


def analyze_blobs(items: Iterable[tuple[object, Document]], ruleset, config, units: bool = False
                  ) -> Iterator[tuple[object, Analysis | Skip]]:
    """Yield (key, result) per (key, document). A result names only its path, so a document whose path is already in
    flight (another version of the same file) is sent as `./path`, `././path`, ...: the same POSIX path for
    language detection and path rules (they match on the name or on `(^|/)`), yet a distinct key."""
    inflight: dict[str, object] = {}  # path as sent -> key
    extra = {"units": True} if units and _accepts_units() else {}

    def feed() -> Iterator[Document]:
        for key, doc in items:
            path = doc.path
            while path in inflight:
                path = "./" + path
            if path != doc.path:
                doc = replace(doc, path=path)
            inflight[path] = key
            yield doc

    for result in analyze_all(feed(), ruleset, config, progress=False, **extra):
        yield inflight.pop(result.path), result
