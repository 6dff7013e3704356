"""The keep/drop decision for one record, from its findings, campaigns and skips, always with its reasons."""
from __future__ import annotations

from dataclasses import dataclass, field

from ..cluster.score import PLANTED
from ..errors import CodescanError
from ..records import CATEGORIES, SEVERITIES, SEVERITY_RANK

CAMPAIGN = "campaign"  # --drop-on keyword: members of a campaign
SKIPPED = "skipped"  # --drop-on keyword: records that could not be (fully) analyzed (opaque ones included)
OPAQUE = "opaque"  # --drop-on keyword: records holding binary data that is not text where code is read
DEFAULT_DROP_ON = ("high", CAMPAIGN, OPAQUE)
# A campaign drops its members when its score reaches this (the clustering's own "looks planted" mark), or when
# its copies hold a finding the policy drops on. Measured (bench/filter_clean.py): shared, vendored and
# boilerplate code in 20 clean packages scores at most 43 (a corpus has no dates or authors, so the introduction
# window counts as unknown); copies planted within days, or holding serious findings, score 50 and more.
CAMPAIGN_MIN_SCORE = PLANTED
# A finding drops a whole campaign only when at least this share of its copies hold it: planted copies carry the
# payload (a variant that slips past the rules goes with them), while one altered copy of widely shared code must
# not take every clean copy down (it is dropped for its own finding).
CAMPAIGN_FINDING_SHARE = 0.5


class PolicyError(CodescanError):
    """A --drop-on value that is neither a severity, a category, a rule id nor a keyword."""


@dataclass(frozen=True, slots=True)
class Policy:
    """Drop a record on a finding at or above `severity`, in `categories` or by `rule_ids`; as a member of a
    campaign that looks planted when `campaigns` (see campaign_verdict); on an analysis skip when `skipped`; on
    binary data that is not text in a field codescan reads (nothing could be analyzed there) when `opaque`."""

    severity: str | None = "high"
    categories: frozenset = frozenset()
    rule_ids: frozenset = frozenset()
    campaigns: bool = True
    skipped: bool = False
    campaign_min_score: float = CAMPAIGN_MIN_SCORE
    opaque: bool = True

    def to_dict(self) -> dict:
        return {"severity_at_least": self.severity, "categories": sorted(self.categories),
                "rule_ids": sorted(self.rule_ids), "campaigns": self.campaigns,
                "campaign_min_score": self.campaign_min_score, "skipped": self.skipped, "opaque": self.opaque}

    def campaign_verdict(self, campaign: dict) -> tuple[bool, str]:
        """(looks planted, why) for a campaign dict: at least half its copies hold a finding this policy drops on,
        or its score reaches campaign_min_score. Shared, vendored or boilerplate code is not a reason to drop."""
        found = [f for f in campaign.get("findings", ()) if self.triggers(f)]
        hits = sorted({(f["rule_id"], f["severity"]) for f in found})
        holders = {(f.get("repo"), f.get("path")) for f in found}
        members = len(campaign.get("members", ())) or 1
        if hits and len(holders) / members >= CAMPAIGN_FINDING_SHARE:
            named = ", ".join(f"{rule} ({severity})" for rule, severity in hits[:3])
            return True, f"{len(holders)} of its {members} copies hold {named}, which the policy drops on"
        score = float(campaign.get("score") or 0.0)
        if score >= self.campaign_min_score:
            return True, f"score {score:g} reaches {self.campaign_min_score:g}"
        return False, f"score {score:g} is below {self.campaign_min_score:g} and fewer than half its copies hold a " \
                      "finding the policy drops on (shared or vendored code)"

    def triggers(self, finding: dict) -> bool:
        if self.severity is not None and SEVERITY_RANK[finding["severity"]] >= SEVERITY_RANK[self.severity]:
            return True
        return finding["category"] in self.categories or finding["rule_id"] in self.rule_ids


def parse_drop_on(values: tuple[str, ...], rule_ids: frozenset = frozenset(), campaigns: bool = True,
                  campaign_min_score: float = CAMPAIGN_MIN_SCORE) -> Policy:
    """`--drop-on high,backdoor,campaign`: the lowest severity named is the threshold; `none` drops nothing
    on findings. `campaigns=False` (--no-campaigns) switches campaign drops off whatever is named."""
    values = values or DEFAULT_DROP_ON
    severities, categories, ids = [], set(), set()
    wants_campaign = skipped = opaque = False
    for value in values:
        if value in SEVERITIES:
            severities.append(value)
        elif value in CATEGORIES:
            categories.add(value)
        elif value in (CAMPAIGN, "campaigns"):
            wants_campaign = True
        elif value == SKIPPED:
            skipped = opaque = True
        elif value == OPAQUE:
            opaque = True
        elif value == "none":
            continue
        elif value in rule_ids:
            ids.add(value)
        else:
            raise PolicyError(f"--drop-on {value!r}: not a severity ({', '.join(SEVERITIES)}), a category, a rule "
                              f"id, '{CAMPAIGN}', '{SKIPPED}', '{OPAQUE}' or 'none'")
    severity = min(severities, key=SEVERITY_RANK.__getitem__) if severities else None
    return Policy(severity, frozenset(categories), frozenset(ids), wants_campaign and campaigns, skipped,
                  float(campaign_min_score), opaque)


@dataclass(slots=True)
class Verdict:
    """What analysis found in one record (only records with something to say are kept in memory)."""

    findings: list = field(default_factory=list)  # finding dicts (see finding_entry)
    skips: list = field(default_factory=list)  # reasons a part was not (fully) analyzed
    unreadable: str | None = None  # the record itself could not be parsed
    opaque: list = field(default_factory=list)  # places holding binary data that is not text (see records.py)


@dataclass(frozen=True, slots=True)
class Decision:
    keep: bool
    reasons: tuple[dict, ...]

    def to_dict(self) -> dict:
        return {"keep": self.keep, "reasons": list(self.reasons)}


def decide(policy: Policy, verdict: Verdict | None, campaigns: tuple[dict, ...] = ()) -> Decision:
    """Keep or drop, and every reason: the findings that triggered (or did not), campaigns, skips.

    campaigns: the record's campaign reasons {"kind": "campaign", "campaign_id", "score", "planted", "why"}."""
    if verdict is not None and verdict.unreadable:
        return Decision(False, ({"kind": "unreadable", "detail": verdict.unreadable},))
    findings = verdict.findings if verdict else []
    skips = verdict.skips if verdict else []
    drops: list[dict] = []
    notes: list[dict] = []
    for f in findings:
        (drops if policy.triggers(f) else notes).append({"kind": "finding", **f})
    for entry in campaigns:
        reason = {k: v for k, v in entry.items() if k != "planted"}
        (drops if policy.campaigns and entry["planted"] else notes).append(reason)
    for reason in verdict.opaque if verdict else ():
        (drops if policy.opaque else notes).append({"kind": "opaque", "detail": reason})
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
