"""`codescan mirror sync URLS.txt --into ROOT`: create or update one bare mirror per URL, in parallel."""
from __future__ import annotations

import sys
from pathlib import Path

from .common import EXIT_CLEAN, EXIT_FINDINGS, UsageError

NAME = "mirror"


def register(sub) -> None:
    p = sub.add_parser("mirror", help="keep git mirrors fresh", description="Manage a folder of bare mirrors.")
    verbs = p.add_subparsers(dest="mirror_verb", metavar="ACTION")
    s = verbs.add_parser("sync", help="clone --mirror or fetch --prune each URL of a list",
                         description="Create (clone --mirror) or update (fetch --prune) ROOT/<owner>/<name>.git for "
                         "each URL in the list (one per line, optionally followed by the mirror's path). Git runs "
                         "with hooks, fsmonitor, credential helpers and repository-named commands switched off. "
                         "A failing remote is reported and the rest go on; exit 1 when any failed.")
    s.add_argument("urls", metavar="URLS.txt")
    s.add_argument("--into", required=True, metavar="ROOT")
    s.add_argument("-j", "--jobs", type=int, default=4, metavar="N", help="remotes synced at once (default 4)")
    s.add_argument("--timeout", type=float, default=3600.0, metavar="SECONDS", help="per remote (default 3600)")


def run(args) -> int:
    from ..sources.git_mirror import read_list, sync_all

    if getattr(args, "mirror_verb", None) != "sync":
        raise UsageError("usage: codescan mirror sync URLS.txt --into ROOT [-j N]")
    if args.jobs < 1:
        raise UsageError("--jobs must be 1 or more")
    if args.timeout <= 0:
        raise UsageError("--timeout must be more than 0 seconds")
    remotes = read_list(args.urls)

    def report(result) -> None:
        where = f"{result.remote.name} ({result.remote.url})"
        if result.error:
            print(f"failed  {where}: {result.error}", file=sys.stderr)
        else:
            print(f"{result.action:<7} {where} in {result.seconds:.1f} s", file=sys.stderr)

    results = sync_all(remotes, Path(args.into), jobs=args.jobs, timeout=args.timeout, on_done=report)
    failed = sum(1 for r in results if r.error)
    print(f"mirror sync: {len(results)} remotes, {sum(r.action == 'cloned' for r in results)} cloned, "
          f"{sum(r.action == 'fetched' for r in results)} fetched, {failed} failed", file=sys.stderr)
    return EXIT_FINDINGS if failed else EXIT_CLEAN
