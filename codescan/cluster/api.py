"""Campaigns from a crawl's state store or from plain Documents: the two entry points other verbs use."""
from __future__ import annotations

from typing import Iterable

from ..records import Document, Unit
from . import lsh, minhash
from .attach import attach
from .campaign import Campaign, build
from .corpus import Corpus, Occurrence, line_groups, unit_edges, unit_groups
from .score import PLANTED


def cluster(corpus: Corpus, threshold: float = lsh.THRESHOLD, min_repos: int = 2, edges=None,
            min_score: float = 0.0) -> list[Campaign]:
    """Group a filled corpus into scored campaigns (edges: verified links, else found in memory); campaigns
    scoring below min_score are left out (score.PLANTED keeps the ones that look planted)."""
    if edges is None:
        edges = unit_edges(corpus, threshold)
    groups = unit_groups(corpus, edges, min_repos)
    return _scored(corpus, groups, line_groups(corpus, min_repos), min_repos, min_score)


def document_units(doc: Document) -> list:
    """Campaign units of one document without running rules (binary/undecodable files give none)."""
    from ..analyze import languages
    from .units import extract, lines

    if b"\0" in doc.content[:8192]:
        return []
    try:
        doc.content.decode("utf-8")
    except UnicodeDecodeError:
        return []
    language = doc.language or languages.detect(doc.path, doc.content[:200])
    if not languages.has_grammar(language):
        return lines(doc.content)
    tree = languages.parser(language).parse(doc.content)
    return extract(tree, doc.content, language)


def _repo_of(doc: Document) -> str:
    return doc.repo or doc.path.split("/", 1)[0]


def campaigns_from_documents(docs: Iterable[Document], *, threshold: float = lsh.THRESHOLD, min_repos: int = 2,
                             findings: bool = True, ruleset=None, config=None, progress: bool = False,
                             min_score: float = 0.0) -> list[Campaign]:
    """Cluster Documents (repo/author/date taken from each) into campaigns, sorted by score.

    findings=True runs the rules too (through the pipeline, in worker processes for big inputs) so a
    campaign lists the findings inside its members; False only extracts units (faster)."""
    corpus = Corpus()
    if findings:
        from ..analyze import languages
        from ..config import Config
        from ..pipeline import analyze_all
        from ..records import Skip
        from ..rules import load_rules

        ruleset = ruleset or load_rules()
        config = config or Config()
        pending: dict[tuple, Document] = {}
        sent: set[str] = set()
        copies: list[Document] = []  # a blob seen before gains an occurrence, not another analysis

        def tagged(items):
            for doc in items:
                if doc.blob_sha in sent:
                    copies.append(doc)
                    continue
                sent.add(doc.blob_sha)
                key = (_repo_of(doc), doc.path)
                pending[key] = doc
                # The analysis comes back under the document's path; the repo rides on an id-like path.
                # kind_path: the analyzer decides what the file is from its real path (a Makefile, a workflow).
                yield Document(path=_key_path(key), content=doc.content, language=doc.language, repo=doc.repo,
                               blob=doc.blob_sha, trusted=False, kind_path=doc.named)

        for result in analyze_all(tagged(docs), ruleset, config, progress=progress, units=True):
            if isinstance(result, Skip):
                continue
            doc = pending.pop(_split_key(result.path))
            fixed = tuple(f.with_(path=doc.path, repo=doc.repo or _repo_of(doc)) for f in result.findings)
            _add(corpus, doc, result.units, fixed)
        for doc in copies:
            _add(corpus, doc, (), ())
    else:
        for doc in docs:
            blob = doc.blob_sha
            _add(corpus, doc, document_units(doc) if blob not in corpus.blobs else (), ())
    return cluster(corpus, threshold, min_repos, min_score=min_score)


_SEP = "\x1f"


def _key_path(key: tuple) -> str:
    return f"{key[0]}{_SEP}{key[1]}"


def _split_key(path: str) -> tuple:
    repo, _, rest = path.partition(_SEP)
    return repo, rest


def _add(corpus: Corpus, doc: Document, units, findings) -> None:
    blob = doc.blob_sha
    corpus.add_blob(blob, units, findings)
    corpus.add_occurrence(blob, Occurrence(_repo_of(doc), doc.path, doc.commit, doc.author, None, doc.date))


def campaigns_from_state(state, *, threshold: float = lsh.THRESHOLD, min_repos: int = 2,
                         incremental: bool = True, min_score: float = 0.0, stream: bool = True) -> list[Campaign]:
    """Campaigns over everything a crawl stored: units, occurrences, findings.

    stream=True (the default) clusters the state's distinct units on disk in bounded memory (stream.py) and
    expands only the groups that span repositories; verified links are kept in the state (when writable) so a
    later run verifies only pairs with new units. stream=False loads a unit per blob into memory: incremental=True
    then keeps a per-blob-unit index in the cluster_* tables, False clusters everything in memory."""
    if stream:
        return _streamed(state, threshold, min_repos, min_score)
    from .store import ClusterStore

    corpus = Corpus()
    for blob, idx, unit in _state_units(state):
        corpus.add_unit(corpus.blob_id(blob), idx, unit)
    _place(state, corpus)
    edges = None
    if incremental and not getattr(state, "readonly", False):
        edges = ClusterStore(state.conn, threshold).update(corpus)
    return cluster(corpus, threshold, min_repos, edges, min_score)


def _streamed(state, threshold: float, min_repos: int, min_score: float) -> list[Campaign]:
    from .stream import campaigns

    return [c for c in campaigns(state, threshold, min_repos) if c.score >= min_score]


def _place(state, corpus: Corpus, occurrences: bool = True) -> None:
    """Occurrences (unless the corpus has them) and findings of the corpus's blobs."""
    for occ in state.occurrences() if occurrences else ():
        if occ.blob in corpus.blobs:
            corpus.add_occurrence(occ.blob, occ)
    for finding in state.findings():
        if finding.blob in corpus.blobs:
            corpus.findings[corpus.blobs[finding.blob]].append(finding)


def _scored(corpus: Corpus, groups: list, lines: list, min_repos: int, min_score: float) -> list[Campaign]:
    similarity = {}
    if groups:
        sigs = corpus.signatures()
        groups = attach(corpus, groups, sigs)
        for gi, members in enumerate(groups):
            similarity[gi] = _similarity(corpus, sigs, members)
    found = build(corpus, groups, lines, similarity, min_repos)
    return [c for c in found if c.score >= min_score]


def _similarity(corpus: Corpus, sigs, members: list[int]) -> float:
    """The least estimated Jaccard of a group's widest kind of unit to its first such member."""
    kind = max((corpus.units[m] for m in members), key=lambda u: u.tokens).kind
    rows = sigs[[m for m in members if corpus.units[m].kind == kind]]
    return float(minhash.similarity(rows, rows[:1]).min())


def _state_units(state):
    """(blob, idx, Unit) from the store (idx is the unit's place in its blob: the link key in cluster_links)."""
    from ..state import unitread

    yield from unitread.expanded(state.conn)


__all__ = ["PLANTED", "Campaign", "campaigns_from_documents", "campaigns_from_state", "cluster", "document_units"]
