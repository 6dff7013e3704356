"""The keep/drop decision for one record, from its findings, campaigns and skips, always with its reasons."""
from __future__ import annotations

from dataclasses import dataclass, field

from ..errors import CodescanError
from ..records import CATEGORIES, SEVERITIES, SEVERITY_RANK

CAMPAIGN = "campaign"  # --drop-on keyword: members of a campaign
SKIPPED = "skipped"  # --drop-on keyword: records that could not be (fully) analyzed
DEFAULT_DROP_ON = ("high", CAMPAIGN)


class PolicyError(CodescanError):
    """A --drop-on value that is neither a severity, a category, a rule id nor a keyword."""


@dataclass(frozen=True, slots=True)
class Policy:
    """Drop a record on a finding at or above `severity`, in `categories` or by `rule_ids`; on campaign
    membership when `campaigns`; on an analysis skip when `skipped`."""

    severity: str | None = "high"
    categories: frozenset = frozenset()
    rule_ids: frozenset = frozenset()
    campaigns: bool = True
    skipped: bool = False

    def to_dict(self) -> dict:
        return {"severity_at_least": self.severity, "categories": sorted(self.categories),
                "rule_ids": sorted(self.rule_ids), "campaigns": self.campaigns, "skipped": self.skipped}

    def triggers(self, finding: dict) -> bool:
        if self.severity is not None and SEVERITY_RANK[finding["severity"]] >= SEVERITY_RANK[self.severity]:
            return True
        return finding["category"] in self.categories or finding["rule_id"] in self.rule_ids


def parse_drop_on(values: tuple[str, ...], rule_ids: frozenset = frozenset(), campaigns: bool = True) -> Policy:
    """`--drop-on high,backdoor,campaign`: the lowest severity named is the threshold; `none` drops nothing
    on findings. `campaigns=False` (--no-campaigns) switches campaign drops off whatever is named."""
    values = values or DEFAULT_DROP_ON
    severities, categories, ids = [], set(), set()
    wants_campaign = skipped = False
    for value in values:
        if value in SEVERITIES:
            severities.append(value)
        elif value in CATEGORIES:
            categories.add(value)
        elif value in (CAMPAIGN, "campaigns"):
            wants_campaign = True
        elif value == SKIPPED:
            skipped = True
        elif value == "none":
            continue
        elif value in rule_ids:
            ids.add(value)
        else:
            raise PolicyError(f"--drop-on {value!r}: not a severity ({', '.join(SEVERITIES)}), a category, a rule "
                              f"id, '{CAMPAIGN}', '{SKIPPED}' or 'none'")
    severity = min(severities, key=SEVERITY_RANK.__getitem__) if severities else None
    return Policy(severity, frozenset(categories), frozenset(ids), wants_campaign and campaigns, skipped)


@dataclass(slots=True)
class Verdict:
    """What analysis found in one record (only records with something to say are kept in memory)."""

    findings: list = field(default_factory=list)  # finding dicts (see finding_entry)
    skips: list = field(default_factory=list)  # reasons a part was not (fully) analyzed
    unreadable: str | None = None  # the record itself could not be parsed


@dataclass(frozen=True, slots=True)
class Decision:
    keep: bool
    reasons: tuple[dict, ...]

    def to_dict(self) -> dict:
        return {"keep": self.keep, "reasons": list(self.reasons)}


def decide(policy: Policy, verdict: Verdict | None, campaign_ids: tuple[str, ...] = ()) -> Decision:
    """Keep or drop, and every reason: the findings that triggered (or did not), campaigns, skips."""
    if verdict is not None and verdict.unreadable:
        return Decision(False, ({"kind": "unreadable", "detail": verdict.unreadable},))
    findings = verdict.findings if verdict else []
    skips = verdict.skips if verdict else []
    drops: list[dict] = []
    notes: list[dict] = []
    for f in findings:
        (drops if policy.triggers(f) else notes).append({"kind": "finding", **f})
    for cid in campaign_ids:
        (drops if policy.campaigns else notes).append({"kind": "campaign", "campaign_id": cid})
    for reason in skips:
        (drops if policy.skipped else notes).append({"kind": "skipped", "detail": reason})
    notes = [{**n, "below_policy": True} for n in notes]
    if drops:
        return Decision(False, tuple(drops + notes))
    if notes:
        return Decision(True, tuple(notes))
    return Decision(True, ({"kind": "clean"},))


def finding_entry(finding, field_name: str | None, block: int | None) -> dict:
    """A Finding as the compact dict a drop report and the Python API carry."""
    out = {"rule_id": finding.rule_id, "category": finding.category, "severity": finding.severity,
           "message": finding.message, "field": field_name, "block": block, "line": finding.line,
           "end_line": finding.end_line, "snippet": finding.snippet[:300]}
    if finding.context != "code":
        out["context"] = finding.context
    return out


def dedupe(findings: list[dict]) -> list[dict]:
    """One entry per (rule, field, line): a block's text findings are also seen in the whole field."""
    seen: dict[tuple, dict] = {}
    for f in findings:
        key = (f["rule_id"], f["field"], f["line"])
        if key not in seen or (seen[key]["block"] is None and f["block"] is not None):
            seen[key] = f
    return sorted(seen.values(), key=lambda f: (f["field"] or "", f["line"], f["rule_id"],
                                                -1 if f["block"] is None else f["block"]))
