"""Gather a report's data from a crawl state and/or JSON files (scan, campaigns, filter drop report)."""
from __future__ import annotations

import sqlite3
from contextlib import closing, nullcontext
from pathlib import Path

from ..rules import load_rules
from . import sources as sources_mod
from .model import ReportData, ReportInputError, campaigns_input, drops_input, scan_input


def _from_state(path: str, want_campaigns: bool) -> tuple[list, list[dict], dict, list[dict], dict]:
    """Findings, campaigns, summary, skips of the last crawl and each repository's git dir."""
    try:
        from ..state import open_state
    except ImportError:
        raise ReportInputError("this codescan has no state store (codescan.state); report from --scan JSON") from None
    if not Path(path).is_file():
        raise ReportInputError(f"{path}: no such state file (run `codescan crawl ROOT --state {path}` first)")
    state = open_state(path, readonly=True)
    with closing(state) if hasattr(state, "close") else nullcontext():
        findings = list(state.findings())
        summary = dict(state.summary() or {})
        skips = list(state.skips()) if hasattr(state, "skips") else []
        try:
            gitdirs = dict(state.conn.execute("SELECT repo, gitdir FROM repos WHERE gitdir IS NOT NULL"))
        except sqlite3.Error:
            gitdirs = {}
        campaigns: list[dict] = []
        if want_campaigns:
            try:
                from ..cluster.api import campaigns_from_state
            except ImportError:
                campaigns = []
            else:
                campaigns = [c.to_dict() for c in campaigns_from_state(state)]
    return findings, campaigns, summary, skips, gitdirs


def _flatten(summary: dict) -> dict:
    """State summaries may nest counts ({"repos": 3, "findings": {"total": 9, ...}}); keep what tiles show."""
    out = dict(summary)
    for key in ("repos", "blobs", "refs"):
        value = out.get(key)
        if isinstance(value, (list, tuple, set)):
            out[key] = len(value)
    return out


def gather(state: str | None = None, scans=(), campaigns=(), drops=(), sources=(), title: str | None = None,
           rule_dirs=(), cluster: bool = True) -> ReportData:
    """Everything the report shows. Campaigns come from --campaigns files when given, else from the state."""
    if not state and not scans and not campaigns and not drops:
        raise ReportInputError("nothing to report: give --state, --scan, --campaigns or --drops")
    findings, skips, summary, found_campaigns, inputs, gitdirs = [], [], {}, [], [], {}
    if state:
        f, c, summary, skips, gitdirs = _from_state(state, cluster and not campaigns)
        findings += f
        found_campaigns += c
        inputs.append(state)
    for path in scans:
        f, s, stats = scan_input(path)
        findings += f
        skips += s
        if stats and not state:
            summary.setdefault("files", stats.get("files"))
        inputs.append(path)
    for path in campaigns:
        found_campaigns += campaigns_input(path)
        inputs.append(path)
    dropped = []
    for path in drops:
        rows, drop_campaigns, drop_summary, drop_findings = drops_input(path)
        dropped += rows
        findings += drop_findings  # what the dropped (and kept-but-flagged) records hold
        if not campaigns and not state:  # the campaigns the filter acted on, unless given separately
            found_campaigns += drop_campaigns
        for key in ("records", "kept", "shards"):
            if key in drop_summary:
                summary.setdefault(key, drop_summary[key])
        inputs.append(path)
    found_campaigns = _with_drop_counts(found_campaigns, dropped)
    found_campaigns.sort(key=lambda c: -float(c.get("score") or 0))
    blobs = {(f.repo, f.path, f.commit): f.blob for f in findings if f.blob}
    ruleset = load_rules(tuple(rule_dirs))
    return ReportData(
        title=title or "codescan report",
        findings=tuple(findings),
        campaigns=tuple(found_campaigns),
        skips=tuple(skips),
        drops=tuple(dropped),
        summary=_flatten(summary),
        rules=ruleset.by_id(),
        sources=sources_mod.lookup(tuple(sources), blobs, gitdirs),
        inputs=tuple(inputs),
    )


def _with_drop_counts(campaigns: list[dict], dropped: list[dict]) -> list[dict]:
    """Each campaign that caused drops gains `dropped_records`: how many dropped rows name it."""
    if not dropped:
        return campaigns
    counts: dict[str, int] = {}
    for row in dropped:
        for cid in row.get("campaigns") or ():
            counts[str(cid)] = counts.get(str(cid), 0) + 1
    return [{**c, "dropped_records": counts[str(c.get("id"))]} if str(c.get("id")) in counts else c
            for c in campaigns]
