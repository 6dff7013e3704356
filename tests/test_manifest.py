"""The manifest: `codescan verify` passes an untouched output and names every changed, added, removed or
reordered document, edited manifest and bad signature."""
import json
import shutil

import pytest

from codescan.cli import main
from codescan.corpus.manifest import Merkle
from corpus_data import code_records, signed_filter_output, write_shard


@pytest.fixture()
def filtered(tmp_path):
    return signed_filter_output(tmp_path)


def _verify(root, capsys, *extra):
    code = main(["verify", str(root / "out" / "manifest.json"), str(root / "out" / "kept"), "--format", "json",
                 *extra])
    return code, json.loads(capsys.readouterr().out)


def test_untouched_output_verifies_with_its_key(filtered, capsys):
    code, result = _verify(filtered, capsys, "--key", str(filtered / "secret.key"))
    assert code == 0 and result["ok"] and result["signature"] == "valid"
    manifest = json.loads((filtered / "out" / "manifest.json").read_text())
    assert manifest["inputs"][0]["path"] == "a.jsonl" and len(manifest["inputs"][0]["sha256"]) == 64
    assert len(manifest["rules_digest"]) == 64 and manifest["codescan_version"]


def _lines(path):
    return path.read_text().splitlines()


def test_changed_added_removed_reordered_are_named(filtered, capsys):
    shard = filtered / "out" / "kept" / "a.jsonl"
    lines = _lines(shard)
    original = list(lines)
    lines[0] = lines[0].replace("\"content\": \"", "\"content\": \"// edited\\n", 1)  # changed
    lines[1], lines[2] = lines[2], lines[1]  # reordered
    del lines[3]  # removed
    lines.append(json.dumps({"id": "intruder", "content": "x = 1"}))  # added
    shard.write_text("\n".join(lines) + "\n")
    code, result = _verify(filtered, capsys)
    kinds = {(p["kind"], p.get("id")) for p in result["problems"]}
    ids = [json.loads(x)["id"] for x in original]
    assert code == 1
    assert ("changed", ids[0]) in kinds
    assert ("removed", ids[3]) in kinds
    assert ("added", "intruder") in kinds
    assert any(k == "reordered" for k, _ in kinds)


def test_shard_added_or_removed_and_manifest_edits(filtered, capsys):
    kept = filtered / "out" / "kept"
    shutil.copy(kept / "a.jsonl", kept / "extra.jsonl")
    (kept / "b.parquet").unlink()
    code, result = _verify(filtered, capsys)
    kinds = {p["kind"] for p in result["problems"]}
    assert code == 1 and {"shard-added", "shard-removed"} <= kinds
    docs = filtered / "out" / "manifest.documents.jsonl"
    docs.write_text(docs.read_text().replace('"index": 0', '"index": 9', 1))
    code, result = _verify(filtered, capsys)
    assert any(p["kind"] == "manifest" for p in result["problems"])


def test_signature_fails_with_wrong_key_or_edited_manifest(filtered, capsys):
    wrong = filtered / "wrong.key"
    wrong.write_text("nope")
    code, result = _verify(filtered, capsys, "--key", str(wrong))
    assert code == 1 and result["signature"] == "invalid"
    path = filtered / "out" / "manifest.json"
    manifest = json.loads(path.read_text())
    manifest["policy"]["severity_at_least"] = "critical"
    path.write_text(json.dumps(manifest))
    code, result = _verify(filtered, capsys, "--key", str(filtered / "secret.key"))
    assert code == 1 and result["signature"] == "invalid"


def test_ed25519_signature_round_trip(tmp_path, capsys):
    serialization = pytest.importorskip("cryptography.hazmat.primitives.serialization")
    from cryptography.hazmat.primitives.asymmetric import ed25519

    key = ed25519.Ed25519PrivateKey.generate()
    (tmp_path / "k.pem").write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                                       serialization.NoEncryption()))
    (tmp_path / "k.pub").write_bytes(key.public_key().public_bytes(serialization.Encoding.PEM,
                                                                   serialization.PublicFormat.SubjectPublicKeyInfo))
    write_shard(tmp_path / "in" / "a.jsonl.zst", code_records(2))
    assert main(["filter", str(tmp_path / "in"), "-o", str(tmp_path / "out"), "--no-campaigns", "-j", "1",
                 "--no-progress", "--sign-key", str(tmp_path / "k.pem")]) == 0
    code, result = _verify(tmp_path, capsys, "--key", str(tmp_path / "k.pub"))
    assert code == 0 and result["signature"] == "valid"
    other = ed25519.Ed25519PrivateKey.generate().public_key()
    (tmp_path / "o.pub").write_bytes(other.public_bytes(serialization.Encoding.PEM,
                                                        serialization.PublicFormat.SubjectPublicKeyInfo))
    code, result = _verify(tmp_path, capsys, "--key", str(tmp_path / "o.pub"))
    assert code == 1 and result["signature"] == "invalid"


def test_merkle_root_matches_rfc6962_shape():
    import hashlib

    leaf = lambda d: hashlib.sha256(b"\0" + d).digest()  # noqa: E731
    node = lambda a, b: hashlib.sha256(b"\1" + a + b).digest()  # noqa: E731
    tree = Merkle()
    for d in (b"a", b"b", b"c"):
        tree.add(d)
    assert tree.root() == node(node(leaf(b"a"), leaf(b"b")), leaf(b"c")).hex()
    assert Merkle().root() == hashlib.sha256(b"").hexdigest()
