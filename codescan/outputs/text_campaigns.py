"""Terminal output for campaigns: ranked, with reasons, span of time, repositories, authors and members."""
from __future__ import annotations

from typing import Iterable

from ..records import SEVERITY_RANK
from .hidden import visible
from .text import Paint, plural

MAX_MEMBERS = 12


def _as_dict(campaign) -> dict:
    """A campaign's JSON shape, plus its unit kind and name when the Campaign object has them."""
    if isinstance(campaign, dict):
        return campaign
    out = campaign.to_dict()
    for key in ("kind", "name"):
        if getattr(campaign, key, None) and key not in out:
            out[key] = getattr(campaign, key)
    return out


def _worst(findings: list[dict]) -> str | None:
    sevs = [f.get("severity") for f in findings if f.get("severity") in SEVERITY_RANK]
    return max(sevs, key=SEVERITY_RANK.__getitem__, default=None)


def campaign_lines(c: dict, paint: Paint, rank: int) -> list[str]:
    """One campaign: header with score and spread, reasons, then its members (at most MAX_MEMBERS)."""
    repos, authors, members, findings = c.get("repos") or [], c.get("authors") or [], c.get("members") or [], \
        c.get("findings") or []
    worst = _worst(findings)
    window = " → ".join(d[:10] for d in (c.get("first_seen"), c.get("last_seen")) if d)
    head = (f"#{rank} {paint.bold(visible(str(c.get('id', '?'))))}  score {float(c.get('score') or 0):.2f}  "
            f"{plural(len(repos), 'repository').replace('repositorys', 'repositories')} · "
            f"{plural(len(authors), 'author')} · {plural(len(members), 'member')}")
    if window:
        head += f" · {window}"
    out = [head]
    if c.get("title") or c.get("kind"):
        out.append("  " + paint.dim(visible(c.get("title") or f"{c['kind']} {c.get('name') or ''}".strip())))
    cats = ", ".join(c.get("categories") or [])
    if findings or cats:
        label = f"{plural(len(findings), 'finding')}" + (f" ({cats})" if cats else "")
        out.append("  " + (paint.severity(worst, label) if worst else label))
    out += [f"  - {visible(str(reason))}" for reason in c.get("reasons") or []]
    for m in members[:MAX_MEMBERS]:
        where = f"{m.get('repo') or ''}:{m.get('path', '')}:{m.get('line', '')}-{m.get('end_line', '')}"
        who = " ".join(x for x in (m.get("author") or "", (m.get("date") or "")[:10]) if x)
        out.append(f"    {visible(where)}" + (paint.dim(f"  {visible(who)}") if who else ""))
    if len(members) > MAX_MEMBERS:
        out.append(paint.dim(f"    … {len(members) - MAX_MEMBERS} more"))
    return out


def write_campaigns(campaigns: Iterable, stream, colour: bool = False) -> int:
    """Campaigns in the order given (score, highest first), then one summary line; returns the count."""
    paint = Paint(colour)
    items = [_as_dict(c) for c in campaigns]
    for rank, c in enumerate(items, 1):
        stream.write("\n".join(campaign_lines(c, paint, rank)) + "\n\n")
    repos = {r for c in items for r in c.get("repos") or []}
    flagged = sum(1 for c in items if c.get("findings"))
    stream.write(f"{plural(len(items), 'campaign')} across {plural(len(repos), 'repository')}"
                 .replace("repositorys", "repositories") + f", {flagged} with findings\n")
    return len(items)
