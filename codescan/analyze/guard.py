"""Fences around each analysis stage: an error loses that stage's work only, and what cut a file short is reported."""
from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator

from ..records import Skip
from .budget import OverBudget
from .context import MAX_PER_RULE, Context

EXHAUSTED = "analysis-exhausted"  # the finding that says a file defeated part of its analysis


@contextmanager
def stage(ctx: Context, name: str) -> Iterator[None]:
    """Run one detector or pass: a bound (OverBudget) ends the file's analysis; any other error, or a
    nesting too deep for Python, is noted and the next stage runs. Findings made so far are kept."""
    try:
        yield
    except OverBudget:
        raise
    except RecursionError:
        ctx.problems.append(f"{name}: nesting too deep to analyze")
    except Exception as exc:  # noqa: BLE001 - attacker input must not take the file's other findings with it
        ctx.problems.append(f"{name} failed: {type(exc).__name__}: {str(exc)[:200]}")


def report(ctx: Context, skips: list[Skip], bound: OverBudget | None, label: str) -> None:
    """Turn what went wrong into skips (named in every report) and one `analysis-exhausted` finding
    (obfuscation, high: `filter` drops the file by default), and summarize capped rules."""
    doc = ctx.doc
    reasons = []
    if bound is not None:
        reasons.append(f"analysis exceeded the per-file {label} budget ({bound.detail}); findings so far are reported")
    reasons.extend(f"{p}; findings so far are reported" for p in ctx.problems)
    for reason in reasons:
        skips.append(Skip(doc.path, reason, doc.repo))
    for gap in ctx.partial:
        skips.append(Skip(doc.path, f"{gap}; the file's other findings are reported", doc.repo))
    for rule_id, extra in sorted(ctx.over_cap.items()):
        at = next((i for i, f in enumerate(ctx.findings) if f.rule_id == rule_id), None)
        if at is not None:  # the first finding of the rule carries the count of those left out
            first = ctx.findings[at]
            ctx.findings[at] = first.with_(message=f"{first.message} ({extra} more {rule_id} findings in this "
                                                   f"file are not listed; the first {MAX_PER_RULE} are)")
    if reasons and ctx.wants(EXHAUSTED):
        ctx.emit(EXHAUSTED, 1, message=f"this file defeated its analysis ({'; '.join(reasons)[:400]}): "
                                       "inputs built to exhaust or crash a scanner hide what they carry",
                 snippet=ctx.line_text(1).strip(), context="code")
