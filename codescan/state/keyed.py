"""analyze_all for keyed documents: each Analysis comes back with its key (blob, kind), in one worker pass."""
from __future__ import annotations

import inspect
from dataclasses import replace
from typing import Iterable, Iterator

from ..pipeline import analyze_all
from ..records import Analysis, Document, Skip
from ..unit_columns import PackedUnits


def _accepts(name: str) -> bool:
    return name in inspect.signature(analyze_all).parameters


def analyze_blobs(items: Iterable[tuple[object, Document]], ruleset, config, units: bool = False
                  ) -> Iterator[tuple[object, Analysis | Skip | PackedUnits]]:
    """Yield (key, result) per (key, document). A result names only its path, so a document whose path is already in
    flight (another version of the same file) is sent as `./path`, `././path`, ...: the same POSIX path for
    language detection and path rules (they match on the name or on `(^|/)`), yet a distinct key. With units, a
    result may come as the columns a worker sent (unit_columns.rows reads every kind of result)."""
    inflight: dict[str, object] = {}  # path as sent -> key
    extra = {"units": True} if units and _accepts("units") else {}
    if extra and _accepts("columns"):
        extra["columns"] = True

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
        path = result.analysis.path if isinstance(result, PackedUnits) else result.path
        yield inflight.pop(path), result
