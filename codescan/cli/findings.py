"""`codescan findings --state STATE.db`: list a crawl's findings (or only new ones) for people, CI and cron."""
from __future__ import annotations

from ..config import load as load_config
from ..outputs import FORMATS
from ..records import SEVERITIES, Skip
from ..rules import load_rules
from .common import EXIT_CLEAN, EXIT_FINDINGS, UsageError, add_color_flag, emit

NAME = "findings"


def register(sub) -> None:
    p = sub.add_parser("findings", help="list findings recorded by crawls",
                       description="List the findings in a crawl state, one per place they occur, with the commit, "
                       "author and date that introduced them. Exit 1 when a listed finding is at or above --fail-on.")
    p.add_argument("--state", required=True, metavar="STATE.db")
    p.add_argument("--new", action="store_true", help="only findings first recorded by the latest crawl")
    p.add_argument("--since", metavar="DATE", help="only findings first recorded by a crawl at or after DATE "
                   "(ISO-8601 date or date-time, UTC unless it says otherwise)")
    p.add_argument("--format", "-f", choices=sorted(FORMATS), default="text")
    p.add_argument("--output", "-o", metavar="FILE", help="write the report here instead of stdout")
    p.add_argument("--fail-on", choices=(*SEVERITIES, "none"), default=None,
                   help="exit 1 when a listed finding is at or above this severity (default: high)")
    p.add_argument("--config", metavar="FILE", help="TOML file with codescan settings")
    add_color_flag(p)


def run(args) -> int:
    from ..pipeline import ScanResult, Stats
    from ..state import open_state

    cfg = load_config(args.config)
    if args.since is not None:
        _check_since(args.since)
    fail_on = args.fail_on or cfg.fail_on
    with open_state(args.state, readonly=True) as state:
        found = tuple(state.findings(new=args.new, since=args.since))
        skips = tuple(Skip(s.get("path", "."), s["reason"], s.get("repo")) for s in state.skips())
        summary = state.summary()
    last = (summary.get("last_crawl") or {}).get("stats") or {}
    # Files: every blob the state holds an analysis of, not what the latest crawl happened to read (often 0).
    stats = Stats(files=summary.get("blobs_scanned", last.get("blobs_scanned", 0)), bytes=last.get("bytes_read", 0),
                  seconds=last.get("seconds", 0.0))
    ruleset = load_rules(cfg.rules)
    result = ScanResult(findings=found, skips=skips, suppressed=(), stats=stats, ruleset=ruleset)
    emit(result, args)
    return EXIT_FINDINGS if result.failing(fail_on) else EXIT_CLEAN


def _check_since(value: str) -> None:
    """--since must be an ISO date or date-time that is not in the future, else it would select nothing."""
    from datetime import datetime, timezone

    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise UsageError(f"--since {value!r} is not a date: give an ISO-8601 date or date-time such as "
                         "2024-05-01 or 2024-05-01T12:00+02:00") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    if moment > datetime.now(timezone.utc):
        raise UsageError(f"--since {value} is in the future: no crawl has recorded anything then")
