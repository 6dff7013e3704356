"""Inline suppressions: `codescan: ignore[rule-id, category]` on the line or the line above."""
from __future__ import annotations

import re

from ..records import Finding

_MARK = re.compile(r"codescan:\s*ignore(?:\[([^\]]*)\])?", re.IGNORECASE)


def _names(line: str) -> set[str] | None:
    """The ids a line suppresses: None for none, an empty set for all."""
    match = _MARK.search(line)
    if not match:
        return None
    if match.group(1) is None:
        return set()
    return {part.strip() for part in match.group(1).split(",") if part.strip()}


def _covers(names: set[str] | None, finding: Finding) -> bool:
    return names is not None and (not names or finding.rule_id in names or finding.category in names)


def apply(findings: list[Finding], lines: list[str]) -> tuple[list[Finding], tuple[Finding, ...]]:
    """Split findings into (kept, suppressed). Only for trusted code: callers decide."""
    kept, dropped = [], []
    for f in findings:
        same = _names(lines[f.line - 1]) if 0 < f.line <= len(lines) else None
        above = _names(lines[f.line - 2]) if 1 < f.line <= len(lines) + 1 else None
        # A mark on the line above counts only when that line is a comment of its own.
        if above is not None and 1 < f.line and not lines[f.line - 2].lstrip().startswith(("#", "//", "/*", "*", "--")):
            above = None
        (dropped if _covers(same, f) or _covers(above, f) else kept).append(f)
    return kept, tuple(dropped)
