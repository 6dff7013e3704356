"""The summary, standards, rule catalogue, drop report and skips sections of the report."""
from __future__ import annotations

from collections import Counter

from ..records import CATEGORIES, SEVERITIES, Rule
from ..standards import FRAMEWORKS, load as load_standards
from .escape import anchor, code, esc

FRAMEWORK_LABEL = {"owasp_llm": "OWASP LLM Top 10 (2025)", "nist_ai_rmf": "NIST AI RMF", "nist_csf": "NIST CSF 2.0"}


def summary(data, findings) -> str:
    """Headline numbers, then findings by category and severity as a small table with bars."""
    s = data.summary
    repos = s.get("repos", len({f.repo for f in findings if f.repo}))
    tiles = [("repositories", repos), ("blobs", s.get("blobs", s.get("files", "–"))),
             ("findings", len(findings)), ("campaigns", len(data.campaigns))]
    if data.drops:
        if "records" in s:
            tiles.append(("records filtered", s["records"]))
        tiles.append(("records dropped", len(data.drops)))
    if data.skips:
        tiles.append(("skipped", len(data.skips)))
    tile_html = "".join(f'<div class="tile"><b>{esc(v)}</b><span>{esc(k)}</span></div>' for k, v in tiles)
    by = Counter((f.category, f.severity) for f in findings)
    cats = [c for c in CATEGORIES if any(by[(c, s)] for s in SEVERITIES)]
    extra = sorted({f.category for f in findings} - set(CATEGORIES))
    top = max((sum(by[(c, s)] for s in SEVERITIES) for c in cats + extra), default=1)
    rows = []
    for c in cats + extra:
        total = sum(by[(c, s)] for s in SEVERITIES)
        cells = "".join(f'<td class="num">{by[(c, s)] or ""}</td>' for s in reversed(SEVERITIES))
        bar = "".join(f'<span class="seg sev-{s}" style="width:{100 * by[(c, s)] / top:.1f}%"></span>'
                      for s in reversed(SEVERITIES) if by[(c, s)])
        rows.append(f'<tr><td>{esc(c)}</td>{cells}<td class="num"><b>{total}</b></td>'
                    f'<td class="barcell"><div class="stack">{bar}</div></td></tr>')
    head = "".join(f'<th class="sev-{s}-h">{s}</th>' for s in reversed(SEVERITIES))
    table = (f'<table class="bycat"><thead><tr><th>category</th>{head}<th>total</th><th></th></tr></thead>'
             f'<tbody>{"".join(rows)}</tbody></table>') if rows else '<p class="muted">No findings.</p>'
    inputs = ", ".join(esc(i) for i in data.inputs)
    return (f'<section id="summary"><h2>Summary</h2><div class="tiles">{tile_html}</div>{table}'
            f'<p class="muted">Inputs: {inputs or "–"} · generated {esc(data.generated)}'
            f'{_last_crawl(s.get("last_crawl"))}</p></section>')


def _last_crawl(value) -> str:
    if isinstance(value, dict):
        value = value.get("finished") or value.get("started")
    return f" · last crawl {esc(str(value)[:19])}" if value else ""


def standards(findings) -> str:
    """For each category found: the CWE ids and framework items a finding there evidences."""
    st = load_standards()
    counts = Counter(f.category for f in findings)
    cats = [c for c in CATEGORIES if counts[c]] or list(CATEGORIES)
    head = "".join(f"<th>{esc(FRAMEWORK_LABEL[fw])}</th>" for fw in FRAMEWORKS)
    rows = []
    for c in cats:
        m = st.for_category(c)
        cells = "".join("<td>" + "".join(f'<span class="std" title="{esc(st.item_title(fw, i))}">{esc(i)}</span>'
                                         for i in m.items(fw)) + "</td>" for fw in FRAMEWORKS)
        rows.append(f'<tr><td>{esc(c)}</td><td class="num">{counts[c]}</td><td>{esc(", ".join(m.cwe))}</td>{cells}</tr>')
    used = {(fw, i) for c in cats for fw in FRAMEWORKS for i in st.for_category(c).items(fw)}
    legend = "".join(f'<li><span class="std">{esc(i)}</span> {esc(st.item_title(fw, i))} '
                     f'<span class="muted">({esc(st.titles[fw])})</span></li>'
                     for fw in FRAMEWORKS for i in st.items[fw] if (fw, i) in used)
    return ('<section id="standards"><h2>Standards this evidences</h2><p class="muted">Each category maps to CWE, '
            'the OWASP Top 10 for LLM Applications 2025, the NIST AI RMF and NIST CSF 2.0 data-integrity controls '
            '(hover an item for its title). The mapping is <code>codescan/data/standards.yaml</code>.</p>'
            f'<table class="standards"><thead><tr><th>category</th><th>findings</th><th>CWE</th>{head}</tr></thead>'
            f'<tbody>{"".join(rows)}</tbody></table><ul class="legend">{legend}</ul></section>')


def _link(ref: str) -> str:
    if ref.startswith(("https://", "http://")):
        return f'<a href="{esc(ref)}" rel="noreferrer noopener">{esc(ref)}</a>'
    return esc(ref)


def _rule_entry(rule_id: str, rule: Rule | None) -> str:
    aid = anchor("rule", rule_id)
    if rule is None:
        return (f'<article class="rule" id="{aid}"><h3>{esc(rule_id)}</h3><p class="muted">Not among the loaded '
                'rules (a built-in detector id or a rule from another rule set).</p></article>')
    d = rule.docs
    refs = "".join(f"<li>{_link(r)}</li>" for r in rule.references)
    return (f'<article class="rule" id="{aid}"><h3>{esc(rule.id)} <span class="sev sev-{esc(rule.severity)}">'
            f'{esc(rule.severity)}</span></h3><p class="muted">{esc(rule.category)} · {esc(", ".join(rule.languages))}'
            f' · {esc(", ".join(rule.cwe))} · confidence {esc(rule.confidence)}</p><p>{esc(rule.message)}</p>'
            f'<dl><dt>What it flags</dt><dd>{esc(d.what)}</dd><dt>Why it is dangerous</dt><dd>{esc(d.why)}</dd>'
            f'<dt>Example</dt><dd><pre>{code(d.example)}</pre></dd><dt>Write instead</dt><dd>{esc(d.instead)}</dd></dl>'
            f'{"<ul class=refs>" + refs + "</ul>" if refs else ""}</article>')


def catalogue(rule_ids, rules: dict[str, Rule]) -> str:
    """Documentation of every rule the report mentions (the findings link here)."""
    ids = sorted(set(rule_ids))
    if not ids:
        return ""
    entries = "".join(_rule_entry(i, rules.get(i)) for i in ids)
    return (f'<section id="rules"><h2>Rules in this report <span class="count">{len(ids)}</span></h2>'
            f'<p class="muted">The full catalogue is docs/rules.md (<code>codescan rules show ID</code>).</p>'
            f'{entries}</section>')


_DROP_KEYS = ("id", "document", "record", "shard", "row", "repo", "path", "rule_ids", "categories", "campaigns",
              "campaign", "reasons", "reason")


def _reason(r: dict) -> str:
    """One keep/drop reason of the filter, in a few words."""
    kind = r.get("kind")
    if kind == "finding":
        where = f" line {r.get('line')}" if r.get("line") else ""
        field = f" in {r.get('field')}" if r.get("field") else ""
        below = " (below policy)" if r.get("below_policy") else ""
        return f"{r.get('rule_id')} [{r.get('severity')}]{field}{where}{below}"
    if kind == "campaign":
        return f"campaign {r.get('campaign_id')}"
    return f"{kind}: {r.get('detail', '')}" if r.get("detail") else str(kind)


def _cell(value, key: str = "") -> str:
    if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
        return "<br>".join(_campaign_link(v["campaign_id"]) if v.get("kind") == "campaign" and v.get("campaign_id")
                           else code(_reason(v)) for v in value)
    if key in ("campaigns", "campaign") and value:
        return ", ".join(_campaign_link(v) for v in (value if isinstance(value, list) else [value]))
    if isinstance(value, list):
        return ", ".join(code(v if isinstance(v, str) else str(v)) for v in value)
    if isinstance(value, dict):
        return code(", ".join(f"{k}: {v}" for k, v in value.items()))
    return code("" if value is None else str(value))


def _campaign_link(campaign_id) -> str:
    return f'<a href="#{anchor("campaign", str(campaign_id))}">campaign {code(str(campaign_id))}</a>'


def drops(rows: list[dict]) -> str:
    """The filter's drop report: which documents were dropped and why."""
    if not rows:
        return ""
    present = [k for k in _DROP_KEYS if any(k in r for r in rows)]
    keys = present or sorted({k for r in rows for k in r})[:6]
    head = "".join(f"<th>{esc(k)}</th>" for k in keys)
    body = "".join("<tr>" + "".join(f"<td>{_cell(r.get(k), k)}</td>" for k in keys) + "</tr>" for r in rows[:2000])
    return (f'<section id="drops"><h2>Dropped documents <span class="count">{len(rows)}</span></h2>'
            f'<table class="drops"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></section>')


def skips(rows: list[dict]) -> str:
    if not rows:
        return ""
    items = "".join(f"<li>{code((r.get('repo') + ':') if r.get('repo') else '')}{code(r.get('path', ''))}: "
                    f"{code(r.get('reason', ''))}</li>" for r in rows[:500])
    return (f'<section id="skips"><details><summary>Skipped ({len(rows)})</summary><ul>{items}</ul>'
            '</details></section>')
