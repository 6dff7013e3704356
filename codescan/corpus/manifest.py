"""A tamper-evident manifest of a filtered corpus: document SHA-256s, per-shard Merkle roots, one root over the
shards, the input shards' and rule set's digests and the codescan version, optionally signed."""
from __future__ import annotations

import dataclasses
import hashlib
import json
from pathlib import Path
from typing import Iterable

from .. import __version__
from ..records import SCHEMA_VERSION
from . import signing

MANIFEST = "manifest.json"
DOCUMENTS = "manifest.documents.jsonl"  # one line per kept document, in shard order then row order
KIND = "codescan-manifest"


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class Merkle:
    """RFC 6962 Merkle tree hash built leaf by leaf with O(log n) memory: leaf = H(0x00‖d), node = H(0x01‖l‖r)."""

    def __init__(self):
        self._stack: list[tuple[int, bytes]] = []  # (size of the perfect subtree, its hash)
        self.count = 0

    def add(self, data: bytes) -> None:
        node = (1, hashlib.sha256(b"\0" + data).digest())
        self.count += 1
        while self._stack and self._stack[-1][0] == node[0]:
            size, left = self._stack.pop()
            node = (size * 2, hashlib.sha256(b"\1" + left + node[1]).digest())
        self._stack.append(node)

    def root(self) -> str:
        if not self._stack:
            return hashlib.sha256(b"").hexdigest()
        acc = self._stack[-1][1]
        for _, left in reversed(self._stack[:-1]):
            acc = hashlib.sha256(b"\1" + left + acc).digest()
        return acc.hex()


def shard_leaf(summary: dict) -> bytes:
    """What a shard contributes to the corpus root: its path, document count and Merkle root."""
    return f"{summary['path']}\0{summary['documents']}\0{summary['digest']}".encode("utf-8", "surrogatepass")


def corpus_root(summaries: Iterable[dict]) -> str:
    tree = Merkle()
    for summary in summaries:
        tree.add(shard_leaf(summary))
    return tree.root()


def rules_digest(ruleset) -> str:
    """SHA-256 over every selected rule's content (not where its file lives), in id order."""
    rules = []
    for rule in sorted(ruleset.rules, key=lambda r: r.id):
        data = dataclasses.asdict(rule)
        data.pop("source", None)
        rules.append(data)
    return sha256(json.dumps(rules, sort_keys=True, separators=(",", ":"), default=str).encode("utf-8"))


class ShardDigest:
    """Accumulates one output shard's documents: their entries (written to a part file) and Merkle root."""

    def __init__(self, rel: str, fmt: str, entries_path: str):
        self.rel, self.format = rel, fmt
        self.tree = Merkle()
        Path(entries_path).parent.mkdir(parents=True, exist_ok=True)
        # errors="backslashreplace": a lone surrogate (an id from a JSON \\ud800 escape, a file name that is not
        # UTF-8) is written as the JSON escape it came from, and reads back as the same string.
        self._out = open(entries_path, "w", encoding="utf-8", errors="backslashreplace")

    def add(self, record_id: str, canonical: bytes) -> None:
        digest = hashlib.sha256(canonical).digest()
        self._out.write(json.dumps({"shard": self.rel, "index": self.tree.count, "id": record_id,
                                    "sha256": digest.hex()}, ensure_ascii=False) + "\n")
        self.tree.add(digest)

    def close(self, file_sha256: str) -> dict:
        self._out.close()
        return {"path": self.rel, "format": self.format, "documents": self.tree.count,
                "digest": self.tree.root(), "sha256": file_sha256}


def statement(manifest: dict) -> bytes:
    """The bytes a signature covers: the whole manifest except the signature, canonically encoded."""
    body = {k: v for k, v in manifest.items() if k != "signature"}
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8",
                                                                                               "backslashreplace")


def write(out_dir: str, *, shards: list[dict], part_files: list[str], inputs: list[dict], rules: str,
          policy: dict, fields: dict, kept_root: str, sign_key: str | None = None) -> dict:
    """Join the shards' entry files into DOCUMENTS and write MANIFEST (signed when a key is given)."""
    out = Path(out_dir)
    documents = out / DOCUMENTS
    digest = hashlib.sha256()
    with open(documents, "wb") as joined:
        for part in part_files:
            with open(part, "rb") as fh:
                for chunk in iter(lambda: fh.read(1 << 20), b""):
                    digest.update(chunk)
                    joined.write(chunk)
            Path(part).unlink()
    manifest = {
        "schema_version": SCHEMA_VERSION, "kind": KIND, "codescan_version": __version__,
        "rules_digest": rules, "policy": policy, "fields": fields, "root": kept_root,
        "inputs": inputs, "shards": shards, "merkle_root": corpus_root(shards),
        "documents": {"file": DOCUMENTS, "sha256": digest.hexdigest(),
                      "count": sum(s["documents"] for s in shards)},
    }
    if sign_key:
        manifest["signature"] = signing.sign(statement(manifest), sign_key)
    (out / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8",
                                errors="backslashreplace")
    return manifest
