"""`codescan verify` catches every edit of a kept file's bytes and reports a structurally edited manifest as
tampering (exit 1), never with a traceback."""
import json

import pytest

from codescan.cli import main
from corpus_data import signed_filter_output


@pytest.fixture()
def filtered(tmp_path):
    return signed_filter_output(tmp_path)


def _verify(root, capsys, key=True):
    extra = ["--key", str(root / "secret.key")] if key else []
    code = main(["verify", str(root / "out" / "manifest.json"), str(root / "out" / "kept"), "--format", "json",
                 *extra])
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    return code, json.loads(captured.out)


def _rewrite_parquet(path, change):
    import pyarrow.parquet as pq

    table = change(pq.read_table(path))
    pq.write_table(table, path, compression="snappy")


def _footer_metadata(table):
    return table.replace_schema_metadata({**(table.schema.metadata or {}), b"note": b"edited"})


def _type_swap(table):
    import pyarrow as pa

    column = table.schema.get_field_index("content")
    return table.set_column(column, pa.field("content", pa.large_string()), table.column(column).cast(pa.large_string()))


@pytest.mark.parametrize("edit", ["footer-metadata", "type-swap"])
def test_parquet_edits_with_the_same_rows_are_caught(filtered, capsys, edit):
    path = filtered / "out" / "kept" / "b.parquet"
    _rewrite_parquet(path, {"footer-metadata": _footer_metadata, "type-swap": _type_swap}[edit])
    for key in (True, False):
        code, result = _verify(filtered, capsys, key=key)
        assert code == 1 and any(p.get("shard") == "b.parquet" for p in result["problems"]), result


@pytest.mark.parametrize("edit", ["crlf", "blank-line", "trailing-newline"])
def test_jsonl_whitespace_edits_are_caught(filtered, capsys, edit):
    path = filtered / "out" / "kept" / "a.jsonl"
    data = path.read_bytes()
    data = {"crlf": lambda d: d.replace(b"\n", b"\r\n"), "blank-line": lambda d: d.replace(b"\n", b"\n\n", 1),
            "trailing-newline": lambda d: d + b"\n"}[edit](data)
    path.write_bytes(data)
    code, result = _verify(filtered, capsys)
    assert code == 1 and any(p.get("shard") == "a.jsonl" for p in result["problems"]), result


def _edit_manifest(root, change):
    path = root / "out" / "manifest.json"
    data = json.loads(path.read_text())
    change(data)
    path.write_text(json.dumps(data))


def _edit_documents(root, change):
    path = root / "out" / "manifest.documents.jsonl"
    lines = path.read_text().splitlines()
    change(lines)
    path.write_text("\n".join(lines) + "\n")


MANIFEST_EDITS = {
    "signature-string": lambda m: m.update(signature="abc"),
    "signature-list": lambda m: m.update(signature=[1, 2]),
    "signature-value-number": lambda m: m["signature"].update(value=123),
    "missing-shards": lambda m: m.pop("shards"),
    "missing-documents": lambda m: m.pop("documents"),
    "missing-shard-digest": lambda m: m["shards"][0].pop("digest"),
    "shard-not-object": lambda m: m["shards"].__setitem__(0, "a.jsonl"),
    "shards-not-list": lambda m: m.update(shards={"path": "a.jsonl"}),
    "bad-merkle-hex": lambda m: m.update(merkle_root="zz" * 32),
    "bad-shard-hex": lambda m: m["shards"][0].update(sha256="not hex"),
    "unknown-field": lambda m: m.update(extra=1),
    "unknown-shard-field": lambda m: m["shards"][0].update(extra=1),
    "unknown-fields-key": lambda m: m["fields"].update(colour="red"),
    "fields-not-object": lambda m: m.update(fields="content"),
    "documents-file-outside": lambda m: m["documents"].update(file="../../etc/passwd"),
    "documents-count-string": lambda m: m["documents"].update(count="7"),
}
DOCUMENT_EDITS = {
    "not-json": lambda lines: lines.__setitem__(0, "{broken"),
    "json-list": lambda lines: lines.__setitem__(0, "[1, 2]"),
    "missing-sha": lambda lines: lines.__setitem__(0, json.dumps({"shard": "a.jsonl", "index": 0, "id": "x"})),
    "bad-hex": lambda lines: lines.__setitem__(0, lines[0].replace('"sha256": "', '"sha256": "zz', 1)),
    "unknown-shard": lambda lines: lines.__setitem__(0, lines[0].replace('"shard": "a.jsonl"', '"shard": 5', 1)),
}


@pytest.mark.parametrize("edit", sorted(MANIFEST_EDITS))
def test_structural_manifest_edits_are_tampering(filtered, capsys, edit):
    _edit_manifest(filtered, MANIFEST_EDITS[edit])
    for key in (True, False):
        code, result = _verify(filtered, capsys, key=key)
        assert code == 1 and not result["ok"] and any(p["kind"] in ("manifest", "signature")
                                                      for p in result["problems"]), result


@pytest.mark.parametrize("edit", sorted(DOCUMENT_EDITS))
def test_structural_document_list_edits_are_tampering(filtered, capsys, edit):
    _edit_documents(filtered, DOCUMENT_EDITS[edit])
    code, result = _verify(filtered, capsys)
    assert code == 1 and any(p["kind"] == "manifest" for p in result["problems"]), result


def test_text_output_of_a_tampered_manifest_is_one_line_per_problem(filtered, capsys):
    _edit_manifest(filtered, MANIFEST_EDITS["signature-string"])
    code = main(["verify", str(filtered / "out" / "manifest.json"), str(filtered / "out"), "--key",
                 str(filtered / "secret.key")])
    out = capsys.readouterr().out
    assert code == 1 and "FAILED" in out and "signature" in out


@pytest.mark.parametrize("how", ["deleted", "folder"])
def test_a_missing_document_list_is_tampering(filtered, capsys, how):
    docs = filtered / "out" / "manifest.documents.jsonl"
    docs.unlink()
    if how == "folder":
        docs.mkdir()
    code, result = _verify(filtered, capsys)
    assert code == 1 and any(p["kind"] == "manifest" and "document list" in p["detail"] for p in result["problems"])
