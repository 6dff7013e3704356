"""A corpus filter run: shards → analysis → campaigns → kept/dropped shards, drop report, manifest (any engine)."""
from __future__ import annotations

import json
import shutil
import time
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, replace
from pathlib import Path

from ..config import Config
from ..errors import CodescanError
from ..records import SCHEMA_VERSION
from ..rules import RuleSet
from . import manifest as manifest_mod
from .fields_check import check_fields
from .policy import Policy
from .records import Fields
from .output import INCOMPLETE, REPORT, STATS, finish, prepare_output, unfinished  # noqa: F401
from .shards import Shard, discover
from .write import DROPPED, KEPT, PARTS, ShardOutcome, write_shard

REPORT_KIND = "codescan-filter-report"


@dataclass(frozen=True, slots=True)
class FilterJob:
    inputs: tuple[str, ...]
    output: str
    fields: Fields = Fields()
    policy: Policy = Policy()
    campaigns: bool = True
    write_dropped: bool = False
    sign_key: str | None = None
    engine: str = "local"
    progress: bool = False


class LocalEngine:
    """The stages on this machine: one analysis pass in worker processes (findings and, with campaigns on, campaign
    units), clustering in this process, then shards written one after another."""

    name = "local"

    def analyze(self, shards, fields, ruleset, config, progress, units):
        from .analysis import analyze_local

        return analyze_local(shards, fields, ruleset, config, progress, units)

    def campaigns(self, parts, policy):
        from . import campaigns

        return campaigns.corpus_campaigns(parts, policy)

    def write(self, shards, out, fields, policy, verdicts, members, write_dropped) -> list[ShardOutcome]:
        return [write_shard(s, out, n, fields, policy, verdicts.get(s.rel, {}), members.get(s.rel, {}), write_dropped)
                for n, s in enumerate(shards)]


def engine_for(name: str):
    if name == "local":
        return LocalEngine()
    if name == "ray":
        from .ray_engine import RayEngine

        return RayEngine()
    raise CodescanError(f"unknown engine {name!r} (local or ray)")


def by_shard(keyed: dict) -> dict:
    split: dict = defaultdict(dict)
    for (rel, index), value in keyed.items():
        split[rel][index] = value
    return split


def run(job: FilterJob, ruleset: RuleSet, config: Config) -> dict:
    """Run the filter; returns the drop report's summary plus timings."""
    shards = discover(job.inputs)
    check_fields(shards, job.fields)
    if not job.campaigns and job.policy.campaigns:
        job = replace(job, policy=replace(job.policy, campaigns=False))
    out = prepare_output(job.output, shards, job.inputs)
    try:
        summary = _stages(job, shards, out, ruleset, config)
    except OSError as exc:  # a full disk, a folder made read-only meanwhile: the folder stays marked incomplete
        raise CodescanError(f"--output {job.output}: cannot write: {exc.strerror or exc}") from None
    finish(out)
    return summary


def _stages(job: FilterJob, shards: list[Shard], out: Path, ruleset: RuleSet, config: Config) -> dict:
    engine = engine_for(job.engine)
    t0 = time.monotonic()
    verdicts, counts, parts = engine.analyze(shards, job.fields, ruleset, config, job.progress, job.campaigns)
    t1 = time.monotonic()
    campaigns, members = engine.campaigns(parts, job.policy) if job.campaigns else ([], {})
    del parts
    t2 = time.monotonic()
    outcomes = engine.write(shards, str(out), job.fields, job.policy, by_shard(verdicts), by_shard(members),
                            job.write_dropped)
    t3 = time.monotonic()
    manifest_mod.write(str(out), shards=[o.summary for o in outcomes], part_files=[o.entries_file for o in outcomes],
                       inputs=[o.input for o in outcomes], rules=manifest_mod.rules_digest(ruleset),
                       policy=job.policy.to_dict(), fields=asdict(job.fields), kept_root=KEPT,
                       sign_key=job.sign_key)
    shutil.rmtree(out / PARTS, ignore_errors=True)
    report = build_report(job, outcomes, campaigns)
    (out / REPORT).write_text(json.dumps(report, indent=1, ensure_ascii=False) + "\n", encoding="utf-8",
                              errors="backslashreplace")  # a lone surrogate stays the JSON escape it came from
    seconds = t3 - t0
    stats = {"engine": engine.name, "records": counts.records, "parts": counts.parts, "bytes": counts.bytes,
             "seconds": {"analyze": round(t1 - t0, 3), "campaigns": round(t2 - t1, 3), "write": round(t3 - t2, 3),
                         "total": round(seconds, 3)},
             "docs_per_s": round(counts.records / seconds, 1) if seconds else None,
             "mb_per_s": round(counts.bytes / 1e6 / seconds, 3) if seconds else None}
    (out / STATS).write_text(json.dumps(stats, indent=1) + "\n", encoding="utf-8")
    return {**report["summary"], "stats": stats, "output": str(out)}


def build_report(job: FilterJob, outcomes: list[ShardOutcome], campaigns: list[dict]) -> dict:
    """The drop report: the same bytes from every engine for the same input and policy."""
    dropped = [entry for o in outcomes for entry in o.dropped]
    planted = sum(1 for c in campaigns if c.get("drops"))
    kept_flagged = [entry for o in outcomes for entry in o.kept_flagged]
    by_rule: Counter = Counter()
    by_category: Counter = Counter()
    by_kind: Counter = Counter()
    for entry in dropped:
        by_rule.update(r["rule_id"] for r in entry["reasons"] if r["kind"] == "finding" and not r.get("below_policy"))
        by_category.update({r["category"] for r in entry["reasons"] if r["kind"] == "finding"
                            and not r.get("below_policy")})
        by_kind.update({r["kind"] for r in entry["reasons"] if not r.get("below_policy")})
    summary = {"shards": len(outcomes), "records": sum(o.records for o in outcomes),
               "kept": sum(o.kept for o in outcomes), "dropped": len(dropped),
               "kept_with_findings": len(kept_flagged), "campaigns": len(campaigns),
               "campaigns_dropped": planted if job.policy.campaigns else 0,
               "dropped_by_reason": dict(sorted(by_kind.items())),
               "dropped_by_rule": dict(sorted(by_rule.items())),
               "dropped_by_category": dict(sorted(by_category.items()))}
    return {"schema_version": SCHEMA_VERSION, "kind": REPORT_KIND, "policy": job.policy.to_dict(),
            "fields": asdict(job.fields), "summary": summary, "dropped": dropped,
            "kept_with_findings": kept_flagged, "campaigns": campaigns}
