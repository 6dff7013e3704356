"""While one document is analyzed the young generation is collected every DOC_YOUNG allocations (not the
process-wide GC_YOUNG), and once after it; a document making much cyclic garbage is still collected during its
analysis (the heap stays bounded); a caller that turned the collector off keeps it off."""
from __future__ import annotations

import gc

from codescan import pipeline
from codescan.records import Document

DOC = Document(path="a.py", content=b"x = 1\n")


class _Recorder:
    """An analyzer stand-in: runs `work` and records the threshold it ran under."""

    def __init__(self, work=None):
        self.work = work
        self.thresholds = []

    def analyze(self, doc):
        self.thresholds.append(gc.get_threshold()[0])
        if self.work is not None:
            self.work()
        return "analysis"


def _collections(run) -> list[int]:
    """The generations collected while `run()` runs."""
    seen: list[int] = []

    def note(phase, info):
        if phase == "start":
            seen.append(info["generation"])

    gc.callbacks.append(note)
    try:
        run()
    finally:
        gc.callbacks.remove(note)
    return seen


def _with_threshold(young: int, run):
    before = gc.get_threshold()
    gc.set_threshold(young, *before[1:])
    try:
        return run()
    finally:
        gc.set_threshold(*before)


def test_a_document_runs_at_doc_young_then_one_collection_after_it_and_the_callers_threshold_comes_back():
    recorder = _Recorder()

    def run():
        seen = _collections(lambda: pipeline._safe_analyze(recorder, DOC))
        return seen, gc.get_threshold()[0]

    seen, after = _with_threshold(pipeline.GC_YOUNG, run)
    assert recorder.thresholds == [pipeline.DOC_YOUNG]
    assert after == pipeline.GC_YOUNG
    assert len(seen) == 1 and seen[0] in (0, 1)  # the collection after the document (a middle one every 10th)


def test_a_document_making_much_cyclic_garbage_is_still_collected_while_it_is_analyzed():
    def cycles():
        for _ in range(3 * pipeline.DOC_YOUNG):
            a: list = []
            a.append(a)  # garbage only a collection frees

    recorder = _Recorder(cycles)
    seen = _with_threshold(pipeline.GC_YOUNG, lambda: _collections(lambda: pipeline._safe_analyze(recorder, DOC)))
    assert len(seen) >= 3  # during the analysis (the collector was not simply turned off), and after it


def test_a_caller_that_disabled_the_collector_keeps_it_disabled():
    recorder = _Recorder()
    gc.disable()
    try:
        seen = _collections(lambda: pipeline._safe_analyze(recorder, DOC))
        assert not gc.isenabled()
    finally:
        gc.enable()
    assert seen == [] and recorder.thresholds == [gc.get_threshold()[0]]


def test_off_the_process_wide_threshold_alone_runs(monkeypatch):
    monkeypatch.setattr(pipeline, "PER_DOCUMENT_COLLECTOR", False)
    recorder = _Recorder()
    seen = _with_threshold(pipeline.GC_YOUNG, lambda: _collections(lambda: pipeline._safe_analyze(recorder, DOC)))
    assert recorder.thresholds == [pipeline.GC_YOUNG] and seen == []


def test_a_failing_analysis_is_still_a_skip_and_the_threshold_comes_back():
    def boom():
        raise ValueError("bad")

    result = _with_threshold(pipeline.GC_YOUNG, lambda: (pipeline._safe_analyze(_Recorder(boom), DOC),
                                                         gc.get_threshold()[0]))
    analysis, after = result
    assert after == pipeline.GC_YOUNG
    assert "analyzer error: ValueError: bad" in analysis.skips[0].reason
