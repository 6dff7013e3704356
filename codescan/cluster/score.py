"""Campaign scoring: spread over repositories, coordination (distinct identities introducing the copies
within days), findings inside the copies, rarity in the corpus — each a number in [0, 1] and a sentence."""
from __future__ import annotations

import math
from datetime import datetime, timezone

from ..records import SEVERITY_RANK

WEIGHTS = {"spread": 0.15, "identities": 0.10, "coordination": 0.30, "findings": 0.45}
PLANTING_DAYS = 7  # copies introduced within a week look coordinated
FULL_SPREAD = 8  # repositories at which spread counts fully
FULL_FLAGGED = 3  # repositories whose copies carry findings at which the findings count fully
SEVERITY_WEIGHT = {"low": 0.3, "medium": 0.6, "high": 0.85, "critical": 1.0}
UNKNOWN_WINDOW = 0.4  # no dates: neither coordinated nor old
BURST_MIN = 3  # introductions within PLANTING_DAYS that make a wave when other copies are older or newer
BURST_WINDOW = 0.8  # a wave that holds at least half of the introductions, or waves that hold them all
WAVE_MIN = 2  # introductions per wave when every copy arrived in one
ONE_INTRODUCTION = 0.15  # every copy comes from one commit (a fork, a mirror): spread, not planted
# Findings count fully in copies introduced within days; less when nothing says when; little in code
# that spread over years or in one commit (vendored or forked code that happens to hold a finding).
FINDINGS_GATE = {"coordinated": 1.0, "unknown": 0.7, "spread": 0.35}
RARE_CORPUS = 20  # below this many repositories "how many hold it" says nothing about rarity
LINE_EVIDENCE = 0.85  # one shared line says less than a shared function
# ... but a URL or a sentence of SENTENCE_WORDS (10)+ words (textmarks.py) says as much: without a finding, 4 or more distinct
# identities planting it within days reach PLANTED, as they do with a function.
MARKS = ("url", "prose")
# At or above PLANTED a campaign looks planted. It takes findings inside copies in several repositories
# introduced within days (or undated), or many distinct identities introducing the same code within days.
# Code shared the ordinary way (vendored, forks, idioms, boilerplate, licence headers) stays below.
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


def _span(days: float) -> str:
    if days < 730:
        return "1 day" if round(days) <= 1 else f"{days:.0f} days"
    return f"{days / 365.25:.1f} years"


def _what(kind: str, name: str | None) -> str:
    if kind == "line" and name in MARKS:  # a URL or a sentence (textmarks.py)
        return "the same URL" if name == "url" else "the same sentence"
    what = {"line": "the same line", "file": "the same file", "block": "the same group of statements",
            "class": "the same class", "function": "the same function"}.get(kind, "the same code")
    return what + (f" ({name})" if name else "")


def _identities(members: list[dict], repos: set, reasons: list[str]) -> float:
    owners = {owner(r) for r in repos}
    authors = {m["author"] for m in members if m.get("author")}
    owner_share = len(owners) / len(repos)
    if authors:
        reasons.append(f"They belong to {_plural(len(owners), 'owner')} and were committed by "
                       f"{_plural(len(authors), 'distinct author')}.")
        return (owner_share + min(1.0, len(authors) / len(repos))) / 2
    reasons.append(f"They belong to {_plural(len(owners), 'owner')}; no author is known.")
    return owner_share * 0.75


def _window(members: list[dict], reasons: list[str]) -> tuple[float, str]:
    """(window factor, "coordinated" | "unknown" | "spread") from the distinct introductions' dates."""
    intro: dict = {}
    for m in members:
        moment = parse_date(m.get("date"))
        if moment is not None:
            intro[m.get("commit") or (m.get("author"), moment)] = moment
    if len(intro) < 2:
        dated = sum(1 for m in members if parse_date(m.get("date")))
        if dated >= 2:  # one commit seen in many repositories: a fork or a mirror of the same history
            reasons.append("Every copy comes from one commit, the way forks and mirrors share code.")
            return ONE_INTRODUCTION, "spread"
        reasons.append("When the copies were introduced is not known.")
        return UNKNOWN_WINDOW, "unknown"
    dates = sorted(intro.values())
    days = (dates[-1] - dates[0]).total_seconds() / 86400
    if days <= PLANTING_DAYS:
        reasons.append(f"All {len(intro)} introductions were made within {_span(days)}, as a coordinated "
                       "planting would be.")
        return 1.0, "coordinated"
    burst = _burst(dates)
    if burst >= BURST_MIN and 2 * burst >= len(dates):  # one wave within days, others earlier or later
        reasons.append(f"{burst} of {len(dates)} introductions were made within {PLANTING_DAYS} days, as a "
                       f"coordinated planting would be (all over {_span(days)}).")
        return BURST_WINDOW, "coordinated"
    if len(dates) >= 2 * WAVE_MIN and all(_neighbour(dates, i) for i in range(len(dates))):
        reasons.append(f"The {len(dates)} introductions came in waves, each copy within {PLANTING_DAYS} days of "
                       f"another (all over {_span(days)}), as repeated planting would.")
        return BURST_WINDOW, "coordinated"
    if days <= 90:
        reasons.append(f"Copies were introduced over {_span(days)}, a short window.")
    else:
        reasons.append(f"Copies were introduced over {_span(days)}, the way vendored or boilerplate code spreads.")
    return 1.0 / (1.0 + (days - PLANTING_DAYS) / 30.0), "spread" if days > 30 else "coordinated"


def _burst(dates: list[datetime]) -> int:
    """The most introductions inside any PLANTING_DAYS window (dates sorted)."""
    best, lo = 0, 0
    for hi, moment in enumerate(dates):
        while (moment - dates[lo]).total_seconds() > PLANTING_DAYS * 86400:
            lo += 1
        best = max(best, hi - lo + 1)
    return best


def _neighbour(dates: list[datetime], i: int) -> bool:
    return any(abs((dates[j] - dates[i]).total_seconds()) <= PLANTING_DAYS * 86400
               for j in (i - 1, i + 1) if 0 <= j < len(dates))


def _findings(findings: list, repos: set, reasons: list[str]) -> float:
    if not findings:
        reasons.append("No copy holds a finding.")
        return 0.0
    worst = max((f.severity for f in findings), key=SEVERITY_RANK.__getitem__)
    cats = sorted({f.category for f in findings})
    flagged = {f.repo for f in findings if f.repo} & repos or {None}
    reasons.append(f"The copies hold {_plural(len(findings), 'finding')} ({', '.join(cats)}; worst {worst}) "
                   f"in {_plural(len(flagged), 'repository')}.")
    return SEVERITY_WEIGHT[worst] * min(1.0, len(flagged) / FULL_FLAGGED)


def score(members: list[dict], findings: list, corpus_repos: int, kind: str, name: str | None,
          similarity: float | None) -> tuple[float, list[str]]:
    """(score 0-100, reasons) for a campaign's members (dicts with repo/author/date/commit) and findings."""
    reasons: list[str] = []
    repos = {m["repo"] for m in members}
    what = _what(kind, name)
    how = "" if kind == "line" else (
        " as near-duplicate copies" if similarity is not None and similarity < 1.0 else " as identical copies")
    reasons.append(f"{what[0].upper()}{what[1:]} appears in {_plural(len(repos), 'repository')}{how}.")

    spread = min(1.0, math.log2(len(repos)) / math.log2(FULL_SPREAD)) if len(repos) > 1 else 0.0
    identities = _identities(members, repos, reasons)
    window, timing = _window(members, reasons)
    coordination = window * identities
    found = _findings(findings, repos, reasons) * FINDINGS_GATE[timing]

    share = len(repos) / corpus_repos if corpus_repos else 0.0
    rarity = 1.0
    if corpus_repos >= RARE_CORPUS and share > 0.2:
        rarity = 1.0 - 0.7 * (share - 0.2) / 0.8
        reasons.append(f"It is common: {len(repos)} of {corpus_repos} repositories ({share:.0%}) hold it.")
    elif corpus_repos >= RARE_CORPUS:
        reasons.append(f"It is rare: {len(repos)} of {corpus_repos} repositories ({share:.0%}) hold it.")

    total = (WEIGHTS["spread"] * spread + WEIGHTS["identities"] * identities
             + WEIGHTS["coordination"] * coordination + WEIGHTS["findings"] * found)
    if kind == "line" and name not in MARKS:
        total *= LINE_EVIDENCE
    return round(100.0 * rarity * total, 1), reasons
