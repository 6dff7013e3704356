"""`codescan crawl ROOT --state STATE.db`: scan every repository of a mirror, incrementally, into a state store."""
from __future__ import annotations

import json
import sys
from pathlib import Path

from ..sources.git_refs import REF_CHOICES
from .common import EXIT_CLEAN, UsageError
from .settings import config_from_args, selected_rules

NAME = "crawl"


def register(sub) -> None:
    p = sub.add_parser("crawl", help="scan a mirror of git repositories into a state store",
                       description="Discover every git repository under ROOT (bare mirrors or clones, any depth), "
                       "scan each blob reachable from the chosen refs once, and record findings with provenance in "
                       "STATE. A second crawl reads only new commits and unseen blobs.")
    p.add_argument("root", metavar="ROOT")
    p.add_argument("--state", required=True, metavar="STATE.db", help="SQLite state file (created when missing)")
    p.add_argument("--refs", default="head", metavar="WHICH",
                   help=f"{'|'.join(REF_CHOICES)} or comma-separated globs over ref names (default: head)")
    p.add_argument("--no-units", action="store_true", help="do not store campaign units (faster)")
    p.add_argument("--no-rescan", action="store_true",
                   help="when the rules changed (codescan upgraded, other --rules/--select), analyze only new blobs "
                   "and keep stored ones' old findings (default: re-analyze them once under the new rules)")
    p.add_argument("-j", "--jobs", type=int, default=None, metavar="N", help="worker processes (default: cores)")
    p.add_argument("--rules", action="append", metavar="DIR", help="add a folder (or file) of rules")
    p.add_argument("--no-builtin-rules", action="store_true", help="use only the rules given with --rules")
    p.add_argument("--select", action="append", metavar="IDS", help="only these rule ids or categories")
    p.add_argument("--ignore", action="append", metavar="IDS", help="drop these rule ids or categories")
    p.add_argument("--max-file-size", type=int, metavar="BYTES")
    p.add_argument("--file-timeout", type=float, metavar="SECONDS")
    p.add_argument("--max-memory", type=int, metavar="MIB",
                    help="address space per worker process (MiB); a file needing more fails alone "
                         "(default: three quarters of the machine shared by the workers, 2-8 GiB)")
    p.add_argument("--config", metavar="FILE", help="TOML file with codescan settings")
    p.add_argument("--json", action="store_true", help="print the crawl summary as JSON on stdout")
    p.add_argument("--no-progress", action="store_true", help="no progress bars")


def run(args) -> int:
    from ..state import open_state
    from ..state.crawl import crawl

    root = Path(args.root)
    if not root.is_dir():
        raise UsageError(f"{args.root}: not a folder")
    cfg = config_from_args(args, honour_suppressions=False)  # mirrors are third-party: suppressions do not count
    _, ruleset = selected_rules(cfg, args)
    _check_selection(root, args.refs)
    progress = not args.no_progress and sys.stderr.isatty()
    with open_state(args.state) as state:
        stats = crawl(root, state, ruleset, cfg, refs=args.refs, units=not args.no_units, progress=progress,
                      rescan=not args.no_rescan, note=lambda text: print(f"codescan: {text}", file=sys.stderr))
    print(stats.line(), file=sys.stderr)
    if args.json:
        json.dump(stats.to_dict(), sys.stdout, indent=2)
        sys.stdout.write("\n")
    return EXIT_CLEAN


def _check_selection(root: Path, refs: str) -> None:
    """A ROOT without repositories, or a --refs that no repository has, would crawl nothing and look clean: say so
    before the state is touched (a crawl that selects nothing must not disturb what a later crawl re-analyzes)."""
    from ..sources.git_refs import GitReadError, select_refs
    from ..sources.git_repos import RepoSpot, discover

    spots = [s for s in discover(root) if isinstance(s, RepoSpot)]
    if not spots:
        raise UsageError(f"{root}: no git repositories under it (bare mirrors or clones, at any depth)")
    if refs == "head":
        return  # an empty repository is that repository's skip
    for spot in spots:
        try:
            if select_refs(spot.gitdir, refs):
                return
        except GitReadError:
            continue
    count = f"{len(spots)} repository" if len(spots) == 1 else f"{len(spots)} repositories"
    raise UsageError(f"--refs {refs} matches no ref in the {count} under {root} (a glob matches a full name such as "
                     "refs/heads/main or what follows refs/heads/ or refs/tags/; --refs all follows every ref)")
