"""Campaign scoring: spread over repositories and identities, introduction window, findings inside,
rarity in the corpus — each factor a number in [0, 1] and a sentence saying why."""
from __future__ import annotations

import math
from datetime import datetime, timezone

from ..records import SEVERITY_RANK

WEIGHTS = {"spread": 0.20, "identities": 0.15, "window": 0.35, "findings": 0.30}
PLANTING_DAYS = 7  # copies introduced within a week look coordinated
FULL_SPREAD = 16  # repositories at which spread counts fully
SEVERITY_WEIGHT = {"low": 0.3, "medium": 0.6, "high": 0.85, "critical": 1.0}
UNKNOWN_WINDOW = 0.4  # no dates: neither coordinated nor old
LINE_EVIDENCE = 0.85  # one shared line says less than a shared function
# At or above PLANTED a campaign looks planted: it needs copies introduced within days by distinct
# identities, or findings inside the copies. Code shared the ordinary way (vendored, idioms, boilerplate,
# old copies, no findings) stays below it: at most ~45 undated, ~35 when spread over years.
PLANTED = 50.0


def parse_date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def owner(repo: str) -> str:
    return repo.strip("/").split("/", 1)[0]


def _plural(n: int, word: str) -> str:
    if n == 1:
        return f"{n} {word}"
    return f"{n} {word[:-1]}ies" if word.endswith("y") else f"{n} {word}s"


def score(members: list[dict], findings: list, corpus_repos: int, kind: str, name: str | None,
          similarity: float | None) -> tuple[float, list[str]]:
    """(score 0-100, reasons) for a campaign's members (dicts with repo/author/date) and findings."""
    reasons: list[str] = []
    repos = {m["repo"] for m in members}
    owners = {owner(r) for r in repos}
    authors = {m["author"] for m in members if m.get("author")}
    what = {"line": "the same line", "file": "the same file", "block": "the same group of statements",
            "class": "the same class", "function": "the same function"}.get(kind, "the same code")
    if name:
        what += f" ({name})"
    how = "" if kind == "line" else (
        " as near-duplicate copies" if similarity is not None and similarity < 1.0 else " as identical copies")
    reasons.append(f"{what[0].upper()}{what[1:]} appears in {_plural(len(repos), 'repository')}{how}.")

    spread = min(1.0, math.log2(len(repos)) / math.log2(FULL_SPREAD)) if len(repos) > 1 else 0.0
    owner_share = len(owners) / len(repos)
    if authors:
        identities = (owner_share + min(1.0, len(authors) / len(repos))) / 2
        reasons.append(f"They belong to {_plural(len(owners), 'owner')} and were committed by "
                       f"{_plural(len(authors), 'distinct author')}.")
    else:
        identities = owner_share * 0.75
        reasons.append(f"They belong to {_plural(len(owners), 'owner')}; no author is known.")

    dates = sorted(d for d in (parse_date(m.get("date")) for m in members) if d is not None)
    if len(dates) >= 2:
        days = (dates[-1] - dates[0]).total_seconds() / 86400
        window = 1.0 if days <= PLANTING_DAYS else 1.0 / (1.0 + (days - PLANTING_DAYS) / 30.0)
        span = (("1 day" if round(days) <= 1 else f"{days:.0f} days") if days < 730
                else f"{days / 365.25:.1f} years")
        if days <= PLANTING_DAYS:
            reasons.append(f"All copies were introduced within {span}, as a coordinated planting would be.")
        elif days <= 90:
            reasons.append(f"Copies were introduced over {span}, a short window.")
        else:
            reasons.append(f"Copies were introduced over {span}, the way vendored or boilerplate code spreads.")
    else:
        window = UNKNOWN_WINDOW
        reasons.append("When the copies were introduced is not known.")

    if findings:
        worst = max((f.severity for f in findings), key=SEVERITY_RANK.__getitem__)
        cats = sorted({f.category for f in findings})
        found = SEVERITY_WEIGHT[worst]
        reasons.append(f"The copies hold {_plural(len(findings), 'finding')} ({', '.join(cats)}; worst {worst}).")
    else:
        found = 0.0

    share = len(repos) / corpus_repos if corpus_repos else 1.0
    rarity = 1.0 if share <= 0.2 else 1.0 - 0.7 * (share - 0.2) / 0.8
    if share > 0.2:
        reasons.append(f"It is common: {len(repos)} of {corpus_repos} repositories ({share:.0%}) hold it.")
    elif corpus_repos:
        reasons.append(f"It is rare: {len(repos)} of {corpus_repos} repositories ({share:.0%}) hold it.")

    total = (WEIGHTS["spread"] * spread + WEIGHTS["identities"] * identities + WEIGHTS["window"] * window
             + WEIGHTS["findings"] * found)
    if kind == "line":
        total *= LINE_EVIDENCE
    return round(100.0 * rarity * total, 1), reasons
