"""Worker batches keep a file's versions together (the worker holding one version re-parses the next from it), and
are still cut at their usual size between different files and at a bound inside one file's long history."""
from __future__ import annotations

from codescan import pipeline
from codescan.pipeline import BATCH_BYTES, BATCH_DOCS, GROUP_BYTES, _batches
from codescan.records import Document


def _doc(path: str, size: int) -> Document:
    return Document(path=path, content=b"x" * size)


def _paths(batches) -> list[list[str]]:
    return [[d.path for d in batch] for batch in batches]


def test_versions_in_flight_are_not_cut_apart():
    size = -(-BATCH_BYTES // 3)  # three fill a batch
    docs = [_doc("a.py", size)] + [_doc("./" * i + "b.py", size) for i in range(5)] + [_doc("c.py", size)]
    batches = _paths(_batches(docs, []))
    assert batches == [["a.py", "b.py", "./b.py", "././b.py", "./././b.py", "././././b.py"], ["c.py"]]


def test_different_files_are_cut_at_the_batch_size():
    size = -(-BATCH_BYTES // 3)  # three fill a batch
    docs = [_doc(f"f{i}.py", size) for i in range(7)]
    assert [len(b) for b in _batches(docs, [])] == [3, 3, 1]
    small = [_doc(f"g{i}.py", 1) for i in range(BATCH_DOCS + 1)]
    assert [len(b) for b in _batches(small, [])] == [BATCH_DOCS, 1]


def test_a_long_history_is_cut_at_the_group_bound(monkeypatch):
    size = BATCH_BYTES // 2
    docs = [_doc("./" * i + "big.py", size) for i in range(3 * GROUP_BYTES // size)]
    batches = list(_batches(docs, []))
    assert [sum(len(d.content) for d in b) for b in batches] == [GROUP_BYTES] * 3
    assert sum(len(b) for b in batches) == len(docs)
    assert pipeline.GROUP_BYTES > BATCH_BYTES
