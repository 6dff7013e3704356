"""`codescan filter` refuses corrupt shards and unusable output folders with a one-line message and exit 2:
never a traceback, never a silent 0-record run."""
import datetime
import os

import pytest

from codescan.cli import main
from corpus_data import code_records, write_shard


def _run(tmp_path, capsys, shard, out=None):
    out = out or tmp_path / "out"
    code = main(["filter", str(shard), "--output", str(out), "--no-progress", "-j", "1", "--no-campaigns"])
    err = capsys.readouterr().err
    return code, err


def _cut(path):
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def _flip(path):
    data = bytearray(path.read_bytes())
    middle = len(data) // 2
    for i in range(middle, min(middle + 24, len(data) - 8)):
        data[i] ^= 0x5A
    path.write_bytes(bytes(data))


def _flip_checked(path):
    """Damage a zstd shard that carries frame checksums (the zstd tool writes them by default): without one a
    flipped literal can decode to other bytes that zstd cannot tell from the real ones."""
    import zstandard

    data = zstandard.ZstdDecompressor().stream_reader(path.read_bytes()).read()
    path.write_bytes(zstandard.ZstdCompressor(write_checksum=True).compress(data))
    _flip(path)


def _not_zstd(path):
    path.write_bytes(b'{"id": "x", "content": "x = 1"}\n')


@pytest.mark.parametrize("name,damage", [
    ("s.jsonl.zst", _cut), ("s.jsonl.zst", _flip_checked), ("s.jsonl.zst", _not_zstd),
    ("s.jsonl.gz", _cut), ("s.jsonl.gz", _flip), ("s.parquet", _cut), ("s.parquet", _flip)])
def test_a_damaged_shard_is_refused(tmp_path, capsys, name, damage):
    shard = write_shard(tmp_path / "in" / name, code_records(40))
    damage(shard)
    code, err = _run(tmp_path, capsys, shard)
    assert code == 2, err
    assert "codescan: error:" in err and name in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


def test_a_parquet_timestamp_past_year_9999_is_a_message(tmp_path, capsys):
    import pyarrow as pa
    import pyarrow.parquet as pq

    shard = tmp_path / "in" / "t.parquet"
    shard.parent.mkdir(parents=True)
    table = pa.table({"id": ["a"], "content": ["x = 1\n"],
                      "seen": pa.array([253402300800 * 1_000_000], pa.timestamp("us"))})  # 10000-01-01
    pq.write_table(table, shard)
    code, err = _run(tmp_path, capsys, shard)
    assert code == 2 and "t.parquet" in err and "year" in err, err


def test_an_output_path_that_is_a_file_is_refused(tmp_path, capsys):
    shard = write_shard(tmp_path / "in" / "s.jsonl", code_records(2))
    (tmp_path / "taken").write_text("not a folder\n")
    code, err = _run(tmp_path, capsys, shard, tmp_path / "taken")
    assert code == 2 and "not a folder" in err, err
    code, err = _run(tmp_path, capsys, shard, tmp_path / "taken" / "below")
    assert code == 2 and "codescan: error:" in err, err


def test_an_unwritable_output_folder_is_refused(tmp_path, capsys):
    shard = write_shard(tmp_path / "in" / "s.jsonl", code_records(2))
    if os.geteuid() == 0:
        out = "/sys/codescan-test-output"  # not writable even by root
    else:
        locked = tmp_path / "locked"
        locked.mkdir()
        locked.chmod(0o500)
        out = locked / "out"
    code, err = _run(tmp_path, capsys, shard, out)
    assert code == 2 and "cannot write" in err, err


def test_concatenated_zstd_frames_and_gzip_members_are_read_whole(tmp_path):
    import gzip

    import zstandard

    from codescan.corpus.shards import Shard, read_rows

    lines = [b'{"id": "%d", "content": "x = %d"}\n' % (i, i) for i in range(3000)]
    zst = tmp_path / "a.jsonl.zst"
    zst.write_bytes(b"".join(zstandard.ZstdCompressor(write_checksum=i % 2 == 0).compress(b"".join(lines[i::3]))
                             for i in range(3)))
    gz = tmp_path / "a.jsonl.gz"
    gz.write_bytes(b"".join(gzip.compress(b"".join(lines[i::3])) for i in range(3)))
    for path, fmt in ((zst, "jsonl.zst"), (gz, "jsonl.gz")):
        assert len(list(read_rows(Shard(str(path), path.name, fmt)))) == 3000


@pytest.mark.parametrize("name", ["e.jsonl.gz", "e.jsonl.zst"])
def test_an_empty_compressed_shard_is_refused(tmp_path, capsys, name):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / name).write_bytes(b"")
    code, err = _run(tmp_path, capsys, tmp_path / "in" / name)
    assert code == 2 and "empty file" in err, err


def test_ids_and_paths_with_lone_surrogates_are_written_and_verified(tmp_path, capsys):
    """A JSON \\ud800 escape in an id or path: the report and manifest keep it as that escape, and verify passes."""
    import json

    shard = tmp_path / "in" / "s.jsonl"
    shard.parent.mkdir()
    shard.write_bytes(b'{"id": "\\ud800", "content": "x = 1", "path": "a\\udcff.py"}\n'
                      b'{"id": "b", "content": "exec(__import__(\\"base64\\").b64decode(\\"aW1wb3J0IG9z\\"))",'
                      b' "path": "\\ud800.py"}\n')
    code = main(["filter", str(shard), "--output", str(tmp_path / "out"), "--no-progress", "-j", "1",
                 "--no-campaigns", "--path-field", "path"])
    assert code == 0, capsys.readouterr().err
    report = json.loads((tmp_path / "out" / "drop-report.json").read_text(encoding="utf-8"))
    assert report["summary"]["records"] == 2
    assert main(["verify", str(tmp_path / "out" / "manifest.json"), str(tmp_path / "out" / "kept")]) == 0
