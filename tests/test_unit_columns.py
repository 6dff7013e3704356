"""A worker sends its analyses' campaign units as columns (one object per field, shared signatures once), and the
driver gets back analyses equal to the worker's, through real worker processes too."""
from __future__ import annotations

import pickle
import pickletools
from dataclasses import replace

from codescan import pipeline
from codescan.analyze.document import Analyzer
from codescan.config import Config
from codescan.records import Analysis, Document, Skip, Unit
from codescan.rules import load_rules
from codescan.unit_columns import PackedUnits, pack, rows, unpack

VERSION = "def f{i}(a, b):\n    total = a + b\n    for x in range(total):\n        print(x, a, b)\n    return total\n\n"


def _docs(n: int) -> list[Document]:
    body = "".join(VERSION.format(i=i) for i in range(40))
    return [Document(path=f"pkg/m{i:03d}.py", content=(body + f"LAST = {i}\n").encode()) for i in range(n)]


def _classes(data: bytes) -> set[str]:
    """Class names a pickle refers to."""
    names, strings = set(), []
    for op, arg, _ in pickletools.genops(data):
        if isinstance(arg, str):
            strings.append(arg)
        if op.name == "STACK_GLOBAL":
            names.add(strings[-1])
    return names


def test_a_batch_with_units_is_sent_without_unit_objects_and_comes_back_equal():
    ruleset = load_rules()
    analyzer = Analyzer(ruleset, Config(), units=True)
    docs = _docs(6)
    results = [analyzer.analyze(d) for d in docs] + [Skip("gone.py", "unreadable"), Analysis(path="empty.py")]
    assert sum(len(a.units) for a in results[:6]) > 100
    sent = pickle.dumps(pack(results), protocol=pickle.HIGHEST_PROTOCOL)
    assert "Unit" not in _classes(sent)
    assert len(sent) < len(pickle.dumps(results, protocol=pickle.HIGHEST_PROTOCOL)) / 2  # shared signatures once
    back = unpack(pickle.loads(sent))
    assert back == results
    assert all(type(u) is Unit for a in back[:6] for u in a.units)


def test_worker_processes_give_the_same_units_as_one_process():
    ruleset = load_rules()
    docs = _docs(pipeline.BATCH_DOCS + 10)  # two batches: worker processes, not the in-process path
    here = list(pipeline.analyze_all(iter(docs), ruleset, Config(jobs=1), units=True))
    there = list(pipeline.analyze_all(iter(docs), ruleset, Config(jobs=2), units=True))
    assert len(there) == len(docs) and all(a.units for a in there)
    assert sorted(there, key=lambda a: a.path) == sorted(here, key=lambda a: a.path)


def _fields(analysis) -> list[tuple]:
    return [(u.kind, u.name, u.line, u.end_line, u.tokens, u.signature) for u in analysis.units]


def test_rows_read_from_the_columns_are_the_units_fields_and_the_analysis_comes_without_them():
    analyzer = Analyzer(load_rules(), Config(), units=True)
    results = [analyzer.analyze(d) for d in _docs(3)] + [Skip("gone.py", "unreadable"), Analysis(path="empty.py")]
    sent = pickle.loads(pickle.dumps(pack(results), protocol=pickle.HIGHEST_PROTOCOL))
    for original, packed in zip(results, sent):
        got, listed = rows(packed)
        assert listed == (_fields(original) if isinstance(original, Analysis) else [])
        assert got == (replace(original, units=()) if isinstance(original, Analysis) else original)
        assert rows(original) == (got, listed)  # unpacked results (the in-process path) give the same


def test_with_columns_the_workers_results_are_not_unpacked_and_give_the_same_rows():
    ruleset = load_rules()
    docs = _docs(pipeline.BATCH_DOCS + 10)  # two batches: worker processes
    here = {a.path: a for a in pipeline.analyze_all(iter(docs), ruleset, Config(jobs=1), units=True)}
    there = list(pipeline.analyze_all(iter(docs), ruleset, Config(jobs=2), units=True, columns=True))
    assert len(there) == len(docs) and all(isinstance(item, PackedUnits) for item in there)
    for item in there:
        analysis, listed = rows(item)
        assert listed == _fields(here[analysis.path]) and analysis == replace(here[analysis.path], units=())


def test_the_worker_batch_function_returns_columns(monkeypatch):
    monkeypatch.setattr(pipeline, "_ANALYZER", Analyzer(load_rules(), Config(), units=True))
    sent, _rss = pipeline._analyze_batch(_docs(2))
    assert "Unit" not in _classes(pickle.dumps(sent, protocol=pickle.HIGHEST_PROTOCOL))
    assert all(u.kind for a in unpack(sent) for u in a.units)
