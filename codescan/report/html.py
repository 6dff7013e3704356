"""Assemble the self-contained HTML report: inline CSS and script, every section, machine-readable JSON."""
from __future__ import annotations

from collections import Counter

from .. import __version__
from ..standards import load as load_standards
from . import campaigns as campaigns_section
from . import findings as findings_section
from . import sections
from .assets import CSS, JS
from .escape import esc, script_json
from .model import ReportData

# No fetch, frame, form or plugin may leave the page; inline style and script only.
CSP = ("default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:; "
       "base-uri 'none'; form-action 'none'")


def _embedded(data: ReportData, findings) -> dict:
    """The report's facts as JSON in the page (filters read it; tools can too)."""
    st = load_standards()
    cats = sorted({f.category for f in findings})
    return {
        "codescan_version": __version__,
        "generated": data.generated,
        "inputs": list(data.inputs),
        "summary": {k: v for k, v in data.summary.items() if isinstance(v, (str, int, float, dict, list))},
        "counts": {"severity": dict(Counter(f.severity for f in findings)),
                   "category": dict(Counter(f.category for f in findings))},
        "facets": findings_section.facets(findings),
        "standards": {c: st.for_category(c).to_dict() for c in cats},
        "campaigns": [{"id": c.get("id"), "score": c.get("score"), "repos": c.get("repos"),
                       "first_seen": c.get("first_seen"), "last_seen": c.get("last_seen")} for c in data.campaigns],
    }


def render(data: ReportData) -> str:
    """The whole page as one string."""
    findings = list(data.findings)
    campaigns = list(data.campaigns)
    rule_ids = {f.rule_id for f in findings} | {str(f.get("rule_id")) for c in campaigns
                                               for f in c.get("findings") or [] if f.get("rule_id")}
    toc = [("summary", "Summary"), ("campaigns", "Campaigns"), ("findings", "Findings")]
    hidden = findings_section.hidden_section(findings)
    if hidden:
        toc.append(("hidden", "Hidden Unicode"))
    if data.drops:
        toc.append(("drops", "Dropped"))
    toc += [("standards", "Standards"), ("rules", "Rules")]
    nav = "".join(f'<a href="#{key}">{label}</a>' for key, label in toc)
    body = "".join([
        sections.summary(data, findings),
        campaigns_section.section(campaigns, data.sources),
        findings_section.section(findings),
        hidden,
        sections.drops(list(data.drops)),
        sections.standards(findings),
        sections.catalogue(rule_ids, data.rules),
        sections.skips(list(data.skips)),
    ])
    return (
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{esc(data.title)}</title><style>{CSS}</style></head><body>"
        f'<header class="top"><h1>{esc(data.title)}</h1><p>codescan {esc(__version__)} · {len(findings)} findings · '
        f'{len(campaigns)} campaigns · {esc(data.generated)}</p></header><nav class="toc">{nav}</nav>'
        f"<main>{body}</main>"
        f'<script type="application/json" id="codescan-data">{script_json(_embedded(data, findings))}</script>'
        f"<script>{JS}</script></body></html>\n"
    )
