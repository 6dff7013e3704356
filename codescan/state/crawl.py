"""Crawl a mirror into the state: discover repositories, walk new history, read unseen blobs once, analyze them
in worker processes, and commit batches so that a killed crawl resumes without loss or duplicates."""
from __future__ import annotations

import json
import sys
import time
from dataclasses import asdict, dataclass, field
from itertools import chain
from pathlib import Path
from typing import Iterator

from ..records import Analysis, Document, Skip
from ..sources.git_blobs import BlobReader
from ..sources.git_repos import RepoSpot, discover
from .plan import RepoPlan, plan_repo
from .store import State

BATCH_BLOBS = 256      # blobs per transaction
BATCH_SECONDS = 2.0    # or sooner, so a kill loses little work
ORPHANS_KEY = "crawl_orphans"  # meta flag: some occurrence's blob is not stored yet
RETRY_REASONS = ("missing object", "cannot read object", "truncated object")


@dataclass
class CrawlStats:
    repos: int = 0
    repos_unchanged: int = 0
    repos_skipped: int = 0
    refs: int = 0
    new_commits: int = 0
    blobs_read: int = 0
    bytes_read: int = 0
    blobs_scanned: int = 0
    findings: int = 0
    skipped: int = 0
    seconds: float = 0.0
    crawl: int = 0

    def to_dict(self) -> dict:
        return asdict(self)

    def line(self) -> str:
        return (f"crawl {self.crawl}: {self.repos} repos ({self.repos_unchanged} unchanged, {self.repos_skipped} "
                f"skipped), {self.refs} refs, {self.new_commits} new commits, {self.blobs_read} blobs read "
                f"({self.bytes_read / 1e6:.1f} MB), {self.blobs_scanned} blobs scanned, {self.findings} findings, "
                f"{self.skipped} skipped, {self.seconds:.2f} s")


@dataclass
class _Batch:
    blobs: list = field(default_factory=list)
    findings: list = field(default_factory=list)
    units: list = field(default_factory=list)
    skips: list = field(default_factory=list)
    done: list = field(default_factory=list)  # blobs finished without a row (to be retried elsewhere)
    started: float = field(default_factory=time.monotonic)


class Crawler:
    """One crawl of ROOT into STATE. Blobs are keyed by id: each is read and analyzed once per state."""

    def __init__(self, state: State, ruleset, config, refs: str = "head", units: bool = True,
                 progress: bool = False):
        self.state, self.ruleset, self.config = state, ruleset, config
        self.which_refs, self.units, self.progress = refs, units, progress
        self.stats = CrawlStats()
        self.crawl = 0
        self._batch = _Batch()
        self._queued: dict[str, set[str]] = {}   # blob read this crawl, not yet committed -> repos waiting on it
        self._pending: dict[str, int] = {}       # repo -> blobs it still waits for
        self._ready: dict[str, RepoPlan] = {}    # repos whose documents are all queued
        self._origin: dict[str, tuple[str, str]] = {}  # blob -> (repo, path) it was read at
        self._bars: dict = {}
        self._orphans_flagged = False  # a blob could not be read here and may be waiting in another repository
        self._tried: set[tuple[str, str]] = set()  # (blob, repo) read attempts this crawl

    # -- driver ----------------------------------------------------------------------
    def run(self, root: str | Path) -> CrawlStats:
        start = time.monotonic()
        self.state.lock()
        root = Path(root)
        spots: list[RepoSpot] = []
        self.crawl = self.stats.crawl = self.state.begin_crawl(str(root.resolve()))
        for item in discover(root):
            if isinstance(item, Skip):
                self._batch.skips.append((item.path, ".", None, item.reason))
                self.stats.skipped += 1
            else:
                spots.append(item)
        self._open_bars(len(spots))
        try:
            docs = self._documents(spots)
            first = next(docs, None)  # an unchanged mirror never loads the analyzer
            if first is not None:
                from .keyed import analyze_blobs

                results = analyze_blobs(chain([first], docs), self.ruleset, self.config, units=self.units)
            else:
                results = iter(())
            for blob, result in results:
                self._store(blob, result)
                self._tick("blobs")
                self._maybe_flush()
            self._flush()
            if not self._orphans_flagged and self.state.get_meta(ORPHANS_KEY) == "1":
                self.state.set_meta(ORPHANS_KEY, "0")  # every orphan is stored now
        finally:
            self._close_bars()
        self.stats.seconds = round(time.monotonic() - start, 3)
        self.state.finish_crawl(self.crawl, self.stats.to_dict())
        return self.stats

    def _documents(self, spots: list[RepoSpot]) -> Iterator[Document]:
        for spot in spots:
            self.stats.repos += 1
            plan = plan_repo(spot, self.which_refs, self.state.cursors(spot.name))
            self._tick("repos")
            if plan.unchanged:
                self.stats.repos_unchanged += 1
                self.stats.refs += len(plan.refs)
                continue
            yield from self._repo_documents(plan)
            self._maybe_flush()
        yield from self._orphans()

    def _repo_documents(self, plan: RepoPlan) -> Iterator[Document]:
        spot = plan.spot
        status = "error" if plan.error else ("partial" if not plan.complete else "ok")
        skips = list(plan.skips) + ([(".", None, plan.error)] if plan.error else [])
        self.stats.skipped += len(skips)
        self.state.record_repo(self.crawl, spot.name, str(spot.gitdir), spot.bare, spot.shallow, status,
                               plan.occurrence_rows(), skips)
        if plan.error:
            self.stats.repos_skipped += 1
            return
        self.stats.refs += len(plan.refs)
        self.stats.new_commits += plan.commits
        self.state.drop_refs(spot.name, [r.name for r in plan.refs])
        first_path: dict[str, str] = {}
        for (path, blob), commit in plan.intros.items():
            first_path.setdefault(blob, path)
        known = self.state.known_blobs(first_path)
        waits = 0
        to_read = []
        for blob, path in first_path.items():
            if blob in known:
                continue
            waits += 1
            if blob in self._queued:
                self._queued[blob].add(spot.name)
            else:
                self._queued[blob] = {spot.name}
                to_read.append((blob, path))
        self._pending[spot.name] = waits
        provenance = {}
        for (path, blob), commit in plan.intros.items():
            provenance.setdefault(blob, commit)
        yield from self._read(spot.name, spot.gitdir, to_read, provenance)
        self._ready[spot.name] = plan

    def _read(self, repo: str, gitdir: Path, wanted: list[tuple[str, str]], provenance: dict
              ) -> Iterator[Document]:
        """Read each (blob, path) through one cat-file process; unreadable ones become skips."""
        with BlobReader(gitdir, self.config.max_file_size) as reader:
            for blob, path in wanted:
                got = reader.read(blob)
                self.stats.blobs_read += 1
                self._tried.add((blob, repo))
                self._origin[blob] = (repo, path)
                if got.content is None:
                    retry = got.reason.startswith(RETRY_REASONS)  # another repository may hold it
                    if not retry:
                        self._batch.blobs.append((blob, got.size, None, "skipped", got.reason, path))
                    else:
                        self._batch.done.append(blob)
                        if not self._orphans_flagged:  # durable before the cursors that skip past it
                            self.state.set_meta(ORPHANS_KEY, "1")
                            self._orphans_flagged = True
                    self._batch.skips.append((repo, path, blob, got.reason))
                    self.stats.skipped += 1
                    self._maybe_flush()
                    continue
                commit = provenance.get(blob)
                yield Document(path=path, content=got.content, repo=repo, blob=blob, trusted=False,
                               commit=commit.sha if commit else None, author=commit.author if commit else None,
                               date=commit.date if commit else None)
            self.stats.bytes_read += reader.bytes_read

    def _orphans(self) -> Iterator[Document]:
        """Blobs some repository holds (an occurrence) that no crawl has stored yet: read from a repository not
        tried in this crawl (a blob missing in one fork may be in another, a killed crawl may have left some)."""
        self._flush()
        if self.state.get_meta(ORPHANS_KEY) != "1":
            return
        rows = self.state.conn.execute(
            "SELECT o.blob, o.repo, o.path, r.gitdir FROM occurrences o JOIN repos r ON r.repo = o.repo "
            "LEFT JOIN blobs b ON b.blob = o.blob WHERE b.blob IS NULL ORDER BY o.repo, o.path").fetchall()
        by_repo: dict[tuple[str, str], list[tuple[str, str]]] = {}
        chosen: set[str] = set()
        for blob, repo, path, gitdir in rows:
            if blob in chosen or (blob, repo) in self._tried or blob in self._queued or not gitdir:
                continue
            chosen.add(blob)
            by_repo.setdefault((repo, gitdir), []).append((blob, path))
        for (repo, gitdir), wanted in by_repo.items():
            if not Path(gitdir).is_dir():
                continue
            for blob, _ in wanted:
                self._queued.setdefault(blob, set())
            yield from self._read(repo, Path(gitdir), wanted, {})

    # -- results ---------------------------------------------------------------------
    def _store(self, blob: str, result: Analysis | Skip) -> None:
        repo, path = self._origin.get(blob, (None, getattr(result, "path", "")))
        b = self._batch
        if isinstance(result, Skip):
            b.blobs.append((blob, None, None, "skipped", result.reason, path))
            b.skips.append((repo, path, blob, result.reason))
            self.stats.skipped += 1
            return
        reason = result.skips[0].reason if result.skips else None
        status = "skipped" if result.skips and not result.lines else ("partial" if result.skips else "scanned")
        b.blobs.append((blob, result.size, result.language, status, reason, path))
        for s in result.skips:
            b.skips.append((repo, path, blob, s.reason))
            self.stats.skipped += 1
        if status != "skipped":
            self.stats.blobs_scanned += 1
        for idx, f in enumerate(result.findings):
            b.findings.append((blob, idx, f.rule_id, f.category, f.severity, f.confidence, f.message, f.line,
                               f.end_line, f.column, f.end_column, f.snippet, json.dumps(list(f.cwe)), f.context,
                               f.decoded))
        self.stats.findings += len(result.findings)
        for idx, u in enumerate(getattr(result, "units", ()) or ()):
            b.units.append((blob, idx, u.kind, u.name, u.line, u.end_line, u.tokens, u.signature))

    def _maybe_flush(self) -> None:
        b = self._batch
        if len(b.blobs) >= BATCH_BLOBS or (b.blobs and time.monotonic() - b.started >= BATCH_SECONDS):
            self._flush()

    def _flush(self) -> None:
        """Commit the batch and, in the same transaction, the cursors of repositories it completes."""
        b = self._batch
        for blob in [row[0] for row in b.blobs] + b.done:
            for repo in self._queued.pop(blob, ()):
                self._pending[repo] = self._pending.get(repo, 0) - 1
            self._origin.pop(blob, None)
        done = [name for name, plan in self._ready.items() if self._pending.get(name, 0) <= 0]
        cursors = [row for name in done for row in self._ready.pop(name).cursor_rows()]
        for name in done:
            self._pending.pop(name, None)
        if b.blobs or b.skips or cursors or b.done:
            self.state.write_batch(self.crawl, b.blobs, b.findings, b.units, b.skips, cursors)
        self._batch = _Batch()

    # -- progress --------------------------------------------------------------------
    def _open_bars(self, repos: int) -> None:
        if not self.progress:
            return
        from tqdm import tqdm

        self._bars["repos"] = tqdm(total=repos, unit="repo", desc="repos", file=sys.stderr, position=0,
                                   leave=False, dynamic_ncols=True, mininterval=0.5)
        self._bars["blobs"] = tqdm(unit="blob", desc="blobs", file=sys.stderr, position=1, leave=False,
                                   dynamic_ncols=True, mininterval=0.5)

    def _tick(self, name: str) -> None:
        bar = self._bars.get(name)
        if bar is not None:
            bar.update(1)

    def _close_bars(self) -> None:
        for bar in self._bars.values():
            bar.close()
        self._bars.clear()


def crawl(root, state: State, ruleset, config, refs: str = "head", units: bool = True,
          progress: bool = False) -> CrawlStats:
    return Crawler(state, ruleset, config, refs=refs, units=units, progress=progress).run(root)
