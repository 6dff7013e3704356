"""What one repository contributes to a crawl: its refs, the commits new since the last crawl, and each
(path, blob) they introduced with the earliest commit that did."""
from __future__ import annotations

from dataclasses import dataclass, field

from ..sources.git_history import MODE_SUBMODULE, MODE_SYMLINK, Commit, walk
from ..sources.git_refs import GitReadError, Ref, select_refs
from ..sources.git_repos import RepoSpot

SHALLOW_NOTE = ("shallow clone: history before the shallow boundary is missing, so the boundary commit is named "
                "as introducing older files")


@dataclass
class RepoPlan:
    spot: RepoSpot
    refs: list[Ref] = field(default_factory=list)
    unchanged: bool = False
    complete: bool = True           # the walk finished: cursors may advance once the blobs are stored
    commits: int = 0
    intros: dict = field(default_factory=dict)   # (path, blob) -> Commit
    skips: list[tuple] = field(default_factory=list)  # (path, blob, reason)
    error: str | None = None        # the repository could not be read at all
    excluded: bool = False          # readable, but --refs selects none of its refs (not an error of the repository)

    def ref_of(self) -> dict[str, str]:
        """Tip commit -> the ref named for occurrences reached from it (head first, then by name)."""
        out: dict[str, str] = {}
        for ref in self.refs:
            out.setdefault(ref.commit, ref.name)
        return out

    def occurrence_rows(self) -> list[tuple]:
        """One row per (path, blob) with the introducing commit and a ref through which that commit is reachable
        (from the same history walk: no git call per blob)."""
        refs = self.ref_of()
        only = self.refs[0].name if len(self.refs) == 1 else None
        return [(path, blob, refs.get(c.source, only), c.sha, c.author, c.email, c.date, c.committer_date,
                 c.timestamp) for (path, blob), c in self.intros.items()]

    def cursor_rows(self) -> list[tuple]:
        return [(self.spot.name, r.name, r.commit) for r in self.refs] if self.complete else []


def _decode_path(raw: bytes) -> str:
    """A path as stored and shown: bytes that are not UTF-8 become \\xNN (the blob is scanned all the same:
    skipping it would let a file hide behind one odd byte in its name)."""
    return raw.decode("utf-8", "backslashreplace")


def plan_repo(spot: RepoSpot, which_refs: str, cursors: dict[str, str]) -> RepoPlan:
    """Walk the commits reachable from the chosen refs and not from the last crawl's cursors (one `git log`)."""
    plan = RepoPlan(spot)
    try:
        plan.refs = select_refs(spot.gitdir, which_refs)
    except GitReadError as exc:
        plan.error = f"cannot read refs (corrupt or partial repository): {exc}"
        return plan
    if not plan.refs:
        plan.error = ("empty repository (no commits)" if which_refs == "head"
                      else f"no refs match --refs {which_refs}")
        plan.excluded = which_refs != "head"
        return plan
    current = {r.name: r.commit for r in plan.refs}
    if all(cursors.get(name) == commit for name, commit in current.items()):
        plan.unchanged = True
        return plan
    if spot.shallow:
        plan.skips.append((".", None, SHALLOW_NOTE))
    tips = sorted(set(current.values()))
    stop = sorted(set(cursors.values()) - set(tips))
    try:
        _collect(plan, walk(spot.gitdir, tips, stop))
    except GitReadError as exc:
        if stop and plan.commits == 0:  # an old cursor commit is gone (force-push + gc): walk everything
            try:
                _collect(plan, walk(spot.gitdir, tips, []))
                return plan
            except GitReadError as again:
                exc = again
        plan.complete = False
        plan.skips.append((".", None, f"history walk failed, findings may be incomplete: {exc}"))
    return plan


def _collect(plan: RepoPlan, commits) -> None:
    submodules: set[str] = set()
    for commit, changes in commits:
        plan.commits += 1
        for change in changes:
            if change.mode == MODE_SYMLINK:
                continue
            path = _decode_path(change.path)
            if change.mode == MODE_SUBMODULE:
                if path not in submodules:  # newest first: the latest pinned commit is named
                    submodules.add(path)
                    plan.skips.append((path, None, f"submodule at commit {change.blob} (recorded, not followed)"))
                continue
            _introduce(plan.intros, (path, change.blob), commit)


def _introduce(intros: dict, key: tuple[str, str], commit: Commit) -> None:
    """Keep the earliest commit (log order is newest first, so ties go to the later-listed one)."""
    held = intros.get(key)
    if held is None or commit.timestamp <= held.timestamp:
        intros[key] = commit
