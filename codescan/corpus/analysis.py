"""The analysis stage of a corpus filter on one machine: every record's parts through pipeline.analyze_all, once
(with campaigns on, the same pass yields each part's campaign units)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Iterator

from ..config import Config
from ..records import Analysis, Document, Skip
from ..rules import RuleSet
from .policy import Verdict, dedupe, finding_entry
from .clustering import PartUnits, blob_key, neutral, part_repo
from .records import Fields, block_at, documents, meta, opaque_fields
from .shards import Shard, read_rows


@dataclass(slots=True)
class Counts:
    records: int = 0
    parts: int = 0
    bytes: int = 0

    def add(self, other: "Counts") -> None:
        self.records += other.records
        self.parts += other.parts
        self.bytes += other.bytes


@dataclass(frozen=True, slots=True)
class PartInfo:
    """Where an analyzed Document came from, so its findings can be put back on the record."""

    shard: str
    index: int
    field: str
    blocks: tuple[tuple[int, int], ...]  # (first, last) body lines of the part's fenced blocks
    order: tuple[int, int, int] = (0, 0, 0)  # (shard number, row, part)
    repo: str | None = None
    blob: str = ""


def shard_documents(shard: Shard, fields: Fields, verdicts: dict, counts: Counts, infos: dict | None = None,
                    number: int = 0) -> Iterator[Document]:
    """A shard's part Documents, keyed `<shard>#<row>.<part>`; unreadable rows become verdicts on the spot."""
    for row in read_rows(shard, fields.columns()):
        counts.records += 1
        if row.record is None:
            verdicts[(shard.rel, row.index)] = Verdict(unreadable=row.error)
            continue
        opaque = opaque_fields(row.record, fields)
        if opaque:
            verdicts.setdefault((shard.rel, row.index), Verdict()).opaque.extend(opaque)
        display = meta(row.record, fields, fields.path) or shard.rel
        for n, (part, doc) in enumerate(documents(row.record, row.index, display, fields, key_prefix=shard.rel)):
            counts.parts += 1
            counts.bytes += len(part.text)
            if infos is not None:
                infos[doc.path] = PartInfo(shard.rel, row.index, part.field, part.blocks, (number, row.index, n),
                                           doc.repo, blob_key(doc.blob_sha, doc.language))
            yield doc


def record(verdicts: dict, info: PartInfo, item: Analysis | Skip) -> None:
    """Put one part's findings and skips on its record's verdict (verdicts hold only records with news)."""
    if isinstance(item, Skip):
        findings, skips = (), (item,)
    else:
        findings, skips = item.findings, item.skips
    if not findings and not skips:
        return
    verdict = verdicts.setdefault((info.shard, info.index), Verdict())
    verdict.findings.extend(finding_entry(f, info.field, block_at(info.blocks, f.line)) for f in findings)
    verdict.skips.extend(f"{info.field}: {s.reason}" for s in skips)


def finish(verdicts: dict) -> dict:
    for verdict in verdicts.values():
        verdict.findings = dedupe(verdict.findings)
        verdict.skips = sorted(set(verdict.skips))
    return verdicts


def analyze_local(shards: Iterable[Shard], fields: Fields, ruleset: RuleSet, config: Config,
                  progress: bool = False, units: bool = False) -> tuple[dict, Counts, list[PartUnits]]:
    """(verdicts by (shard, row), counts, campaign parts): streams every shard through the worker processes once.
    With units, each analyzed part also gives its campaign units (a blob's units are kept once)."""
    from ..pipeline import analyze_all

    verdicts: dict = {}
    counts = Counts()
    infos: dict[str, PartInfo] = {}  # only documents in flight are held here
    parts: list[PartUnits] = []
    seen: set[str] = set()

    def stream() -> Iterator[Document]:
        for number, shard in enumerate(shards):
            yield from shard_documents(shard, fields, verdicts, counts, infos, number)

    for item in analyze_all(stream(), ruleset, config, progress=progress, units=units):
        info = infos.pop(item.path, None)
        if info is None:
            continue
        record(verdicts, info, item)
        if units and isinstance(item, Analysis):
            fresh = info.blob not in seen
            seen.add(info.blob)
            parts.append(PartUnits(info.order, item.path, part_repo(info.repo, info.shard, info.index), info.blob,
                                   tuple(item.units) if fresh else (), neutral(item.findings) if fresh else ()))
    return finish(verdicts), counts, parts
