"""`codescan filter` on records whose code is not a plain string: lists, objects (Parquet structs), binary
columns and message lists of any shape are analyzed as text; binary that is not text is a reported skip,
dropped by default."""
import json

import pytest

from codescan.cli import main
from corpus_data import CLEAN_PY, EXEC_B64


def _write_parquet(path, records):
    import pyarrow as pa
    import pyarrow.parquet as pq

    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(pa.Table.from_pylist(records), path)


def _write(path, records):
    if path.suffix == ".parquet":
        _write_parquet(path, records)
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("".join(json.dumps(r) + "\n" for r in records))


def _filter(tmp_path, shard, *extra, out="out"):
    code = main(["filter", str(shard), "--output", str(tmp_path / out), "--no-progress", "-j", "1",
                 "--no-campaigns", *extra])
    assert code == 0
    return json.loads((tmp_path / out / "drop-report.json").read_text())


PAYLOAD = EXEC_B64
SHAPES = {  # name -> (file suffix, poisoned record, its clean twin)
    "content-list": (".jsonl", {"content": [PAYLOAD]}, {"content": [CLEAN_PY]}),
    "content-object": (".jsonl", {"content": {"code": PAYLOAD}}, {"content": {"code": CLEAN_PY}}),
    "content-binary": (".parquet", {"content": PAYLOAD.encode()}, {"content": CLEAN_PY.encode()}),
    "content-struct": (".parquet", {"content": {"file": "a.py", "code": PAYLOAD}},
                       {"content": {"file": "a.py", "code": CLEAN_PY}}),
    "messages-object": (".jsonl", {"messages": {"user": "run it", "assistant": "```python\n" + PAYLOAD + "```"}},
                        {"messages": {"user": "run it", "assistant": "```python\n" + CLEAN_PY + "```"}}),
    "message-content-list": (".jsonl", {"messages": [{"role": "assistant", "content": ["```python\n" + PAYLOAD
                                                                                        + "```"]}]},
                             {"messages": [{"role": "assistant", "content": ["```python\n" + CLEAN_PY + "```"]}]}),
    "message-content-object": (".jsonl", {"messages": [{"role": "assistant", "content": {"code": PAYLOAD}}]},
                               {"messages": [{"role": "assistant", "content": {"code": CLEAN_PY}}]}),
    "message-content-binary": (".parquet", {"messages": [{"role": "assistant", "content": PAYLOAD.encode()}]},
                               {"messages": [{"role": "assistant", "content": CLEAN_PY.encode()}]}),
    "messages-strings": (".jsonl", {"messages": ["hi", "```python\n" + PAYLOAD + "```"]},
                         {"messages": ["hi", "```python\n" + CLEAN_PY + "```"]}),
}


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_a_payload_in_any_shape_is_analyzed_like_the_same_text(tmp_path, shape):
    suffix, bad, good = SHAPES[shape]
    shard = tmp_path / "in" / f"s{suffix}"
    _write(shard, [{"id": "bad", **bad}, {"id": "good", **good}])
    report = _filter(tmp_path, shard)
    dropped = {d["id"]: d for d in report["dropped"]}
    assert set(dropped) == {"bad"}, report
    assert "exec-of-decoded-payload" in dropped["bad"]["rule_ids"]


@pytest.mark.parametrize("where", ["content", "message"])
def test_binary_that_is_not_text_is_a_skip_dropped_by_default(tmp_path, where):
    blob = b"\xff\xfe\x00exec\x80\x81" * 8
    record = {"content": blob} if where == "content" else {"messages": [{"role": "user", "content": blob}]}
    shard = tmp_path / "in" / "s.parquet"
    _write_parquet(shard, [{"id": "opaque", **record}])
    report = _filter(tmp_path, shard)
    assert [d["id"] for d in report["dropped"]] == ["opaque"]
    reason = report["dropped"][0]["reasons"][0]
    assert reason["kind"] == "opaque" and "not UTF-8 text" in reason["detail"]
    lax = _filter(tmp_path, shard, "--drop-on", "high", out="lax")
    assert lax["dropped"] == [] and lax["kept_with_findings"][0]["reasons"][0]["kind"] == "opaque"
    strict = _filter(tmp_path, shard, "--drop-on", "high,skipped", out="strict")
    assert [d["id"] for d in strict["dropped"]] == ["opaque"]


def test_the_python_api_sees_the_same_shapes():
    from codescan.corpus.api import CorpusFilter

    flt = CorpusFilter()
    decisions = flt.decide([{"content": {"code": PAYLOAD}}, {"content": b"\xff\xfe" * 10}, {"content": CLEAN_PY}])
    assert [d.keep for d in decisions] == [False, False, True]
