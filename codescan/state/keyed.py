"""analyze_all for blobs: each Analysis comes back with the blob it belongs to, paths kept as they are."""
from __future__ import annotations

import inspect
from collections import defaultdict, deque
from typing import Iterable, Iterator

from ..pipeline import analyze_all
from ..records import Analysis, Document, Skip


def _accepts_units() -> bool:
    return "units" in inspect.signature(analyze_all).parameters


def analyze_blobs(docs: Iterable[Document], ruleset, config, units: bool = False
                  ) -> Iterator[tuple[str, Analysis | Skip]]:
    """Yield (blob, result) per document. Results name only their path, so two documents with the same path are
    never in flight together: a later one waits until the earlier one's result is back (or for a next pass)."""
    inflight: dict[str, str] = {}  # path -> blob of the document being analyzed under that path
    waiting: dict[str, deque] = defaultdict(deque)
    freed: list[str] = []
    extra = {"units": True} if units and _accepts_units() else {}

    def admit(doc: Document) -> bool:
        if doc.path in inflight or doc.path in waiting:
            waiting[doc.path].append(doc)
            return False
        inflight[doc.path] = doc.blob_sha
        return True

    def feed(source: Iterable[Document]) -> Iterator[Document]:
        for doc in source:
            yield from release()
            if admit(doc):
                yield doc
        yield from release()

    def release() -> Iterator[Document]:
        while freed:
            path = freed.pop()
            queue = waiting.get(path)
            if queue and path not in inflight:
                doc = queue.popleft()
                if not queue:
                    del waiting[path]
                inflight[path] = doc.blob_sha
                yield doc

    source: Iterable[Document] = docs
    while True:
        for result in analyze_all(feed(source), ruleset, config, progress=False, **extra):
            blob = inflight.pop(result.path)
            freed.append(result.path)
            yield blob, result
        if not waiting:
            return
        source = [doc for queue in waiting.values() for doc in queue]
        waiting.clear()
        freed.clear()
