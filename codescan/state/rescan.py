"""Stored analyses made under other rules than this crawl's: where to read each blob again (any repository holding
it), grouped so that each repository is read through one cat-file process."""
from __future__ import annotations

from pathlib import Path

from .store import State

DIGEST_KEY = "rules_digest"  # meta: every stored analysis was made under this digest (absent: unknown/mixed)


def needs_rescan(state: State, digest: str) -> bool:
    return state.get_meta(DIGEST_KEY) != digest


def stale_reads(state: State, digest: str, busy) -> tuple[int, dict[tuple[str, Path], dict[str, list]]]:
    """(how many stale analyses, {(repo, gitdir): {blob: [(kind, path), ...]}}); keys in `busy` are left out
    (being analyzed right now). A stale blob no listed repository holds any more stays stale."""
    stale = [row for row in state.stale(digest) if (row[0], row[1]) not in busy]
    if not stale:
        return 0, {}
    wanted: dict[str, list] = {}
    for blob, kind, path in stale:
        wanted.setdefault(blob, []).append((kind, path))
    holder: dict[str, tuple[str, str]] = {}
    for blob, repo, gitdir in state.conn.execute(
            "SELECT o.blob, o.repo, r.gitdir FROM occurrences o JOIN repos r ON r.repo = o.repo "
            "WHERE r.status != 'error' ORDER BY o.repo"):
        if blob in wanted and blob not in holder and gitdir and Path(gitdir).is_dir():
            holder[blob] = (repo, gitdir)
    plan: dict[tuple[str, Path], dict[str, list]] = {}
    for blob, kinds in wanted.items():
        if blob in holder:
            repo, gitdir = holder[blob]
            plan.setdefault((repo, Path(gitdir)), {})[blob] = kinds
    return len(stale), plan
