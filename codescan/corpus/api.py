"""Python API for pipeline authors: a batch of records in, keep/drop with reasons out.

    from codescan.corpus.api import CorpusFilter
    flt = CorpusFilter(content_field="content", drop_on=("high",))
    ds = ds.filter(flt, batched=True)                       # Hugging Face datasets
    ds = ds.map(flt.explain, batched=True)                  # adds codescan_keep / codescan_reasons columns
    kept = flt.filter(records)                              # any iterable of dicts, lazily
"""
from __future__ import annotations

import json
from dataclasses import replace
from typing import Iterable, Iterator, Mapping

from ..config import Config
from ..records import Analysis, Skip
from ..rules import load_rules
from .policy import Decision, Verdict, decide, dedupe, finding_entry, parse_drop_on
from .records import Fields, documents, meta, opaque_fields


def rows_of(batch) -> list[dict]:
    """A batch as a list of records: a dict of equal-length lists (datasets' batched form) or a list of dicts."""
    if isinstance(batch, Mapping):
        keys = list(batch.keys())
        size = len(batch[keys[0]]) if keys else 0
        return [{k: batch[k][i] for k in keys} for i in range(size)]
    return [dict(r) for r in batch]


class CorpusFilter:
    """Decides keep/drop for records, one batch at a time (campaigns need the whole corpus: use `codescan
    filter` for those). Picklable, so `Dataset.filter(..., num_proc=N)` can ship it to workers."""

    def __init__(self, *, content_field: str = "content", id_field: str | None = None, path_field: str | None = None,
                 lang_field: str | None = None, repo_field: str | None = None,
                 drop_on: Iterable[str] = ("high", "opaque"),
                 rules: Iterable[str] = (), builtin_rules: bool = True, select: Iterable[str] = (),
                 ignore: Iterable[str] = (), config: Config | None = None):
        self.fields = Fields(content_field, id_field, path_field, lang_field, repo_field)
        self.config = replace(config or Config(), honour_suppressions=False, jobs=1)
        ruleset = load_rules(tuple(rules), include_builtin=builtin_rules)
        self.ruleset = ruleset.select(tuple(select), tuple(ignore))
        self.policy = parse_drop_on(tuple(drop_on), frozenset(self.ruleset.by_id()), campaigns=False)
        self._analyzer = None

    def __getstate__(self):
        return {k: v for k, v in self.__dict__.items() if k != "_analyzer"}

    def __setstate__(self, state):
        self.__dict__.update(state, _analyzer=None)

    @property
    def analyzer(self):
        if self._analyzer is None:
            from ..analyze.document import Analyzer

            self._analyzer = Analyzer(self.ruleset, self.config)
        return self._analyzer

    def decide(self, batch) -> list[Decision]:
        """One Decision (keep, reasons) per record of the batch, in order."""
        from ..pipeline import _safe_analyze

        out = []
        for index, record in enumerate(rows_of(batch)):
            verdict = Verdict(opaque=opaque_fields(record, self.fields))
            display = meta(record, self.fields, self.fields.path) or "record"
            for part, doc in documents(record, index, display, self.fields):
                item: Analysis | Skip = _safe_analyze(self.analyzer, doc)
                verdict.findings.extend(finding_entry(f, part.field, part.block_at(f.line)) for f in item.findings)
                verdict.skips.extend(f"{part.field}: {s.reason}" for s in item.skips)
            verdict.findings = dedupe(verdict.findings)
            out.append(decide(self.policy, verdict))
        return out

    def __call__(self, batch) -> list[bool]:
        """For `Dataset.filter(flt, batched=True)`: True for each record to keep."""
        return [d.keep for d in self.decide(batch)]

    def explain(self, batch) -> dict:
        """For `Dataset.map(flt.explain, batched=True)`: new columns `codescan_keep` and `codescan_reasons` (JSON)."""
        decisions = self.decide(batch)
        return {"codescan_keep": [d.keep for d in decisions],
                "codescan_reasons": [json.dumps(list(d.reasons)) for d in decisions]}

    def filter(self, records: Iterable[dict], batch_size: int = 64, dropped: list | None = None) -> Iterator[dict]:
        """Generator pipelines: yield the kept records; dropped (record, Decision) pairs go to `dropped` if given."""
        batch: list[dict] = []
        for record in records:
            batch.append(record)
            if len(batch) >= batch_size:
                yield from self._emit(batch, dropped)
                batch = []
        if batch:
            yield from self._emit(batch, dropped)

    def _emit(self, batch: list[dict], dropped: list | None) -> Iterator[dict]:
        for record, decision in zip(batch, self.decide(batch)):
            if decision.keep:
                yield record
            elif dropped is not None:
                dropped.append((record, decision))


def filter_batch(batch, **options) -> list[Decision]:
    """One-off: keep/drop with reasons for a batch (builds a CorpusFilter; reuse one for many batches)."""
    return CorpusFilter(**options).decide(batch)
