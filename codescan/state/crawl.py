"""Crawl a mirror into the state: discover repositories, walk new history, read unseen blobs once, analyze them
in worker processes, and commit batches so that a killed crawl resumes without loss or duplicates."""
from __future__ import annotations

import json
import time
from dataclasses import asdict, dataclass, field
from itertools import chain
from pathlib import Path
from typing import Iterator

from ..records import Analysis, Document, Skip
from ..sources.git_blobs import BlobReader
from ..sources.git_repos import RepoSpot, discover, shown
from ..unit_columns import PackedUnits, rows
from .digest import rules_digest
from .kinds import READ_SKIP, path_kind
from .plan import RepoPlan, plan_repo
from .progress import Bars
from .rescan import DIGEST_KEY, needs_rescan, stale_reads
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
    findings: int = 0  # new findings as `codescan findings --new` lists them: once per repo, path and place
    blob_findings: int = 0  # findings in the blobs this crawl analyzed (a blob at many paths counts once)
    skipped: int = 0
    seconds: float = 0.0
    crawl: int = 0
    reanalyzed: int = 0  # stored analyses made again because the rules changed

    def to_dict(self) -> dict:
        return asdict(self)

    def line(self) -> str:
        """One short line: counts that are zero and say nothing (no skipped repositories) are left out."""
        repos = _n(self.repos, "repo")
        extra = [f"{n} {what}" for n, what in ((self.repos_unchanged, "unchanged"), (self.repos_skipped, "skipped"))
                 if n]
        if extra:
            repos += f" ({', '.join(extra)})"
        parts = [repos, _n(self.refs, "ref"), _n(self.new_commits, "new commit"),
                 f"{_n(self.blobs_read, 'blob')} read ({_size(self.bytes_read)})",
                 f"{self.blobs_scanned} analyzed" + (f" ({self.reanalyzed} again, new rules)" if self.reanalyzed
                                                      else "")]
        parts[-1] += f" with {_n(self.blob_findings, 'finding')}"
        parts += [f"listed as {_n(self.findings, 'new finding')}", f"{self.skipped} skipped"]
        return f"crawl {self.crawl}: {', '.join(parts)} in {self.seconds:.1f} s"


def _n(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def _size(count: int) -> str:
    for unit, scale in (("GB", 1e9), ("MB", 1e6), ("kB", 1e3)):
        if count >= scale:
            return f"{count / scale:.1f} {unit}"
    return f"{count} B"


@dataclass
class _Batch:
    blobs: list = field(default_factory=list)
    analyses: list = field(default_factory=list)
    findings: list = field(default_factory=list)
    units: dict = field(default_factory=dict)  # blob -> its units' rows (unit_columns.rows)
    skips: list = field(default_factory=list)
    done: list = field(default_factory=list)  # keys finished without a row (to be retried elsewhere)
    started: float = field(default_factory=time.monotonic)


Key = tuple[str, str]  # (blob, kind): a blob is analyzed once per kind of path it occurs at


class Crawler:
    """One crawl of ROOT into STATE. Blobs are keyed by id and path kind: each is analyzed once per kind per state,
    and again when the rules change (unless rescan=False)."""

    def __init__(self, state: State, ruleset, config, refs: str = "head", units: bool = True,
                 progress: bool = False, rescan: bool = True, note=None):
        self.state, self.ruleset, self.config = state, ruleset, config
        self.which_refs, self.units, self.progress, self.rescan = refs, units, progress, rescan
        self.digest = rules_digest(ruleset)
        self.stats = CrawlStats()
        self.crawl = 0
        self._note = note
        self._batch = _Batch()
        self._queued: dict[Key, set[str]] = {}   # key read this crawl, not yet committed -> repos waiting on it
        self._pending: dict[str, int] = {}       # repo -> keys it still waits for
        self._ready: dict[str, RepoPlan] = {}    # repos whose documents are all queued
        self._origin: dict[Key, tuple[str, str]] = {}  # key -> (repo, path) it was read at
        self._bars = Bars(progress)
        self._sizes: dict[Key, int] = {}  # bytes of each blob in the analyzer (for the progress line)
        self._orphans_flagged = False  # a blob could not be read here and may be waiting in another repository
        self._tried: set[tuple[str, str]] = set()  # (blob, repo) read attempts this crawl
        self._rescan_left = 0  # stale analyses not re-analyzed (yet) in this crawl

    # -- driver ----------------------------------------------------------------------
    def run(self, root: str | Path) -> CrawlStats:
        start = time.monotonic()
        self.state.lock()
        root = Path(root)
        spots: list[RepoSpot] = []
        self.crawl = self.stats.crawl = self.state.begin_crawl(str(root.resolve()))
        stale_rules = needs_rescan(self.state, self.digest)
        if stale_rules and not self.rescan:
            self.state.set_meta(DIGEST_KEY, "")  # analyses under mixed rules from now on
        for item in discover(root):
            if isinstance(item, Skip):
                self._batch.skips.append((item.path, ".", None, item.reason))
                self.stats.skipped += 1
            else:
                spots.append(item)
        self._bars.open(len(spots))
        try:
            docs = self._counted(chain(self._documents(spots), self._rescans() if stale_rules and self.rescan else ()))
            first = next(docs, None)  # an unchanged mirror never loads the analyzer
            if first is not None:
                from .keyed import analyze_blobs

                results = analyze_blobs(chain([first], docs), self.ruleset, self.config, units=self.units)
            else:
                results = iter(())
            for key, result in results:
                self._store(key, result)
                found = result.analysis.findings if isinstance(result, PackedUnits) else getattr(result, "findings", ())
                self._bars.tick("blobs", len(found), self._sizes.pop(key, 0))
                self._maybe_flush()
            self._flush()
            if not self._orphans_flagged and self.state.get_meta(ORPHANS_KEY) == "1":
                self.state.set_meta(ORPHANS_KEY, "0")  # every orphan is stored now
            if stale_rules and self.rescan and self._rescan_left == 0:
                self.state.set_meta(DIGEST_KEY, self.digest)  # every analysis is under these rules now
        finally:
            self._bars.close()
        self.stats.seconds = round(time.monotonic() - start, 3)
        self.state.finish_crawl(self.crawl, self.stats.to_dict())
        # The listing places each finding at every (repo, path) it occurs and folds later versions into the
        # introduction: count it the same way, so the summary and `codescan findings --new` say one number.
        self.stats.findings = sum(1 for _ in self.state.findings(new=True))
        self.state.finish_crawl(self.crawl, self.stats.to_dict())
        return self.stats

    def _counted(self, docs: Iterator[tuple[Key, Document]]) -> Iterator[tuple[Key, Document]]:
        for key, doc in docs:
            if self.progress:
                self._sizes[key] = len(doc.content)
            self._bars.tick("queued", size=len(doc.content))
            yield key, doc

    def _documents(self, spots: list[RepoSpot]) -> Iterator[tuple[Key, Document]]:
        for spot in spots:
            self.stats.repos += 1
            try:
                plan = plan_repo(spot, self.which_refs, self.state.cursors(spot.name))
            except Exception as exc:  # noqa: BLE001 - one bad repository never stops a crawl; the skip says why
                plan = RepoPlan(spot, error=f"cannot crawl this repository: {type(exc).__name__}: {exc}"[:300])
            self._bars.tick("repos")
            if plan.unchanged:
                self.stats.repos_unchanged += 1
                self.stats.refs += len(plan.refs)
                continue
            yield from self._repo_documents(plan)
            self._maybe_flush()
        yield from self._orphans()

    def _repo_documents(self, plan: RepoPlan) -> Iterator[tuple[Key, Document]]:
        spot = plan.spot
        # A repository --refs leaves out is not broken: its blobs stay readable for re-analysis under new rules.
        status = "excluded" if plan.excluded else "error" if plan.error else ("partial" if not plan.complete else "ok")
        skips = list(plan.skips) + ([(".", None, plan.error)] if plan.error else [])
        self.stats.skipped += len(skips)
        self.state.record_repo(self.crawl, spot.name, shown(str(spot.gitdir)), spot.bare, spot.shallow, status,
                               plan.occurrence_rows(), skips)
        if plan.error:
            self.stats.repos_skipped += 1
            return
        self.stats.refs += len(plan.refs)
        self.stats.new_commits += plan.commits
        self.state.drop_refs(spot.name, [r.name for r in plan.refs])
        first_path: dict[Key, str] = {}
        for path, blob in plan.intros:
            first_path.setdefault((blob, path_kind(path)), path)
        known = self.state.analyzed(first_path)
        waits = 0
        to_read: dict[str, list[tuple[str, str]]] = {}
        for key, path in first_path.items():
            if key in known:
                continue
            waits += 1
            if key in self._queued:
                self._queued[key].add(spot.name)
            else:
                self._queued[key] = {spot.name}
                to_read.setdefault(key[0], []).append((key[1], path))
        self._pending[spot.name] = waits
        yield from self._read(spot.name, spot.gitdir, _by_path(to_read, plan.intros), plan.intros)
        self._ready[spot.name] = plan

    def _read(self, repo: str, gitdir: Path, wanted: dict[str, list[tuple[str, str]]], provenance: dict,
              rescan: bool = False) -> Iterator[tuple[Key, Document]]:
        """Read each blob once through one cat-file process and hand it out once per kind it is wanted as;
        unreadable ones become skips."""
        with BlobReader(gitdir, self.config.max_file_size) as reader:
            for blob, kinds in wanted.items():
                got = reader.read(blob)
                self.stats.blobs_read += 1
                self._tried.add((blob, repo))
                if got.content is None:
                    self._unreadable(repo, blob, kinds, got.reason, got.size, rescan)
                    continue
                if rescan:
                    self.stats.reanalyzed += len(kinds)
                for kind, path in kinds:
                    self._origin[(blob, kind)] = (repo, path)
                    commit = provenance.get((path, blob))
                    yield (blob, kind), Document(
                        path=path, content=got.content, repo=repo, blob=blob, trusted=False,
                        commit=commit.sha if commit else None, author=commit.author if commit else None,
                        date=commit.date if commit else None)
            self.stats.bytes_read += reader.bytes_read

    def _unreadable(self, repo: str, blob: str, kinds: list[tuple[str, str]], reason: str, size: int,
                    rescan: bool) -> None:
        path = kinds[0][1]
        b = self._batch
        b.skips.append((repo, path, blob, reason))
        self.stats.skipped += 1
        if rescan:  # the old analysis stays; a later crawl tries again
            self._rescan_left += len(kinds)
        elif reason.startswith(RETRY_REASONS):  # another repository may hold it
            b.done.extend((blob, kind) for kind, _ in kinds)
            if not self._orphans_flagged:  # durable before the cursors that skip past it
                self.state.set_meta(ORPHANS_KEY, "1")
                self._orphans_flagged = True
        else:
            b.blobs.append((blob, size, None, "skipped", reason, path))
            b.analyses.append((blob, READ_SKIP, None, "skipped", None, reason, path))
            b.done.extend((blob, kind) for kind, _ in kinds)
        self._maybe_flush()

    def _orphans(self) -> Iterator[tuple[Key, Document]]:
        """Occurrences whose (blob, kind) no crawl has stored yet: read from a repository not tried in this crawl
        (a blob missing in one fork may be in another, a killed crawl may have left some)."""
        self._flush()
        if self.state.get_meta(ORPHANS_KEY) != "1":
            return
        rows = self.state.conn.execute(
            "SELECT o.blob, o.kind, o.repo, o.path, r.gitdir FROM occurrences o JOIN repos r ON r.repo = o.repo "
            "LEFT JOIN analyses a ON a.blob = o.blob AND (a.kind = o.kind OR a.kind = ?) "
            "WHERE a.blob IS NULL ORDER BY o.repo, o.path", (READ_SKIP,)).fetchall()
        by_repo: dict[tuple[str, str], dict[str, list]] = {}
        chosen: set[Key] = set()
        for blob, kind, repo, path, gitdir in rows:
            key = (blob, kind)
            if key in chosen or (blob, repo) in self._tried or key in self._queued or not gitdir:
                continue
            chosen.add(key)
            by_repo.setdefault((repo, gitdir), {}).setdefault(blob, []).append((kind, path))
        for (repo, gitdir), wanted in by_repo.items():
            if not Path(gitdir).is_dir():
                continue
            for blob, kinds in wanted.items():
                for kind, _ in kinds:
                    self._queued.setdefault((blob, kind), set())
            yield from self._read(repo, Path(gitdir), wanted, {})

    def _rescans(self) -> Iterator[tuple[Key, Document]]:
        """Stored analyses made under other rules: read their blobs again and analyze them with this crawl's."""
        self._flush()
        count, plan = stale_reads(self.state, self.digest, self._queued)
        if not count:
            return
        placed = sum(len(kinds) for wanted in plan.values() for kinds in wanted.values())
        self._rescan_left += count - placed
        self._say(f"rules changed since {count} stored analyses were made: re-analyzing them "
                  "(--no-rescan keeps their old findings)")
        self._bars.phase("re-analyzing")
        for (repo, gitdir), wanted in plan.items():
            for blob, kinds in wanted.items():
                for kind, _ in kinds:
                    self._queued.setdefault((blob, kind), set())
            yield from self._read(repo, gitdir, wanted, {}, rescan=True)

    def _say(self, message: str) -> None:
        if self._note is not None:
            self._bars.write(self._note, message)

    # -- results ---------------------------------------------------------------------
    def _store(self, key: Key, result: Analysis | Skip | PackedUnits) -> None:
        result, units = rows(result)  # a worker's units as the state's rows, from the columns it sent
        blob, kind = key
        repo, path = self._origin.get(key, (None, getattr(result, "path", "")))
        b = self._batch
        if isinstance(result, Skip):
            b.blobs.append((blob, None, None, "skipped", result.reason, path))
            b.analyses.append((blob, kind, self.digest, "skipped", None, result.reason, path))
            b.skips.append((repo, path, blob, result.reason))
            self.stats.skipped += 1
            return
        reason = result.skips[0].reason if result.skips else None
        status = "skipped" if result.skips and not result.lines else ("partial" if result.skips else "scanned")
        b.blobs.append((blob, result.size, result.language, status, reason, path))
        b.analyses.append((blob, kind, self.digest, status, result.language, reason, path))
        for s in result.skips:
            b.skips.append((repo, path, blob, s.reason))
            self.stats.skipped += 1
        if status != "skipped":
            self.stats.blobs_scanned += 1
        for idx, f in enumerate(result.findings):
            b.findings.append((blob, kind, idx, f.rule_id, f.category, f.severity, f.confidence, f.message, f.line,
                               f.end_line, f.column, f.end_column, f.snippet, json.dumps(list(f.cwe)), f.context,
                               f.decoded))
        self.stats.blob_findings += len(result.findings)
        if units:
            b.units.setdefault(blob, []).extend(units)

    def _maybe_flush(self) -> None:
        b = self._batch
        if len(b.analyses) >= BATCH_BLOBS or (b.analyses and time.monotonic() - b.started >= BATCH_SECONDS):
            self._flush()

    def _flush(self) -> None:
        """Commit the batch and, in the same transaction, the cursors of repositories it completes."""
        b = self._batch
        for key in [(a[0], a[1]) for a in b.analyses] + b.done:
            for repo in self._queued.pop(key, ()):
                self._pending[repo] = self._pending.get(repo, 0) - 1
            self._origin.pop(key, None)
        done = [name for name, plan in self._ready.items() if self._pending.get(name, 0) <= 0]
        cursors = [row for name in done for row in self._ready.pop(name).cursor_rows()]
        for name in done:
            self._pending.pop(name, None)
        if b.analyses or b.skips or cursors or b.done:
            self.state.write_batch(self.crawl, blobs=b.blobs, analyses=b.analyses, findings=b.findings,
                                   blob_units=b.units, skips=b.skips, cursors=cursors)
        self._batch = _Batch()


def _by_path(wanted: dict[str, list[tuple[str, str]]], intros: dict) -> dict[str, list[tuple[str, str]]]:
    """Blobs to read grouped by path, oldest version first: a file's versions reach the analyzer one after the other
    (mostly in one batch, so one worker), where what an unchanged statement costs is paid once (cluster/tokenwalk)."""
    def order(item):
        blob, kinds = item
        path = kinds[0][1]
        commit = intros.get((path, blob))
        return path, getattr(commit, "timestamp", 0) or 0, blob

    return dict(sorted(wanted.items(), key=order))


def crawl(root, state: State, ruleset, config, refs: str = "head", units: bool = True,
          progress: bool = False, rescan: bool = True, note=None) -> CrawlStats:
    return Crawler(state, ruleset, config, refs=refs, units=units, progress=progress, rescan=rescan,
                   note=note).run(root)
