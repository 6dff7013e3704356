"""An inline SVG timeline: one row per repository, one dot per campaign member at the date it was introduced."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from .escape import esc

WIDTH, ROW, LEFT, RIGHT, TOP, AXIS = 900, 22, 230, 70, 14, 34
MAX_ROWS = 24


def parse_date(value) -> datetime | None:
    """An ISO-8601 date or datetime (with or without zone, 'Z' too); naive values are taken as UTC."""
    if not value or not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


def _ticks(start: datetime, end: datetime, count: int = 5) -> list[datetime]:
    step = (end - start) / max(count - 1, 1)
    return [start + step * i for i in range(count)]


def _label(moment: datetime, span: timedelta) -> str:
    return moment.strftime("%Y-%m-%d %H:%M" if span < timedelta(days=10) else "%Y-%m-%d")


def svg(members: list[dict]) -> str:
    """The plot, or a short note when no member has a date."""
    dated = [(m, parse_date(m.get("date"))) for m in members]
    dated = [(m, d) for m, d in dated if d is not None]
    if not dated:
        return '<p class="muted">No introduction dates known for these members.</p>'
    repos: list[str] = []
    for m, _ in sorted(dated, key=lambda pair: pair[1]):
        name = m.get("repo") or m.get("path") or "?"
        if name not in repos:
            repos.append(name)
    shown = repos[:MAX_ROWS]
    start, end = min(d for _, d in dated), max(d for _, d in dated)
    if end - start < timedelta(hours=1):
        start, end = start - timedelta(hours=12), end + timedelta(hours=12)
    span = end - start
    plot = WIDTH - LEFT - RIGHT
    height = TOP + ROW * (len(shown) + (len(repos) > MAX_ROWS)) + AXIS

    def x(moment: datetime) -> float:
        return LEFT + plot * ((moment - start) / span)

    parts = [f'<svg class="timeline" viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" '
             f'role="img" aria-label="When each member was introduced">']
    for i, repo in enumerate(shown):
        y = TOP + ROW * i + ROW / 2
        parts.append(f'<line class="row" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y}" y2="{y}"/>'
                     f'<text class="repo" x="{LEFT - 8}" y="{y + 4}" text-anchor="end">{esc(repo[-34:])}</text>')
    if len(repos) > MAX_ROWS:
        y = TOP + ROW * len(shown) + ROW / 2
        parts.append(f'<text class="repo" x="{LEFT - 8}" y="{y + 4}" text-anchor="end">'
                     f'{len(repos) - MAX_ROWS} more repositories</text>')
    axis_y = TOP + ROW * (len(shown) + (len(repos) > MAX_ROWS)) + 4
    parts.append(f'<line class="axis" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{axis_y}" y2="{axis_y}"/>')
    for tick in _ticks(start, end):
        tx = x(tick)
        parts.append(f'<line class="tick" x1="{tx:.1f}" x2="{tx:.1f}" y1="{TOP}" y2="{axis_y + 4}"/>'
                     f'<text class="date" x="{tx:.1f}" y="{axis_y + 20}" text-anchor="middle">'
                     f'{esc(_label(tick, span))}</text>')
    for m, d in dated:
        name = m.get("repo") or m.get("path") or "?"
        row = shown.index(name) if name in shown else len(shown)
        y = TOP + ROW * row + ROW / 2
        tip = f"{name}:{m.get('path', '')}:{m.get('line', '')} · {m.get('author') or 'unknown author'} · {d.isoformat()}"
        cls = "dot hit" if m.get("_findings") else "dot"
        parts.append(f'<circle class="{cls}" cx="{x(d):.1f}" cy="{y}" r="5"><title>{esc(tip)}</title></circle>')
    parts.append("</svg>")
    undated = len(members) - len(dated)
    note = f'<p class="muted">{undated} member(s) without a date are not plotted.</p>' if undated else ""
    return "".join(parts) + note
