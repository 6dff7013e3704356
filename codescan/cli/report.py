"""`codescan report`: one self-contained HTML file from a crawl state or from scan/campaigns/filter JSON."""
from __future__ import annotations

import os
import sys

from .common import EXIT_CLEAN, UsageError

NAME = "report"


def register(sub) -> None:
    p = sub.add_parser("report", help="write an HTML report people read",
                       description="Render one self-contained HTML file (no network) from a crawl state or "
                       "from JSON written by `scan --format json`, `campaigns --format json` and `filter`.")
    p.add_argument("--state", metavar="STATE.db", help="crawl state to report on (findings, and campaigns "
                   "clustered from it unless --campaigns is given)")
    p.add_argument("--scan", action="append", default=[], metavar="JSON", help="scan/findings JSON or JSONL")
    p.add_argument("--campaigns", action="append", default=[], metavar="JSON", help="campaigns JSON")
    p.add_argument("--drops", action="append", default=[], metavar="FILE", help="filter drop report (JSON/JSONL)")
    p.add_argument("--source", action="append", default=[], metavar="ROOT",
                   help="mirror root or tree the code came from, to show campaign variants side by side")
    p.add_argument("--no-campaigns", action="store_true", help="do not cluster the state into campaigns")
    p.add_argument("--rules", action="append", default=[], metavar="DIR", help="extra rule folders (docs)")
    p.add_argument("--title", help="page title")
    p.add_argument("--output", "-o", metavar="FILE", required=True, help="HTML file to write")


def run(args) -> int:
    from ..report import gather, render

    for root in args.source:
        if not os.path.exists(root):
            raise UsageError(f"{root}: no such folder (--source names the mirror root or tree the code came from)")
    data = gather(state=args.state, scans=args.scan, campaigns=args.campaigns, drops=args.drops,
                  sources=args.source, title=args.title, rule_dirs=args.rules, cluster=not args.no_campaigns)
    page = render(data)
    tmp = f"{args.output}.tmp"
    try:
        with open(tmp, "w", encoding="utf-8") as stream:
            stream.write(page)
        os.replace(tmp, args.output)
    except OSError as exc:
        raise UsageError(f"{args.output}: cannot write: {exc.strerror or exc}") from None
    print(f"report: {args.output} ({len(data.findings)} findings, {len(data.campaigns)} campaigns)", file=sys.stderr)
    if args.state and not args.campaigns and not args.no_campaigns and not data.campaigns and _no_units(args.state):
        print(f"codescan: note: {args.state} holds no campaign units (its crawls ran with --no-units), so the report "
              "has no campaigns: crawl again without --no-units", file=sys.stderr)
    return EXIT_CLEAN


def _no_units(path: str) -> bool:
    from ..state import open_state

    with open_state(path, readonly=True) as state:
        return next(iter(state.units()), None) is None
