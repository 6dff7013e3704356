"""`codescan filter`: poisoned records dropped with reasons, clean ones kept in the same format and layout."""
import json

import pytest

from codescan.cli import main
from codescan.corpus.shards import Shard, read_rows, shard_format
from corpus_data import chat_records, code_records, write_shard

POISONED = {"p-exec", "p-shell", "p-js", "chat-bad", "pair-bad"}


def _filter(tmp_path, inputs, *extra, out="out"):
    code = main(["filter", *map(str, inputs), "--output", str(tmp_path / out), "--no-progress", "-j", "1",
                 "--no-campaigns", *extra])
    report = json.loads((tmp_path / out / "drop-report.json").read_text())
    return code, report


def _ids(path):
    return [r.record["id"] for r in read_rows(Shard(str(path), path.name, shard_format(path)))]


@pytest.mark.parametrize("name", ["a.jsonl", "a.jsonl.gz", "a.jsonl.zst", "a.parquet"])
def test_each_format_keeps_clean_and_drops_poisoned_records(tmp_path, name):
    records = code_records() + chat_records()
    write_shard(tmp_path / "in" / "part" / name, records)
    code, report = _filter(tmp_path, [tmp_path / "in"], "--path-field", "path", "--lang-field", "lang",
                           "--repo-field", "repo", "--write-dropped")
    assert code == 0
    kept = _ids(tmp_path / "out" / "kept" / "part" / name)
    assert kept == [r["id"] for r in records if r["id"] not in POISONED]  # order and layout kept
    assert {d["id"] for d in report["dropped"]} == POISONED
    assert _ids(tmp_path / "out" / "dropped" / "part" / name) == [r["id"] for r in records if r["id"] in POISONED]
    assert report["summary"]["records"] == len(records)


def test_drop_report_names_rule_category_field_block_and_line(tmp_path):
    write_shard(tmp_path / "chat.jsonl", chat_records())
    _, report = _filter(tmp_path, [tmp_path / "chat.jsonl"])
    by_id = {d["id"]: d for d in report["dropped"]}
    chat = by_id["chat-bad"]
    assert chat["shard"] == "chat.jsonl" and chat["row"] == 0
    assert "exec-of-decoded-payload" in chat["rule_ids"] and "code-execution" in chat["categories"]
    reason = next(r for r in chat["reasons"] if r.get("rule_id") == "exec-of-decoded-payload")
    assert (reason["field"], reason["block"], reason["line"]) == ("messages[1].content", 0, 5)
    pair = next(r for r in by_id["pair-bad"]["reasons"] if r["kind"] == "finding")
    assert (pair["field"], pair["block"]) == ("response", 1)  # the un-labelled block, language detected


def test_policy_decides_and_every_keep_has_a_reason(tmp_path):
    records = code_records(2) + [{"id": "weak", "content": "import hashlib\n\ndef store(password):\n"
                                  "    return hashlib.md5(password.encode()).hexdigest()\n", "lang": "Python"}]
    write_shard(tmp_path / "s.jsonl", records)
    _, strict = _filter(tmp_path, [tmp_path / "s.jsonl"], "--lang-field", "lang", "--drop-on", "low", out="o1")
    _, lax = _filter(tmp_path, [tmp_path / "s.jsonl"], "--lang-field", "lang", "--drop-on", "backdoor", out="o2")
    assert "weak" in {d["id"] for d in strict["dropped"]}
    assert "weak" not in {d["id"] for d in lax["dropped"]}
    assert {d["id"] for d in lax["dropped"]} == {"p-shell"}  # the reverse shell is a backdoor; exec is not
    kept = {k["id"]: k for k in lax["kept_with_findings"]}
    assert all(r.get("below_policy") for r in kept["p-exec"]["reasons"])


def test_unreadable_records_are_dropped_and_said_so(tmp_path):
    (tmp_path / "s.jsonl").write_text('{"id": "ok", "content": "x = 1"}\n{broken\n')
    _, report = _filter(tmp_path, [tmp_path / "s.jsonl"])
    assert report["dropped"][0]["row"] == 1 and report["dropped"][0]["reasons"][0]["kind"] == "unreadable"


def test_usage_errors_exit_2(tmp_path, capsys):
    write_shard(tmp_path / "s.jsonl", code_records(1))
    assert main(["filter", str(tmp_path / "missing"), "-o", str(tmp_path / "o")]) == 2
    assert main(["filter", str(tmp_path / "s.jsonl"), "-o", str(tmp_path / "o"), "--drop-on", "bogus"]) == 2
    assert main(["filter", str(tmp_path), "-o", str(tmp_path / "o2")]) == 2  # output inside an input folder
    assert "codescan: error:" in capsys.readouterr().err
