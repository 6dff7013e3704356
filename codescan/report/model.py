"""What a report shows, gathered from a state store or from JSON files (scan, campaigns, filter drop report)."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

from ..errors import CodescanError
from ..records import Finding, Rule, TraceStep

# A member of a campaign (its dict) → the lines of the file it lives in, or None when the code is not at hand.
SourceLookup = Callable[[dict], "list[str] | None"]


class ReportInputError(CodescanError):
    """An input file the report cannot read or does not understand."""


@dataclass(frozen=True)
class ReportData:
    title: str
    findings: tuple[Finding, ...] = ()
    campaigns: tuple[dict, ...] = ()
    skips: tuple[dict, ...] = ()
    drops: tuple[dict, ...] = ()
    summary: dict = field(default_factory=dict)
    rules: dict[str, Rule] = field(default_factory=dict)
    sources: SourceLookup | None = None
    inputs: tuple[str, ...] = ()
    generated: str = field(default_factory=lambda: datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"))


_FINDING_FIELDS = ("rule_id", "category", "severity", "message", "path", "line", "end_line", "column",
                   "end_column", "snippet", "confidence", "context", "decoded", "repo", "blob", "commit",
                   "author", "date", "record")


def finding_from_dict(d: dict) -> Finding:
    """A Finding from its JSON form (the fingerprint is recomputed, so it is not read back)."""
    try:
        kwargs = {k: d[k] for k in _FINDING_FIELDS if k in d}
        kwargs["cwe"] = tuple(d.get("cwe") or ())
        kwargs["trace"] = tuple(TraceStep(int(s["line"]), str(s["message"])) for s in d.get("trace") or ())
        kwargs.setdefault("end_line", kwargs.get("line", 1))
        return Finding(**kwargs)
    except (KeyError, TypeError, ValueError) as exc:
        raise ReportInputError(f"a finding without {exc}: {str(d)[:120]}") from None


def read_json(path: str):
    """A JSON document, or JSON Lines (one object per line) as a list."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ReportInputError(f"{path}: cannot read: {exc}") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        pass
    try:
        return [json.loads(line) for line in text.splitlines() if line.strip()]
    except json.JSONDecodeError as exc:
        raise ReportInputError(f"{path}: neither JSON nor JSON Lines ({exc})") from None


def scan_input(path: str) -> tuple[list[Finding], list[dict], dict]:
    """Findings, skips and stats from `scan --format json` (or `findings --format json|jsonl`)."""
    data = read_json(path)
    if isinstance(data, list):  # JSON Lines: findings, and skips marked "skipped": true
        found = [d for d in data if isinstance(d, dict) and not d.get("skipped")]
        skips = [d for d in data if isinstance(d, dict) and d.get("skipped")]
        return [finding_from_dict(d) for d in found], skips, {}
    if not isinstance(data, dict) or "findings" not in data:
        raise ReportInputError(f"{path}: not a scan result (no 'findings')")
    return ([finding_from_dict(d) for d in data["findings"]], list(data.get("skipped") or ()),
            dict(data.get("stats") or {}))


def campaigns_input(path: str) -> list[dict]:
    """Campaign dicts from `campaigns --format json`, highest score first."""
    data = read_json(path)
    items = data.get("campaigns") if isinstance(data, dict) else data
    if not isinstance(items, list) or not all(isinstance(c, dict) for c in items):
        raise ReportInputError(f"{path}: not a campaigns file (expected {{\"campaigns\": [...]}})")
    return sorted(items, key=lambda c: -float(c.get("score") or 0))


def drops_input(path: str) -> tuple[list[dict], list[dict], dict, list[Finding]]:
    """A filter drop report: its dropped rows, the campaigns it names, its summary and the findings its rows
    (dropped, and kept below the policy) hold. A bare JSON list or JSON Lines of rows is read too."""
    data = read_json(path)
    campaigns, summary, kept = [], {}, []
    if isinstance(data, dict):
        campaigns = [c for c in data.get("campaigns") or [] if isinstance(c, dict)]
        summary = data.get("summary") if isinstance(data.get("summary"), dict) else {}
        kept = [d for d in data.get("kept_with_findings") or [] if isinstance(d, dict)]
        listed = next((data[k] for k in ("dropped", "drops", "documents") if isinstance(data.get(k), list)), None)
        if listed is None and "reasons" not in data:  # neither a drop report nor one of its rows (JSON Lines)
            raise ReportInputError(f"{path}: not a drop report (no 'dropped' list; give the filter's "
                                   "OUT/drop-report.json)")
        data = listed if listed is not None else [data]
    if not isinstance(data, list):
        raise ReportInputError(f"{path}: not a drop report (expected a list of dropped documents)")
    rows = [d for d in data if isinstance(d, dict)]
    return rows, campaigns, summary, [f for row in rows + kept for f in _row_findings(row)]


def _row_findings(row: dict) -> list[Finding]:
    """The findings behind a drop report row's reasons, placed at its record (`<id>:<field>`, line in the field)."""
    out = []
    for reason in row.get("reasons") or ():
        if not isinstance(reason, dict) or reason.get("kind") != "finding" or not reason.get("rule_id"):
            continue
        line = reason.get("line") if isinstance(reason.get("line"), int) else 1
        field = f":{reason['field']}" if reason.get("field") else ""
        block = f"#{reason['block']}" if reason.get("block") is not None else ""
        out.append(finding_from_dict({
            "rule_id": reason["rule_id"], "category": reason.get("category") or "unknown",
            "severity": reason.get("severity") or "medium", "message": reason.get("message") or "",
            "path": str(row.get("path") or row.get("shard") or ""), "line": line,
            "end_line": reason.get("end_line") if isinstance(reason.get("end_line"), int) else line,
            "snippet": reason.get("snippet") or "", "repo": row.get("repo"),
            "record": f"{row.get('id', row.get('row', '?'))}{field}{block}"}))
    return out
