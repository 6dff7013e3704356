"""The write stage of a corpus filter: one input shard → its kept shard (and dropped shard), decisions, digests."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .manifest import ShardDigest
from .policy import Decision, Policy, Verdict, decide
from .records import Fields, meta, record_id
from .shards import Shard, ShardWriter, file_sha256, read_rows

KEPT, DROPPED, PARTS = "kept", "dropped", ".manifest-parts"


@dataclass(slots=True)
class ShardOutcome:
    """What writing one shard produced: the manifest summary, its entry file, the drop-report entries."""

    summary: dict
    entries_file: str
    dropped: list = field(default_factory=list)
    kept_flagged: list = field(default_factory=list)
    input: dict = field(default_factory=dict)
    records: int = 0
    kept: int = 0


def report_entry(shard: Shard, index: int, record: dict | None, fields: Fields, decision: Decision) -> dict:
    """A record's line in the drop report: who it is, where it was, and why it went (or stayed)."""
    reasons = list(decision.reasons)
    entry = {"id": record_id(record, index, fields) if record is not None else str(index), "shard": shard.rel,
             "row": index}
    if record is not None:
        for name, key in (("path", fields.path), ("repo", fields.repo)):
            value = meta(record, fields, key)
            if value:
                entry[name] = value
    findings = [r for r in reasons if r["kind"] == "finding"]
    entry["rule_ids"] = sorted({r["rule_id"] for r in findings})
    entry["categories"] = sorted({r["category"] for r in findings})
    entry["campaigns"] = sorted({r["campaign_id"] for r in reasons if r["kind"] == "campaign"})
    entry["reasons"] = reasons
    return entry


def write_shard(shard: Shard, out_dir: str, number: int, fields: Fields, policy: Policy, verdicts: dict,
                campaigns: dict, write_dropped: bool) -> ShardOutcome:
    """Stream one shard: decide each record, write it to kept/ or dropped/, digest what is kept.

    verdicts and campaigns are keyed by row index and hold only the records analysis had news about."""
    out = Path(out_dir)
    digest = ShardDigest(shard.rel, shard.format, str(out / PARTS / f"{number:06d}.jsonl"))
    kept_path = out / KEPT / shard.rel
    outcome = ShardOutcome(summary={}, entries_file=str(out / PARTS / f"{number:06d}.jsonl"))
    dropped_writer = ShardWriter(shard, str(out / DROPPED / shard.rel)) if write_dropped else None
    try:
        with ShardWriter(shard, str(kept_path)) as kept:
            for row in read_rows(shard):
                outcome.records += 1
                verdict: Verdict | None = verdicts.get(row.index)
                decision = decide(policy, verdict, campaigns.get(row.index, ()))
                if decision.keep:
                    kept.write(row)
                    outcome.kept += 1
                    digest.add(record_id(row.record, row.index, fields), row.canonical())
                    if any(r["kind"] not in ("clean", "campaign") for r in decision.reasons):
                        outcome.kept_flagged.append(report_entry(shard, row.index, row.record, fields, decision))
                else:
                    outcome.dropped.append(report_entry(shard, row.index, row.record, fields, decision))
                    if dropped_writer is not None:
                        dropped_writer.write(row)
    finally:
        if dropped_writer is not None:
            dropped_writer.close()
    outcome.summary = digest.close(file_sha256(str(kept_path)))
    outcome.input = {"path": shard.rel, "format": shard.format, "sha256": file_sha256(shard.path),
                     "bytes": Path(shard.path).stat().st_size}
    return outcome
