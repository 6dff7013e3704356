"""The in-process analysis (-j 1, small inputs) runs the collector as a worker does: frozen start, rare young
collections; the caller's settings (threshold, its own frozen objects) come back when the results are consumed."""
from __future__ import annotations

import gc

from codescan import pipeline
from codescan.config import Config
from codescan.records import Document
from codescan.rules import load_rules

BODY = b"import os, subprocess\nsubprocess.call('ls -l ' + os.environ['X'], shell=True)\n"


def _docs(n: int) -> list[Document]:
    return [Document(path=f"d{i:03d}.py", content=BODY + f"# {i}\n".encode()) for i in range(n)]


def _run(docs, jobs: int):
    before = gc.get_threshold()
    gc.set_threshold(700, before[1], before[2])
    try:
        seen = []
        for _result in pipeline.analyze_all(iter(docs), load_rules(), Config(jobs=jobs)):
            seen.append((gc.get_threshold()[0], gc.get_freeze_count() > 0))
        return seen, gc.get_threshold()
    finally:
        gc.set_threshold(*before)


def test_in_process_analysis_collects_young_objects_rarely_over_a_frozen_start_and_restores_the_callers_setting():
    assert gc.get_freeze_count() == 0
    seen, after = _run(_docs(30), jobs=1)
    assert len(seen) == 30 and set(seen) == {(pipeline.GC_YOUNG, True)}
    assert after[0] == 700
    assert gc.get_freeze_count() == 0  # what it froze is unfrozen


def test_a_small_input_in_process_does_the_same():
    seen, after = _run(_docs(2), jobs=4)  # under IN_PROCESS_BYTES: analyzed in this process
    assert set(seen) == {(pipeline.GC_YOUNG, True)} and after[0] == 700
    assert gc.get_freeze_count() == 0


def test_what_the_caller_froze_before_stays_frozen():
    gc.freeze()
    try:
        seen, _after = _run(_docs(3), jobs=1)
        assert set(seen) == {(pipeline.GC_YOUNG, True)}
        assert gc.get_freeze_count() > 0  # not unfrozen under the caller (its count only drops as objects die)
    finally:
        gc.unfreeze()
