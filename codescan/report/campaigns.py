"""The campaigns section: each campaign ranked by score with its reasons, timeline, people and variants."""
from __future__ import annotations

from .escape import anchor, code, esc
from .timeline import svg
from .variants import MAX_VARIANTS, side_by_side, single, variants

MAX_MEMBER_ROWS = 40


def rule_link(rule_id: str) -> str:
    return f'<a class="rule" href="#{anchor("rule", rule_id)}">{esc(rule_id)}</a>'


def _chips(values, cls: str = "chip") -> str:
    return "".join(f'<span class="{cls}">{esc(v)}</span>' for v in values)


def _where(m: dict) -> str:
    return f"{m.get('repo') or ''}{':' if m.get('repo') else ''}{m.get('path', '')}"


def _members_table(members: list[dict]) -> str:
    rows = []
    for m in members[:MAX_MEMBER_ROWS]:
        rows.append(f"<tr><td>{code(m.get('repo') or '')}</td><td>{code(m.get('path') or '')}</td>"
                    f"<td class=\"num\">{esc(m.get('line'))}–{esc(m.get('end_line'))}</td>"
                    f"<td><code>{esc((m.get('commit') or '')[:10])}</code></td><td>{code(m.get('author') or '')}</td>"
                    f"<td>{esc((m.get('date') or '')[:19])}</td></tr>")
    more = (f'<tr><td colspan="6" class="muted">… {len(members) - MAX_MEMBER_ROWS} more members</td></tr>'
            if len(members) > MAX_MEMBER_ROWS else "")
    return ('<table class="members"><thead><tr><th>repository</th><th>path</th><th>lines</th><th>commit</th>'
            f'<th>author</th><th>introduced</th></tr></thead><tbody>{"".join(rows)}{more}</tbody></table>')


def _variants_html(c: dict, lookup) -> str:
    found, missing = variants(c.get("members") or [], c.get("findings") or [], lookup)
    note = (f'<p class="muted">The code of {missing} member(s) was not at hand (give <code>--source</code> the '
            'mirror or tree they came from).</p>') if missing else ""
    if not found:
        return note
    base = found[0]

    def caption(v, label):
        names = ", ".join(_where(m) for m in v.members[:3]) + (f" +{len(v.members) - 3}" if len(v.members) > 3 else "")
        return f'<span class="vlabel">{label}</span> {code(names)}'

    if len(found) == 1:
        return (f'<h4>All {len(base.members)} member(s) with code at hand are the same text</h4>'
                f'<div class="vcap">{caption(base, "A")}</div>{single(base)}{note}')
    blocks = [f"<h4>{len(found)} distinct variants; each is shown beside variant A</h4>"]
    for k, other in enumerate(found[1:MAX_VARIANTS + 1], start=1):
        label = chr(ord("A") + k) if k < 26 else str(k)
        blocks.append(f'<div class="vcap two"><div>{caption(base, "A")}</div><div>{caption(other, label)}</div></div>'
                      f"{side_by_side(base, other)}")
    if len(found) > MAX_VARIANTS + 1:
        blocks.append(f'<p class="muted">{len(found) - MAX_VARIANTS - 1} more variants not shown.</p>')
    return "".join(blocks) + note


def _findings_list(findings: list[dict]) -> str:
    if not findings:
        return '<p class="muted">No rule fired inside these members.</p>'
    items = []
    for f in findings[:30]:
        items.append(f'<li><span class="sev sev-{esc(f.get("severity"))}">{esc(f.get("severity"))}</span> '
                     f'{rule_link(str(f.get("rule_id", "")))} {code(_where(f))}:{esc(f.get("line"))} '
                     f'<span class="muted">{code(f.get("message") or "")}</span></li>')
    more = f'<li class="muted">… {len(findings) - 30} more</li>' if len(findings) > 30 else ""
    return f'<ul class="cfindings">{"".join(items)}{more}</ul>'


def _dropped_line(c: dict) -> str:
    """What the filter did because of this campaign: the records it dropped, and the policy's reason."""
    count = c.get("dropped_records")
    if not count and not c.get("drops"):
        return ""
    what = f"dropped {count} record{'' if count == 1 else 's'}" if count else "dropped its members"
    why = f" ({esc(str(c['why']))})" if c.get("why") else ""
    return f'<p class="dropped"><b>The filter {what}</b> because of this campaign{why}.</p>'


def campaign_card(c: dict, rank: int, top_score: float, lookup) -> str:
    members = [dict(m) for m in c.get("members") or []]
    hit = {(f.get("repo"), f.get("path")) for f in c.get("findings") or []}
    for m in members:
        m["_findings"] = (m.get("repo"), m.get("path")) in hit
    score = float(c.get("score") or 0)
    width = 100 * score / top_score if top_score > 0 else 0
    first, last = (c.get("first_seen") or "")[:10], (c.get("last_seen") or "")[:10]
    reasons = "".join(f"<li>{code(str(r))}</li>" for r in c.get("reasons") or [])
    return (
        f'<section class="campaign card" id="{anchor("campaign", c.get("id", rank))}">'
        f'<header><span class="rank">#{rank}</span> <h3>{code(str(c.get("id", "?")))}</h3>'
        f'<span class="score" title="campaign score">score {score:.2f}</span>'
        f'<span class="bar"><span style="width:{width:.0f}%"></span></span>{_chips(c.get("categories") or [], "chip cat")}'
        f'</header>'
        f'<div class="facts"><div><b>{len(c.get("repos") or [])}</b> repositories</div>'
        f'<div><b>{len(c.get("authors") or [])}</b> authors</div><div><b>{len(members)}</b> members</div>'
        f'<div><b>{esc(first)}</b> → <b>{esc(last)}</b></div></div>'
        f'{_dropped_line(c)}'
        f'<h4>Why it ranks here</h4><ul class="reasons">{reasons or "<li>no reasons given</li>"}</ul>'
        f'<h4>When each member was introduced</h4>{svg(members)}'
        f'<div class="people"><div><h4>Repositories</h4>{_chips(c.get("repos") or [])}</div>'
        f'<div><h4>Authors</h4>{_chips(c.get("authors") or [])}</div></div>'
        f'<details><summary>Members ({len(members)})</summary>{_members_table(members)}</details>'
        f'<h4>Findings inside the members</h4>{_findings_list(c.get("findings") or [])}'
        f'<h4>Variants</h4>{_variants_html(c, lookup)}'
        "</section>"
    )


def section(campaigns: list[dict], lookup) -> str:
    if not campaigns:
        return ('<section id="campaigns"><h2>Campaigns</h2><p class="muted">No campaigns in this input '
                '(run <code>codescan campaigns</code> and pass <code>--campaigns</code>, or report from a state).'
                '</p></section>')
    top = max(float(c.get("score") or 0) for c in campaigns)
    index = "".join(f'<li><a href="#{anchor("campaign", c.get("id", i))}">{code(str(c.get("id", "?")))}</a> '
                    f'<span class="muted">score {float(c.get("score") or 0):.2f} · {len(c.get("repos") or [])} repos'
                    f'</span></li>' for i, c in enumerate(campaigns, 1))
    cards = "".join(campaign_card(c, i, top, lookup) for i, c in enumerate(campaigns, 1))
    return (f'<section id="campaigns"><h2>Campaigns <span class="count">{len(campaigns)}</span></h2>'
            f'<p class="muted">Ranked by score, highest first.</p><ol class="cindex">{index}</ol>{cards}</section>')
