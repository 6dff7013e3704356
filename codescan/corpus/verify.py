"""Check a filtered corpus against its manifest: which documents changed, were added, removed or reordered."""
from __future__ import annotations

import difflib
import hashlib
import json
from collections import Counter
from dataclasses import dataclass, field
from itertools import groupby
from pathlib import Path

from ..errors import CodescanError
from . import manifest as manifest_mod
from . import signing
from .records import Fields, record_id
from .output import INCOMPLETE
from .manifest_schema import manifest_problems, parse_entries
from .shards import Shard, ShardError, file_sha256, read_rows, shard_format


@dataclass(frozen=True, slots=True)
class Problem:
    kind: str  # changed | added | removed | reordered | shard-added | shard-removed | manifest | signature
    shard: str | None
    detail: str
    index: int | None = None
    id: str | None = None

    def to_dict(self) -> dict:
        return {k: v for k, v in (("kind", self.kind), ("shard", self.shard), ("index", self.index),
                                  ("id", self.id), ("detail", self.detail)) if v is not None}

    def line(self) -> str:
        where = self.shard or "manifest"
        doc = f" document {self.index}" if self.index is not None else ""
        ident = f" (id {self.id})" if self.id is not None else ""
        return f"{self.kind}: {where}{doc}{ident}: {self.detail}"


@dataclass(slots=True)
class Outcome:
    problems: list = field(default_factory=list)
    documents: int = 0
    shards: int = 0
    signature: str = "unsigned"  # unsigned | valid | invalid | not checked

    @property
    def ok(self) -> bool:
        return not self.problems

    def to_dict(self) -> dict:
        return {"ok": self.ok, "documents": self.documents, "shards": self.shards, "signature": self.signature,
                "problems": [p.to_dict() for p in self.problems]}


def load(path: str) -> dict:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise CodescanError(f"{path}: cannot read manifest: {exc.strerror or exc}") from None
    except (ValueError, RecursionError) as exc:
        raise CodescanError(f"{path}: not a JSON manifest: {exc}") from None
    if not isinstance(data, dict) or not (data.get("kind") == manifest_mod.KIND or "merkle_root" in data):
        raise CodescanError(f"{path}: not a codescan manifest (kind {manifest_mod.KIND!r})")
    return data


def verify(manifest_path: str, root: str, key: str | None = None) -> Outcome:
    data = load(manifest_path)
    base = Path(root)
    if not base.is_dir():
        raise CodescanError(f"{root}: no such folder")
    broken = manifest_problems(data)
    if (Path(manifest_path).parent / INCOMPLETE).exists():
        broken.insert(0, "the filter run writing this folder did not finish (it is marked incomplete); run it again")
    if data.get("kind") != manifest_mod.KIND:
        broken.insert(0, f"kind is not {manifest_mod.KIND!r}")
    shards = data.get("shards") if isinstance(data.get("shards"), list) else []
    outcome = Outcome(shards=len(shards))
    _check_signature(data, key, outcome)
    if broken:  # an edited manifest: nothing in it can be relied on to check the shards against
        outcome.problems.extend(Problem("manifest", None, f"edited manifest: {why}") for why in broken)
        return outcome
    expected = _expected(Path(manifest_path).parent, data, outcome)
    fields = Fields(**data["fields"])
    listed = set()
    for shard in shards:
        rel = shard["path"]
        listed.add(rel)
        entries = expected.get(rel, [])
        outcome.documents += len(entries)
        path = base / rel
        if not path.is_file():
            outcome.problems.append(Problem("shard-removed", rel, f"shard missing; its {len(entries)} documents "
                                            "are removed"))
            continue
        actual = _actual(Shard(str(path), rel, shard["format"]), fields, outcome)
        found = compare(rel, entries, actual) if actual is not None else []
        outcome.problems.extend(found)
        if actual is not None and not found and file_sha256(str(path)) != shard["sha256"]:
            outcome.problems.append(Problem("changed", rel, "file bytes differ from the manifest's SHA-256 (same "
                                            "documents: metadata, column types, line ends or whitespace edited)"))
    for path in sorted(base.rglob("*")):
        rel = path.relative_to(base).as_posix()
        if path.is_file() and shard_format(path) and rel not in listed:
            outcome.problems.append(Problem("shard-added", rel, "shard not in the manifest"))
    return outcome


def _check_signature(data: dict, key: str | None, outcome: Outcome) -> None:
    signature = data.get("signature")
    if signature is None:
        outcome.signature = "unsigned"
        if key:
            outcome.problems.append(Problem("signature", None, "a key was given but the manifest is not signed"))
        return
    if not key:
        outcome.signature = "not checked"
        return
    if not isinstance(signature, dict) or not all(isinstance(signature.get(k), str) for k in ("algorithm", "value")):
        error = "the signature is not an object with a string algorithm and value"
    else:
        error = signing.check(manifest_mod.statement(data), signature, key)
    outcome.signature = "valid" if error is None else "invalid"
    if error:
        outcome.problems.append(Problem("signature", None, error))


def _expected(folder: Path, data: dict, outcome: Outcome) -> dict[str, list[dict]]:
    """The manifest's document entries by shard, after checking they still hash to the recorded digests."""
    docs = data["documents"]
    path = folder / docs["file"]
    try:
        raw = path.read_bytes()
    except OSError as exc:  # removed or replaced: every document is unaccounted for
        outcome.problems.append(Problem("manifest", None, f"cannot read the manifest's document list {path.name}: "
                                        f"{exc.strerror or exc}"))
        raw = b""
    if hashlib.sha256(raw).hexdigest() != docs["sha256"]:
        outcome.problems.append(Problem("manifest", None, f"{path.name} does not match the digest in the manifest"))
    entries, bad_lines = parse_entries(raw, path.name)
    outcome.problems.extend(Problem("manifest", None, f"edited document list: {why}") for why in bad_lines)
    grouped: dict[str, list[dict]] = {}
    for rel, group in groupby(entries, key=lambda e: e["shard"]):
        grouped.setdefault(rel, []).extend(group)
    for shard in data["shards"]:
        tree = manifest_mod.Merkle()
        for entry in grouped.get(shard["path"], ()):
            tree.add(bytes.fromhex(entry["sha256"]))
        if tree.root() != shard["digest"] or tree.count != shard["documents"]:
            outcome.problems.append(Problem("manifest", shard["path"], "the document list does not hash to the "
                                            "shard's recorded digest"))
    if manifest_mod.corpus_root(data["shards"]) != data["merkle_root"]:
        outcome.problems.append(Problem("manifest", None, "the shards do not hash to the recorded Merkle root"))
    if sum(s["documents"] for s in data["shards"]) != docs["count"]:
        outcome.problems.append(Problem("manifest", None, "the document count does not match the shards"))
    return grouped


def _actual(shard: Shard, fields: Fields, outcome: Outcome) -> list[tuple[str, str]] | None:
    try:
        return [(hashlib.sha256(row.canonical()).hexdigest(),
                 record_id(row.record, row.index, fields) if row.record is not None else str(row.index))
                for row in read_rows(shard)]
    except ShardError as exc:
        outcome.problems.append(Problem("changed", shard.rel, f"shard cannot be read: {exc}"))
        return None


def compare(rel: str, expected: list[dict], actual: list[tuple[str, str]]) -> list[Problem]:
    """Align the recorded and the present documents of one shard and name each difference."""
    want = [e["sha256"] for e in expected]
    have = [sha for sha, _ in actual]
    if want == have:
        return []
    problems: list[Problem] = []
    removed: list[int] = []
    added: list[int] = []
    matcher = difflib.SequenceMatcher(None, want, have, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "replace":
            pairs = min(i2 - i1, j2 - j1)
            for k in range(pairs):
                if want[i1 + k] not in have and have[j1 + k] not in want:
                    problems.append(Problem("changed", rel, "content differs from the manifest", i1 + k,
                                            expected[i1 + k]["id"]))
                else:
                    removed.append(i1 + k)
                    added.append(j1 + k)
            removed.extend(range(i1 + pairs, i2))
            added.extend(range(j1 + pairs, j2))
        elif tag == "delete":
            removed.extend(range(i1, i2))
        elif tag == "insert":
            added.extend(range(j1, j2))
    spare = Counter(have[j] for j in added)
    for i in removed:
        sha = want[i]
        if spare[sha] > 0:
            spare[sha] -= 1
            new = next(j for j in added if have[j] == sha)
            added.remove(new)
            problems.append(Problem("reordered", rel, f"moved from position {i} to {new}", i, expected[i]["id"]))
            continue
        same_id = next((j for j in added if actual[j][1] == expected[i]["id"] and have[j] not in want), None)
        if same_id is not None:
            added.remove(same_id)
            moved = f", and moved to position {same_id}" if same_id != i else ""
            problems.append(Problem("changed", rel, f"content differs from the manifest{moved}", i,
                                    expected[i]["id"]))
        else:
            problems.append(Problem("removed", rel, "document missing", i, expected[i]["id"]))
    for j in added:
        problems.append(Problem("added", rel, "document not in the manifest", j, actual[j][1]))
    return sorted(problems, key=lambda p: (p.index if p.index is not None else -1, p.kind))
