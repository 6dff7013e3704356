"""The campaign stage of a corpus filter: campaigns from the analysis pass's units, and each record's
campaign reasons under the policy (which campaigns look planted)."""
from __future__ import annotations

from collections import defaultdict

from .clustering import local_campaigns
from .policy import Policy


def parse_key(path: str) -> tuple[str, int] | None:
    """`<shard>#<row>.<part>` (a part Document's path) → (shard, row); None for any other path."""
    shard, sep, rest = path.rpartition("#")
    row, dot, part = rest.partition(".")
    if not sep or not dot or not row.isdigit() or not part.isdigit():
        return None
    return shard, int(row)


def corpus_campaigns(parts, policy: Policy) -> tuple[list[dict], dict]:
    """The local engine: cluster the parts in this process."""
    return membership(local_campaigns(parts), policy)


def membership(found, policy: Policy) -> tuple[list[dict], dict]:
    """Campaign dicts (members naming their shard and row; `drops` and `why` from the policy) and each record's
    campaign reasons, sorted by campaign id."""
    dicts: list[dict] = []
    members: dict[tuple[str, int], dict] = defaultdict(dict)
    for campaign in found:
        data = campaign.to_dict() if hasattr(campaign, "to_dict") else dict(campaign)
        planted, why = policy.campaign_verdict(data)
        data["drops"], data["why"] = planted, why
        reason = {"kind": "campaign", "campaign_id": data["id"], "score": data.get("score"), "planted": planted,
                  "why": why}
        for member in data.get("members", ()):
            key = parse_key(member.get("path") or "")
            if key is None:
                continue
            member["shard"], member["row"] = key
            members[key][data["id"]] = reason
        dicts.append(data)
    return dicts, {key: tuple(by_id[c] for c in sorted(by_id)) for key, by_id in members.items()}
