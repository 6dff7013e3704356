"""Shard readers and writers: every format streams its records in order and is rewritten in the same format."""
import gzip
import json

import pytest

from codescan.corpus.shards import Shard, ShardError, ShardWriter, discover, read_rows, shard_format
from corpus_data import code_records, write_shard

FORMATS = ["s.jsonl", "s.jsonl.gz", "s.jsonl.zst", "s.parquet"]


@pytest.mark.parametrize("name", FORMATS)
def test_round_trip_keeps_format_and_selected_rows(tmp_path, name):
    records = code_records()
    src = write_shard(tmp_path / "in" / name, records)
    shard = Shard(str(src), name, shard_format(name))
    out = tmp_path / "out" / name
    with ShardWriter(shard, str(out)) as writer:
        for row in read_rows(shard):
            assert row.record == records[row.index]
            if row.index % 2 == 0:
                writer.write(row)
    again = [r.record for r in read_rows(Shard(str(out), name, shard.format))]
    assert again == records[::2]
    if name.endswith(".gz"):
        assert gzip.decompress(out.read_bytes()).count(b"\n") == len(records[::2])
    if name.endswith(".parquet"):
        import pyarrow.parquet as pq

        assert pq.ParquetFile(out).schema_arrow == pq.ParquetFile(src).schema_arrow


def test_jsonl_lines_are_copied_byte_for_byte_and_bad_lines_reported(tmp_path):
    src = tmp_path / "a.jsonl"
    src.write_bytes(b'{"content": "x",  "id": 1}\r\nnot json\n\n[1, 2]\n{"content":"\\u00e9"}\n')
    rows = list(read_rows(Shard(str(src), "a.jsonl", "jsonl")))
    assert [r.index for r in rows] == [0, 1, 2, 3]
    assert rows[0].raw == b'{"content": "x",  "id": 1}'
    assert rows[1].record is None and "not valid JSON" in rows[1].error
    assert rows[2].record is None and "list" in rows[2].error
    assert rows[3].record == {"content": "é"}


def test_parquet_reads_only_requested_columns(tmp_path):
    src = write_shard(tmp_path / "p.parquet", code_records())
    rows = list(read_rows(Shard(str(src), "p.parquet", "parquet"), columns=["content", "missing"]))
    assert set(rows[0].record) == {"content"}


def test_discover_keeps_layout_for_folders_and_globs(tmp_path):
    write_shard(tmp_path / "c" / "a" / "x.jsonl", code_records(1))
    write_shard(tmp_path / "c" / "b" / "y.parquet", code_records(1))
    (tmp_path / "c" / "notes.txt").write_text("x")
    assert [s.rel for s in discover([str(tmp_path / "c")])] == ["a/x.jsonl", "b/y.parquet"]
    assert [s.rel for s in discover([str(tmp_path / "c" / "*" / "*.jsonl")])] == ["a/x.jsonl"]
    assert [s.rel for s in discover([str(tmp_path / "c" / "a" / "x.jsonl")])] == ["x.jsonl"]
    with pytest.raises(ShardError):
        discover([str(tmp_path / "nothing")])
    with pytest.raises(ShardError):
        discover([str(tmp_path / "c" / "notes.txt")])


def test_unreadable_shard_is_a_user_error(tmp_path):
    bad = tmp_path / "bad.jsonl.gz"
    bad.write_bytes(b"not gzip at all")
    with pytest.raises(ShardError):
        list(read_rows(Shard(str(bad), "bad.jsonl.gz", "jsonl.gz")))
