"""`codescan campaigns --state STATE.db` or `codescan campaigns PATH...`: near-duplicate code planted
across repositories, scored and explained."""
from __future__ import annotations

import sys
from pathlib import Path

from .common import EXIT_CLEAN, UsageError, add_color_flag, wants_colour

NAME = "campaigns"


def register(sub) -> None:
    p = sub.add_parser("campaigns", help="find code planted across repositories (near-duplicate campaigns)",
                       description="Cluster functions, classes, statement groups, files and rare lines across "
                       "repositories and rank the clusters: many repositories and identities, introduced within "
                       "days, findings inside and rarity raise the score. Read a crawl's state (--state) or "
                       "plain folders (each git working tree, else each top-level folder, is a repository).")
    p.add_argument("paths", nargs="*", metavar="PATH")
    p.add_argument("--state", metavar="STATE.db", help="the state store a crawl wrote")
    p.add_argument("--format", "-f", choices=("text", "json"), default="text")
    p.add_argument("--output", "-o", metavar="FILE", help="write the report here instead of stdout")
    p.add_argument("--threshold", type=float, default=0.7, help="Jaccard a near-duplicate link needs (default 0.7)")
    p.add_argument("--min-repos", type=int, default=2, help="repositories a campaign spans at least (default 2)")
    p.add_argument("--min-score", type=float, default=0.0,
                   help="leave out campaigns scoring below this (50: only those that look planted)")
    p.add_argument("--limit", type=int, default=None, metavar="N", help="report the N highest campaigns")
    p.add_argument("--no-findings", action="store_true", help="PATH mode: cluster only, do not run the rules")
    p.add_argument("--no-progress", action="store_true")
    add_color_flag(p)


def run(args) -> int:
    from ..cluster.api import campaigns_from_documents, campaigns_from_state

    if not 0.0 < args.threshold <= 1.0:
        raise UsageError("--threshold must be in (0, 1]")
    if args.min_repos < 2:
        raise UsageError("--min-repos must be 2 or more")
    if not 0 <= args.min_score <= 100:
        raise UsageError("--min-score must be between 0 and 100 (campaign scores are 0-100; 50: looks planted)")
    if args.limit is not None and args.limit < 1:
        raise UsageError("--limit must be 1 or more")
    if bool(args.state) == bool(args.paths):
        raise UsageError("give either --state STATE.db or PATH... (one of them)")
    opts = {"threshold": args.threshold, "min_repos": args.min_repos}
    if args.state:
        from ..state import open_state

        if not Path(args.state).exists():
            raise UsageError(f"{args.state}: no such state file")
        with open_state(args.state) as state:
            campaigns = campaigns_from_state(state, **opts)
            if not campaigns:
                _check_state(state, args.state, args.min_repos)
    else:
        from ..cluster.tree import documents

        for raw in args.paths:
            if not Path(raw).is_dir():
                raise UsageError(f"{raw}: not a folder")
        _check_repositories(args.paths, args.min_repos)
        campaigns = campaigns_from_documents(documents(args.paths), findings=not args.no_findings,
                                             progress=not args.no_progress and sys.stderr.isatty(), **opts)
    found = len(campaigns)
    campaigns = [c for c in campaigns if c.score >= args.min_score][:args.limit]
    stream = open(args.output, "w", encoding="utf-8") if args.output else sys.stdout
    try:
        if args.format == "json":
            from ..outputs.json_campaigns import write_campaigns_json

            write_campaigns_json(campaigns, stream)  # a campaign's dict at a time, same bytes as the whole document
            stream.write("\n")
        else:
            from ..outputs.text_campaigns import write_campaigns

            if not campaigns and found:
                stream.write(f"No campaigns shown: {found} campaign{'' if found == 1 else 's'} found, none scores "
                             f"{args.min_score:g} or more (--min-score).\n")
            elif not campaigns:
                stream.write("No campaigns: nothing was found in more than one repository.\n")
            else:
                write_campaigns(campaigns, stream, colour=wants_colour(args, stream.isatty()))
    finally:
        if args.output:
            stream.close()
    return EXIT_CLEAN


def _check_repositories(paths: list[str], min_repos: int) -> None:
    """Fewer repositories than a campaign spans can only answer 'no campaigns': say what was found instead."""
    from ..cluster.tree import plan

    repos = plan(paths)
    if not repos:
        raise UsageError(f"no files to cluster under {', '.join(paths)}")
    if len(repos) < min_repos:
        names = ", ".join(name for name, _, _ in repos)
        raise UsageError(f"found {len(repos)} {'repository' if len(repos) == 1 else 'repositories'} ({names}) under {', '.join(paths)}; a campaign spans "
                         f"--min-repos {min_repos}: give a folder of repositories or several PATHs")


def _check_state(state, path: str, min_repos: int) -> None:
    """No campaign from a state: say so when it could not have held one (no units stored, too few repositories)."""
    repos = state.conn.execute("SELECT COUNT(*) FROM repos").fetchone()[0]
    if repos < min_repos:
        raise UsageError(f"{path} holds {repos} {'repository' if repos == 1 else 'repositories'}; a campaign spans "
                         f"--min-repos {min_repos}: crawl a ROOT holding more")
    if next(iter(state.units()), None) is None:
        raise UsageError(f"{path} holds no campaign units (its crawls ran with --no-units): crawl again without "
                         "--no-units to cluster it")
