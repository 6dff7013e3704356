"""The findings table (filterable by category, severity, repository and rule) and the hidden-Unicode section."""
from __future__ import annotations

import re

from ..outputs.hidden import segments
from ..outputs.text import span
from ..records import SEVERITY_RANK, Finding
from .campaigns import rule_link
from .escape import code, esc, hidden_text

MAX_ROWS = 3000
HIDDEN_CATEGORY = "hidden-unicode"


def ordered(findings) -> list[Finding]:
    """Most severe first, then by place."""
    return sorted(findings, key=lambda f: (-SEVERITY_RANK.get(f.severity, 0), f.repo or "", f.path, f.line, f.rule_id))


def snippet_html(f: Finding) -> str:
    """The snippet with its matched span marked when the span is known."""
    where = span(f)
    if where is None:
        return code(f.snippet)
    start, end = where
    return f"{code(f.snippet[:start])}<mark>{code(f.snippet[start:end])}</mark>{code(f.snippet[end:])}"


def _location(f: Finding) -> str:
    repo = f'<span class="repo">{code(f.repo)}</span>' if f.repo else ""
    return f'{repo}<span class="path">{code(f.path)}</span><span class="num">:{f.line}:{f.column}</span>'


_MARKER = re.compile(r"<U\+[0-9A-F]{4,6}>|⟨[^⟩]*⟩")


def _decoded_adds(f: Finding) -> bool:
    """Whether the decoded text says more than the snippet drawn with markers and its hidden text."""
    if not f.decoded or f.decoded == f.snippet or f.decoded in hidden_text(f.snippet):
        return False
    plain = "".join(seg.text for seg in segments(f.snippet) if seg.kind == "text")
    return _MARKER.sub("", f.decoded).strip() not in plain


def _extra(f: Finding) -> str:
    parts = []
    if f.context != "code":
        parts.append(f'<span class="ctx">{esc(f.context)}</span>')
    for message in hidden_text(f.snippet) + hidden_text(f.decoded or ""):
        parts.append(f'<div class="hiddenmsg">hidden text: <code>{code(message)}</code></div>')
    if _decoded_adds(f) and len(f.decoded) <= 120 and "\n" not in f.decoded:
        parts.append(f'<div class="dec">decoded: <code>{code(f.decoded)}</code></div>')
    elif _decoded_adds(f):
        parts.append(f'<details class="decoded"><summary>decoded ({len(f.decoded)} characters)</summary>'
                     f'<pre>{code(f.decoded)}</pre></details>')
    if f.trace:
        steps = "".join(f"<li><span class=\"num\">{step.line}</span> {code(step.note)}</li>" for step in f.trace)
        parts.append(f'<details class="trace"><summary>flow ({len(f.trace)} steps)</summary><ol>{steps}</ol></details>')
    if f.commit or f.author:
        parts.append(f'<div class="muted">{esc((f.commit or "")[:10])} {code(f.author or "")} '
                     f'{esc((f.date or "")[:10])}</div>')
    return "".join(parts)


def _row(f: Finding) -> str:
    return (f'<tr data-category="{esc(f.category)}" data-severity="{esc(f.severity)}" data-repo="{esc(f.repo or "")}"'
            f' data-rule="{esc(f.rule_id)}">'
            f'<td><span class="sev sev-{esc(f.severity)}">{esc(f.severity)}</span></td>'
            f'<td>{rule_link(f.rule_id)}<div class="muted">{esc(f.category)}</div></td>'
            f'<td class="loc">{_location(f)}</td>'
            f'<td class="code"><code>{snippet_html(f)}</code>{_extra(f)}'
            f'<div class="msg">{code(f.message)}</div></td></tr>')


def facets(findings: list[Finding]) -> dict:
    """The values each filter offers (the page's script builds the select boxes from them)."""
    return {
        "category": sorted({f.category for f in findings}),
        "severity": sorted({f.severity for f in findings}, key=lambda s: -SEVERITY_RANK.get(s, 0)),
        "repo": sorted({f.repo for f in findings if f.repo}),
        "rule": sorted({f.rule_id for f in findings}),
    }


def section(findings) -> str:
    rows = ordered(findings)
    shown = rows[:MAX_ROWS]
    cut = (f'<p class="muted">Showing the {MAX_ROWS} most severe of {len(rows)} findings; the JSON output has all.'
           '</p>') if len(rows) > MAX_ROWS else ""
    filters = "".join(f'<label>{name} <select data-filter="{name}"><option value="">all</option></select></label>'
                      for name in ("category", "severity", "repo", "rule"))
    return (f'<section id="findings"><h2>Findings <span class="count">{len(rows)}</span></h2>'
            f'<div class="filters">{filters}<input type="search" id="q" placeholder="text in path, code, message">'
            f'<span id="shown" class="muted"></span></div>{cut}'
            '<table class="findings"><thead><tr><th>severity</th><th>rule</th><th>where</th><th>code</th></tr>'
            f'</thead><tbody>{"".join(_row(f) for f in shown)}</tbody></table></section>')


def hidden_section(findings) -> str:
    """Lines holding hidden Unicode, drawn with every invisible character made visible."""
    hidden = [f for f in ordered(findings) if f.category == HIDDEN_CATEGORY][:200]
    if not hidden:
        return ""
    items = "".join(f'<li><div class="loc">{_location(f)} {rule_link(f.rule_id)}</div>'
                    f'<code class="line">{code(f.snippet)}</code>{_extra(f)}</li>' for f in hidden)
    return ('<section id="hidden"><h2>Hidden Unicode made visible</h2><p class="muted">Bidirectional controls '
            '<span class="hid hid-bidi">⟨U+202E⟩</span>, invisible characters <span class="hid hid-invisible">'
            '⟨U+200B⟩</span>, tag characters <span class="hid hid-tag">⟨tags: …⟩</span> and variation selectors '
            'are drawn as markers; non-ASCII letters are underlined (hover for the code point).</p>'
            f'<ul class="hiddenlist">{items}</ul></section>')
