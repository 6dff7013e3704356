"""source → analyze → collect: runs the analyzer over Documents in local worker processes."""
from __future__ import annotations

import gc
import multiprocessing
import os
import sys
import time
from collections import Counter
from concurrent.futures import FIRST_COMPLETED, wait
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from itertools import chain
from typing import Iterable, Iterator

from .analyze.document import Analyzer
from .analyze.guard import EXHAUSTED
from .analyze.reparse import base_path
from .config import Config
from .lifeline import die_with_parent
from .records import Analysis, Document, Finding, Skip, severity_at_least
from .rules import RuleSet
from .unit_columns import pack, unpack
from .worker_pool import RecyclingPool, backstop, default_alarm, default_memory, hard_limit, isolate, limit_memory
from .worker_pool import resident_bytes

BATCH_BYTES = 512 * 1024  # documents are sent to workers in batches of about this size
BATCH_DOCS = 64
GROUP_BYTES, GROUP_DOCS = 8 * BATCH_BYTES, 4 * BATCH_DOCS  # a file's versions stay together up to this much
GC_YOUNG = 20_000  # allocations between a worker's young-generation collections (Python's default: 700)
# Young collections while a document is analyzed (_collector_per_document). Whole stdlib, -j 1: collection 1.44 ->
# 0.77-0.83 CPU-s, peak RSS 330 -> 313 MB (/tmp/perf17/gcdoc.py). A collection after a document only past the
# caller's threshold (not after each one) took 1.27.
DOC_YOUNG = 100_000
PER_DOCUMENT_COLLECTOR = True  # off: the process-wide threshold alone (tests compare)
IN_PROCESS_BYTES = 256 * 1024  # below this much work, worker start-up costs more than it saves


@dataclass(frozen=True, slots=True)
class Stats:
    files: int = 0
    bytes: int = 0
    lines: int = 0
    seconds: float = 0.0
    languages: dict = field(default_factory=dict)
    rules: int = 0
    jobs: int = 1
    records: int = 0  # records of dataset files (their parts are not counted as files)

    def to_dict(self) -> dict:
        mb = self.bytes / 1e6
        return {"files": self.files, "records": self.records, "bytes": self.bytes, "lines": self.lines,
                "seconds": round(self.seconds, 3),
                "mb_per_s": round(mb / self.seconds, 3) if self.seconds else None,
                "languages": dict(sorted(self.languages.items())), "rules": self.rules, "jobs": self.jobs}


@dataclass(frozen=True, slots=True)
class ScanResult:
    findings: tuple[Finding, ...]
    skips: tuple[Skip, ...]
    suppressed: tuple[Finding, ...]
    stats: Stats
    ruleset: RuleSet

    def failing(self, fail_on: str) -> list[Finding]:
        if fail_on == "none":
            return []
        return [f for f in self.findings if severity_at_least(f.severity, fail_on)]


# -- worker side -------------------------------------------------------------------------
_ANALYZER: Analyzer | None = None
# The driver's analyzer, built and warmed before the workers are forked: (ruleset, config, units, analyzer).
# A forked worker inherits it with its compiled queries instead of compiling its own copy (each worker used to
# compile most of a language's rules again); under the spawn start method a worker sees None and builds its own.
_PREBUILT: tuple | None = None


def _init_worker(ruleset: RuleSet, config: Config, units: bool = False, memory: int = 0) -> None:
    global _ANALYZER
    die_with_parent()  # a killed scan or crawl leaves no worker behind
    limit_memory(memory)  # a file that inflates to gigabytes fails its own analysis, not the machine
    default_alarm()  # the wall-clock backstop (_analyze_batch) kills a worker stuck on one file
    built = _PREBUILT
    if built is not None and built[0] is ruleset and built[1] is config and built[2] == units:
        _ANALYZER = built[3]
    else:
        _ANALYZER = Analyzer(ruleset, config, units=units)
    # The rules, grammars and analyzer live as long as the worker: frozen, no collection traces them again; an
    # analysis makes few reference cycles, so young collections can be rarer. On the history bench's first 120
    # blobs (/tmp/s9c/gcab.py, one analyzer) the collector took 0.19 CPU-s in 532 runs, 0.06 in 6; peak RSS +8 MB.
    # Only in a worker process: a caller in the main process keeps its own collector settings.
    if multiprocessing.parent_process() is not None:
        gc.freeze()
        gc.set_threshold(GC_YOUNG, *gc.get_threshold()[1:])


def _analyze_batch(batch: list[Document]) -> tuple[list, int]:
    """The batch's analyses, their units as columns (unit_columns.unpack gives them back), and this worker's
    resident memory after it (the driver recycles big workers)."""
    assert _ANALYZER is not None
    analyses = []
    seconds = _ANALYZER.config.file_timeout
    for doc in batch:
        backstop(hard_limit(seconds, len(doc.content)))
        analyses.append(_safe_analyze(_ANALYZER, doc))
    backstop(None)
    return pack(analyses), resident_bytes()


def _safe_analyze(analyzer: Analyzer, doc: Document) -> Analysis:
    """One bad document becomes a skip, never a crashed scan."""
    try:
        with _collector_per_document():
            return analyzer.analyze(doc)
    except Exception as exc:  # noqa: BLE001 - the report names the error; the scan goes on
        return Analysis(path=doc.path, skips=(Skip(doc.path, f"analyzer error: {type(exc).__name__}: {exc}",
                                                    doc.repo),), size=len(doc.content))


@contextmanager
def _collector_per_document() -> Iterator[None]:
    """Young collections every DOC_YOUNG allocations while one document is analyzed, one after it (a middle one
    instead when as many young ones have run as the middle generation's threshold, as the automatic policy does).
    A young collection during an analysis traces the memos it keeps alive (~13 ms each at GC_YOUNG), though they
    die with the document: after it they are gone, and what is left to trace is small. A document making much
    cyclic garbage is still collected every DOC_YOUNG allocations (a bounded heap, not one collection per
    document). A caller that turned the collector off (disabled, or a threshold of 0) keeps it off."""
    threshold = gc.get_threshold()
    if not PER_DOCUMENT_COLLECTOR or not gc.isenabled() or not threshold[0]:
        yield
        return
    gc.set_threshold(max(DOC_YOUNG, threshold[0]), *threshold[1:])
    try:
        yield
    finally:
        gc.set_threshold(*threshold)
        gc.collect(1 if gc.get_count()[1] >= threshold[1] else 0)


# -- driver side -------------------------------------------------------------------------
def _batches(items: Iterable[Document | Skip], skips: list[Skip]) -> Iterator[list[Document]]:
    """Documents in batches of about BATCH_BYTES or BATCH_DOCS. A full batch is not cut between two versions of one
    file (a crawl sends them one after the other, `./`-prefixed in flight) until it reaches GROUP_BYTES/GROUP_DOCS:
    the worker holding the previous version reuses its tree and units (cut, the next one starts cold)."""
    batch: list[Document] = []
    size = 0
    for item in items:
        if isinstance(item, (Skip, Analysis)):
            skips.append(item)
            continue
        if batch and (size >= BATCH_BYTES or len(batch) >= BATCH_DOCS) and (
                size >= GROUP_BYTES or len(batch) >= GROUP_DOCS or base_path(item.path) != base_path(batch[-1].path)):
            yield batch
            batch, size = [], 0
        batch.append(item)
        size += len(item.content)
    if batch:
        yield batch


def analyze_all(items: Iterable[Document | Skip], ruleset: RuleSet, config: Config,
                progress: bool = False, total: int | None = None, units: bool = False,
                columns: bool = False) -> Iterator[Analysis | Skip]:
    """Yield an Analysis per document (and the sources' Skips), using worker processes for big inputs.

    units=True also fills Analysis.units (campaign clustering); a plain scan leaves it off. columns=True: a worker's
    analysis with units comes as the unit_columns.PackedUnits it sent (unit_columns.rows reads it), not unpacked."""
    jobs = config.jobs or os.cpu_count() or 1
    skips: list[Skip] = []
    selected = any(r.id == EXHAUSTED for r in ruleset.rules)
    batches = _batches((_evidence(item, selected) for item in items), skips)
    bar = _progress(progress, total)
    first = next(batches, None)
    second = next(batches, None) if first is not None else None
    small = second is None and (first is None or sum(len(d.content) for d in first) < IN_PROCESS_BYTES)
    try:
        if jobs <= 1 or small:
            # A small input compiles only the rules its files have tokens for (start-up dominates).
            analyzer = Analyzer(ruleset, config, lazy_rules=small, units=units)
            with _collector_for_analysis():
                for batch in chain((b for b in (first, second) if b is not None), batches):
                    yield from _drain(skips)
                    for doc in batch:
                        yield _safe_analyze(analyzer, doc)
                        _tick(bar)
        else:
            memory = config.max_memory * (1 << 20) if config.max_memory else default_memory(jobs)
            initargs = (ruleset, config, units, memory)
            _prebuild(ruleset, config, units, chain(first or (), second or ()))
            pool = RecyclingPool(jobs, _init_worker, initargs, memory_mark=memory // 2)
            culprit = partial(_culprit, any(r.id == EXHAUSTED for r in ruleset.rules))
            pending: dict = {}  # future -> its batch, so a failed batch is re-run file by file
            window = jobs * 3

            def collect(done) -> Iterator[Analysis | Skip]:
                for future in done:
                    batch = pending.pop(future)
                    try:
                        analyses, rss = future.result()
                        analyses = analyses if columns else unpack(analyses)
                        pool.note(rss)
                    except Exception:  # noqa: BLE001 - a worker died: only the file that killed it is lost
                        pool.note(0, broken=True)
                        analyses = isolate(batch, _init_worker, initargs, _analyze_batch, culprit,
                                           lambda doc: hard_limit(config.file_timeout, len(doc.content)))
                        analyses = analyses if columns else unpack(analyses)
                    for analysis in analyses:
                        _tick(bar)
                        yield analysis

            collector = gc.get_threshold()
            # The driver unpacks each batch's units and findings (~200 k objects on the history bench) and keeps few:
            # young collections every 700 allocations ran 975 times there (0.29 CPU-s, /tmp/crawl14/drvgc.py), 27 at
            # GC_YOUNG (0.12). The caller's settings come back when the results are consumed (finally below).
            gc.set_threshold(GC_YOUNG, *collector[1:])
            try:
                for batch in chain((b for b in (first, second) if b is not None), batches):
                    while len(pending) >= window:
                        done, _ = wait(pending, return_when=FIRST_COMPLETED)
                        yield from collect(done)
                        yield from _drain(skips)
                    pending[pool.submit(_analyze_batch, batch)] = batch
                while pending:
                    done, _ = wait(pending, return_when=FIRST_COMPLETED)
                    yield from collect(done)
            finally:
                pool.close()
                _prebuild(None)
                gc.set_threshold(*collector)
        yield from _drain(skips)
    finally:
        if bar is not None:
            bar.close()


@contextmanager
def _collector_for_analysis() -> Iterator[None]:
    """The collector as a worker runs it (_init_worker), while this process analyzes in place (-j 1, small inputs):
    what exists now (rules, grammars, the analyzer) frozen, young collections every GC_YOUNG allocations. At 700
    the young collections ran often enough to trigger 13 full ones over the stdlib scan (-j 1), each tracing every
    memo the analysis keeps: 2.4 CPU-s of collection, 1.1 at GC_YOUNG (/tmp/perf16/gct3.py). The caller's
    threshold comes back after, and what was frozen here is unfrozen (not what the caller froze before)."""
    collector = gc.get_threshold()
    frozen = gc.get_freeze_count() == 0
    if frozen:
        gc.freeze()
    gc.set_threshold(GC_YOUNG, *collector[1:])
    try:
        yield
    finally:
        gc.set_threshold(*collector)
        if frozen:
            gc.unfreeze()


def _prebuild(ruleset: RuleSet | None, config: Config | None = None, units: bool = False,
              docs: Iterable[Document] = ()) -> None:
    """Build the analyzer forked workers will share, warmed on the first documents (their admitted rules'
    queries compiled once here, not once per worker and again in each recycled pool); None: forget it."""
    global _PREBUILT
    _PREBUILT = None
    if ruleset is None:
        return
    analyzer = Analyzer(ruleset, config, units=units)
    analyzer.warm(docs)
    _PREBUILT = (ruleset, config, units, analyzer)


def _culprit(selected: bool, doc: Document, exc: BaseException) -> Analysis:
    """The file whose analysis killed its worker (memory limit, crash): reported (a skip), and evidence
    against it (an analysis-exhausted finding when that rule is selected)."""
    reason = f"its analysis killed the worker process ({type(exc).__name__}: {exc})".rstrip(": ")[:300]
    finding = Finding(rule_id=EXHAUSTED, category="obfuscation", severity="high",
                      message=f"this file defeated its analysis ({reason}): inputs built to exhaust or crash a "
                              "scanner hide what they carry", path=doc.path, line=1, end_line=1, snippet="",
                      repo=doc.repo, blob=doc.blob, commit=doc.commit, author=doc.author, date=doc.date,
                      record=doc.id if doc.id and doc.id != doc.path else None)
    return Analysis(path=doc.path, findings=(finding,) if selected else (), skips=(Skip(doc.path, reason, doc.repo),),
                    size=len(doc.content))


def _evidence(item, selected: bool):
    """A source's skip for input built to exhaust the scanner (a dataset file that is a compression bomb) is
    reported like a file that exhausted its analysis: the skip plus an analysis-exhausted finding."""
    if not isinstance(item, Skip) or not item.exhausted:
        return item
    finding = Finding(rule_id=EXHAUSTED, category="obfuscation", severity="high",
                      message=f"this file defeated its analysis ({item.reason[:300]}): inputs built to exhaust or "
                              "crash a scanner hide what they carry", path=item.path, line=1, end_line=1, snippet="",
                      repo=item.repo)
    return Analysis(path=item.path, findings=(finding,) if selected else (), skips=(item,))


def _drain(skips: list[Skip]) -> Iterator[Skip]:
    while skips:
        yield skips.pop(0)


def _progress(enabled: bool, total: int | None):
    if not enabled:
        return None
    from tqdm import tqdm

    return tqdm(total=total, unit="file", desc="scanning", file=sys.stderr, leave=False,
                dynamic_ncols=True, mininterval=0.5)


def _tick(bar) -> None:
    if bar is not None:
        bar.update(1)


def scan(items: Iterable[Document | Skip], ruleset: RuleSet, config: Config, progress: bool = False,
         total: int | None = None, semgrep_limits=None) -> ScanResult:
    """Analyze everything and gather one result, sorted by path and line. When the ruleset holds
    Semgrep rules, the documents they could match are also run through Semgrep in batches
    (semgrep_limits: an engines.semgrep.Limits, default from the config)."""
    start = time.monotonic()
    findings: list[Finding] = []
    suppressed: list[Finding] = []
    skips: list[Skip] = []
    files = size = lines = 0
    langs: Counter = Counter()
    semgrep_pass = _semgrep_pass(ruleset, config, semgrep_limits)
    from .corpus.dataset_files import RecordTally

    tally = RecordTally()
    items = tally.watch(items)
    try:
        if semgrep_pass is not None:
            items = semgrep_pass.tee(items)
        for item in analyze_all(items, ruleset, config, progress=progress, total=total):
            if isinstance(item, Skip):
                skips.append(item)
                continue
            files += 1
            size += item.size
            lines += item.lines
            if item.language:
                langs[item.language] += 1
            findings.extend(item.findings)
            suppressed.extend(item.suppressed)
            skips.extend(item.skips)
        if semgrep_pass is not None:
            from .engines.semgrep_pass import merge

            extra = semgrep_pass.run()
            findings = merge(findings, extra.findings, keep=semgrep_pass.user_ids)
            skips.extend(extra.skips)
            suppressed.extend(extra.suppressed)
    finally:
        if semgrep_pass is not None:
            semgrep_pass.close()
    findings.sort(key=lambda f: (f.repo or "", f.path, f.line, f.column, f.rule_id))
    skips.sort(key=lambda s: (s.repo or "", s.path))
    stats = Stats(files=files - tally.parts + tally.files, bytes=size, lines=lines, seconds=time.monotonic() - start,
                  languages=dict(langs), rules=len(ruleset.rules), jobs=config.jobs or os.cpu_count() or 1,
                  records=tally.records)
    return ScanResult(tuple(findings), tuple(skips), tuple(suppressed), stats, ruleset)


def _semgrep_pass(ruleset: RuleSet, config: Config, limits):
    """The Semgrep pass when Semgrep rules are selected (raises SemgrepMissing if semgrep is not installed)."""
    if not any(r.engine == "semgrep" for r in ruleset.rules):
        return None
    from .engines.semgrep_pass import SemgrepPass

    return SemgrepPass(ruleset.rules, config, limits)
