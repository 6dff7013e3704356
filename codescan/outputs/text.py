"""Terminal output people read: findings grouped by file, the matched span marked, a one-line summary."""
from __future__ import annotations

from collections import Counter
from itertools import groupby
from typing import Callable, Iterable

from ..records import SEVERITIES, SEVERITY_RANK, Finding
from .hidden import visible

_COLOURS = {"critical": "\033[1;35m", "high": "\033[1;31m", "medium": "\033[33m", "low": "\033[36m"}
_RESET, _DIM, _BOLD, _UNDERLINE = "\033[0m", "\033[2m", "\033[1m", "\033[4m"

LineSource = Callable[[Finding], "str | None"]


class Paint:
    """ANSI styling that is a no-op when colour is off (piped output stays plain)."""

    def __init__(self, colour: bool):
        self.colour = colour

    def __call__(self, code: str, text: str) -> str:
        return f"{code}{text}{_RESET}" if self.colour and text else text

    def severity(self, severity: str, text: str | None = None) -> str:
        return self(_COLOURS.get(severity, ""), severity if text is None else text)

    def bold(self, text: str) -> str:
        return self(_BOLD, text)

    def dim(self, text: str) -> str:
        return self(_DIM, text)


def plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def span(f: Finding, line_text: str | None = None) -> tuple[int, int] | None:
    """Where column..end_column falls in f.snippet (which is the line stripped), or None when unknown.

    Known exactly when the full line is given; otherwise only when the line cannot have had leading
    blanks before the match (column 1) or the match covers the whole snippet."""
    snippet = f.snippet
    if not snippet or f.column < 1:
        return None
    width = (f.end_column - f.column) if f.end_column and f.end_line == f.line else None
    if line_text is not None and line_text.strip() == snippet:
        lead = len(line_text) - len(line_text.lstrip())
    elif f.column == 1:
        lead = 0
    elif width is not None and width >= len(snippet):
        return 0, len(snippet)
    else:
        return None
    start = f.column - 1 - lead
    if not 0 <= start < len(snippet):
        return None
    end = len(snippet) if width is None else min(start + max(width, 1), len(snippet))
    return start, end


def _snippet_lines(f: Finding, paint: Paint, line_text: str | None) -> list[str]:
    gutter = f"{f.line:>7} │ "
    where = span(f, line_text)
    if where is None:
        return [paint.dim(gutter) + visible(f.snippet)]
    start, end = where
    before, match, after = (visible(part) for part in (f.snippet[:start], f.snippet[start:end], f.snippet[end:]))
    if paint.colour:
        return [paint.dim(gutter) + before + paint(_UNDERLINE + _COLOURS.get(f.severity, ""), match) + after]
    return [gutter + before + match + after, " " * 7 + " │ " + " " * len(before) + "^" * max(len(match), 1)]


def _provenance(f: Finding) -> str:
    parts = [f"record {visible(f.record)}"] if f.record else []
    if f.commit:
        parts.append(f"commit {f.commit[:10]}")
    if f.author:
        parts.append(f"by {visible(f.author)}")
    if f.date:
        parts.append(f.date[:10])
    return " ".join(parts)


def finding_lines(f: Finding, paint: Paint, line_text: str | None = None) -> list[str]:
    """One finding: location, severity, rule and message, then its snippet, decoded text and provenance."""
    ctx = "" if f.context == "code" else paint.dim(f" [{f.context}]")
    out = [f"  {f.line}:{f.column:<4} {paint.severity(f.severity, f'{f.severity:<8}')} "
           f"{paint.bold(f.rule_id)}{ctx}  {visible(f.message)}"]
    if f.snippet:
        out += _snippet_lines(f, paint, line_text)
    if f.decoded and f.decoded != f.snippet:
        first = visible(f.decoded.splitlines()[0] if f.decoded.strip() else f.decoded)[:200]
        out.append(paint.dim(f"        ↳ decoded: {first}"))
    for step in f.trace:
        out.append(paint.dim(f"        ↳ {step.line}: {visible(step.note)[:160]}"))
    provenance = _provenance(f)
    if provenance:
        out.append(paint.dim(f"        {provenance}"))
    return out


def _where(f: Finding) -> str:
    return f"{f.repo}:{f.path}" if f.repo else f.path


def write_findings(findings: Iterable[Finding], stream, colour: bool = False,
                   line_source: LineSource | None = None) -> list[Finding]:
    """Findings grouped by file (files in order of first appearance, lines ascending); returns them."""
    paint = Paint(colour)
    ordered = list(findings)
    first_seen: dict[tuple, int] = {}
    for i, f in enumerate(ordered):
        first_seen.setdefault((f.repo or "", f.path), i)
    ordered.sort(key=lambda f: (first_seen[(f.repo or "", f.path)], f.line, f.column, f.rule_id))
    for _, group in groupby(ordered, key=lambda f: (f.repo or "", f.path)):
        group = list(group)
        worst = max(group, key=lambda f: SEVERITY_RANK.get(f.severity, 0)).severity
        stream.write(f"{paint.bold(visible(_where(group[0])))} {paint.severity(worst, '●')} "
                     f"{paint.dim(plural(len(group), 'finding'))}\n")
        for f in group:
            line_text = line_source(f) if line_source else None
            stream.write("\n".join(finding_lines(f, paint, line_text)) + "\n")
        stream.write("\n")
    return ordered


def severity_counts(findings: Iterable[Finding]) -> str:
    """'3 findings (1 critical, 2 high)'."""
    findings = list(findings)
    counts = Counter(f.severity for f in findings)
    parts = [f"{counts[s]} {s}" for s in reversed(SEVERITIES) if counts[s]]
    return plural(len(findings), "finding") + (f" ({', '.join(parts)})" if parts else "")


def summary_line(findings: Iterable[Finding], *extra: str, colour: bool = False) -> str:
    """The one-line summary every verb ends with: counts by severity, then the verb's own facts."""
    findings = list(findings)
    text = severity_counts(findings)
    for e in (e for e in extra if e):
        text += (" " if e.startswith("in ") else ", ") + e
    worst = max((f.severity for f in findings), key=lambda s: SEVERITY_RANK[s], default=None)
    return Paint(colour).severity(worst, text) if worst in ("high", "critical") else text


def write(result, stream, colour: bool = False) -> None:
    """The `scan` text format: findings by file, skipped files, then one summary line."""
    findings = write_findings(result.findings, stream, colour)
    paint = Paint(colour)
    for s in result.skips:
        stream.write(paint.dim(f"skipped {visible(s.repo + ':' if s.repo else '')}{visible(s.path)}: {s.reason}")
                     + "\n")
    stream.write(result_summary(result, findings, colour) + "\n")


def result_summary(result, findings: Iterable[Finding] | None = None, colour: bool = False) -> str:
    """'2 findings (1 critical, 1 high) in 5 files, 0 skipped, 0.12 s': what a scan or findings run found."""
    st = result.stats
    where = f"in {plural(st.files, 'file')}" + (f" ({plural(st.records, 'record')})" if getattr(st, "records", 0) else "")
    extra = [where, f"{len(result.skips)} skipped", f"{st.seconds:.2f} s"]
    if result.suppressed:
        extra.append(f"{len(result.suppressed)} suppressed")
    return summary_line(result.findings if findings is None else findings, *extra, colour=colour)
