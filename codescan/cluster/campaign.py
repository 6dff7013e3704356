"""Campaign records built from unit and line groups: members, findings inside them, score and reasons."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import lru_cache

from ..records import SCHEMA_VERSION
from . import score as scoring
from .corpus import Corpus
from .textmarks import PROSE, URL
from .units import short

MEMBER_FIELDS = ("repo", "path", "line", "end_line", "commit", "author", "date")
LINE_MIN_ORIGINS = 3  # a line shared by two repositories is an idiom unless a finding sits on it
NEAR_LINES = 2  # copies this close in one file are parts of one planted snippet
# A campaign over more than this many times a line's places is not what the line's copies share: a line planted
# into a few copies of shared code (a CI step, an install hook in setup.py boilerplate) is a campaign of its own.
WIDER = 2
MARKS = (URL, PROSE)


@dataclass(frozen=True, slots=True)
class Campaign:
    """Near-duplicate code across repositories, with its spread, provenance, findings and score."""

    id: str
    score: float
    reasons: tuple[str, ...]
    kind: str
    name: str | None
    members: tuple[dict, ...]
    findings: tuple = ()

    @property
    def repos(self) -> list[str]:
        return sorted({m["repo"] for m in self.members})

    @property
    def authors(self) -> list[str]:
        return sorted({m["author"] for m in self.members if m.get("author")})

    @property
    def title(self) -> str:
        """What the members share: "function NAME", "class NAME", "whole file", "group of statements", "line"."""
        return title(self.kind, self.name)

    @property
    def categories(self) -> list[str]:
        return sorted({f.category for f in self.findings})

    def to_dict(self) -> dict:
        dates = sorted(m["date"] for m in self.members if m.get("date"))
        return {"id": self.id, "score": self.score, "reasons": list(self.reasons), "kind": self.kind,
                "name": self.name, "title": self.title, "repos": self.repos, "authors": self.authors,
                "first_seen": dates[0] if dates else None, "last_seen": dates[-1] if dates else None,
                "categories": self.categories, "members": [dict(m) for m in self.members],
                "findings": [f.to_dict() for f in self.findings]}


def title(kind: str, name: str | None) -> str:
    if kind == "file":
        return "whole file"
    if kind == "block":
        return "group of statements"
    return f"{kind} {name}" if name else kind


def document(campaigns: list[Campaign]) -> dict:
    """The top-level JSON of `codescan campaigns --format json`."""
    return {"schema_version": SCHEMA_VERSION, "campaigns": [c.to_dict() for c in campaigns]}


def _member(occ, line: int, end_line: int) -> dict:
    return {"repo": occ.repo, "path": occ.path, "line": line, "end_line": end_line,
            "commit": getattr(occ, "commit", None), "author": getattr(occ, "author", None),
            "date": getattr(occ, "date", None)}


_NAMED = {"function": 3, "class": 2, "block": 1}  # a declaration statement around a function is the function


def _unit_spans(corpus: Corpus, indices: list[int]) -> dict:
    """(repo, path) -> (line, end_line, blob, unit, occurrence) for a group of units.

    The kind most places hold decides (a small file that is little more than its planted function links
    to the function elsewhere: the campaign is the function); at each place the widest unit of that kind,
    then the version of the file introduced first (its date is when the code arrived), then the first in
    the file, whatever order the links came in."""
    found: dict = {}
    for i in indices:
        bid, unit = corpus.unit_blob[i], corpus.units[i]
        for occ in corpus.occurrences[bid]:
            found.setdefault((occ.repo, occ.path), []).append((unit, bid, occ))
    held: dict[str, list] = {}
    for place, entries in found.items():
        for unit, _bid, _occ in entries:
            held.setdefault(unit.kind, [set(), 0])
            held[unit.kind][0].add(place)
            held[unit.kind][1] = max(held[unit.kind][1], unit.tokens)
    kind = max(held, key=lambda k: (len(held[k][0]), _NAMED.get(k, 0), held[k][1], k))
    best: dict = {}
    for place, entries in found.items():
        mine = [e for e in entries if e[0].kind == kind] or entries
        unit, bid, occ = min(mine, key=lambda e: (-e[0].tokens, getattr(e[2], "date", None) or "~", e[0].line, e[1]))
        best[place] = (unit.line, unit.end_line, bid, unit, occ)
    return best


def _spans(corpus: Corpus, blobs: list[int], units: list, indices: list[int]) -> dict:
    """(repo, path) -> (line, end_line, blob, unit, occurrence): where each place holds the group."""
    if units is corpus.units:
        return _unit_spans(corpus, indices)
    best: dict = {}
    for i in indices:
        bid, unit = blobs[i], units[i]
        for occ in corpus.occurrences[bid]:
            key = (occ.repo, occ.path)
            old = best.get(key)
            if old is not None and unit.kind == "line" and old[3].kind == "line":
                if old[2] == bid:  # copies in one version of the file: one span over them
                    best[key] = (min(old[0], unit.line), max(old[1], unit.end_line), bid, unit, occ)
                elif _earlier(occ, bid, old[4], old[2]):  # another version: its own span, never a union
                    best[key] = (unit.line, unit.end_line, bid, unit, occ)
            # The widest unit; among equals the first in the file, whatever order the links came in.
            elif old is None or (unit.tokens, -unit.line) > (old[3].tokens, -old[3].line):
                best[key] = (unit.line, unit.end_line, bid, unit, occ)
    return best


def _earlier(occ, bid: int, other, other_bid: int) -> bool:
    """The version of a file introduced first (then the lower blob id): where a shared line is placed."""
    return ((getattr(occ, "date", None) or "~"), bid) < ((getattr(other, "date", None) or "~"), other_bid)


def build(corpus: Corpus, unit_groups: list[list[int]], line_groups: list[list[int]],
          similarity: dict | None = None, min_repos: int = 2) -> list[Campaign]:
    """Campaigns from groups, one per distinct set of places; sorted by score, highest first."""
    builder = Builder(corpus.findings.__getitem__, corpus.repo_count or len(corpus.all_repos()), min_repos)
    similarity = similarity or {}
    for gi, group in enumerate(unit_groups):
        builder.unit_group(_spans(corpus, corpus.unit_blob, corpus.units, group), similarity.get(gi))
    for group in line_groups:
        builder.line_group(_spans(corpus, corpus.line_blob, corpus.line_units, group))
    return builder.finish()


class Builder:
    """Campaigns from groups given one at a time as their spans (every unit group before the first line group):
    what it keeps is one span per place of each campaign found so far, so groups can be expanded a batch at a time.
    findings_of(blob id) gives the findings of the blob a span's blob id names."""

    def __init__(self, findings_of, corpus_repos: int, min_repos: int = 2):
        self.findings_of = findings_of
        self.corpus_repos = corpus_repos
        self.min_repos = min_repos
        self.places: dict[frozenset, dict] = {}
        self.kinds: dict[frozenset, tuple] = {}
        self.line_places: dict[frozenset, dict] = {}
        self.covered: dict | None = None
        self.flagged: dict = {}  # unit campaign key -> its copies hold a finding
        self.strict: set = set()  # keys of distinctive line groups (see line_group)

    def unit_group(self, spans: dict, sim) -> None:
        places, kinds = self.places, self.kinds
        if all(short(span[3]) for span in spans.values()) and not _flagged(self.findings_of, spans):
            return  # a short snippet in several repositories is an idiom unless a finding sits in it
        key = frozenset(spans)
        if key in places:  # a function and its file copied to the same places: keep the widest spans
            for place, span in spans.items():
                if span[3].tokens > places[key][place][3].tokens:
                    places[key][place] = span
            spans = places[key]
            old_sim = kinds[key][2]
            sim = old_sim if sim is None else sim if old_sim is None else min(sim, old_sim)
        places[key] = spans
        widest = max(spans.values(), key=lambda s: s[3].tokens)[3]  # the title names what all copies share
        kinds[key] = (widest.kind, widest.name, sim)

    def line_group(self, spans: dict) -> None:
        if self.covered is None:
            self.covered = _coverage(self.places)
        covered, min_repos = self.covered, self.min_repos
        # A distinctive line (a URL or a sentence, or one holding a finding) is inside a unit campaign only where
        # it arrived with it and the campaign is not much wider: planted into shared code, it stands on its own.
        marks = all(span[3].name in MARKS for span in spans.values())
        flagged = _flagged(self.findings_of, spans)
        strict = len(spans) if marks or flagged else 0
        if _inside_one(spans, covered, strict):
            return  # the line is part of a unit campaign already
        # Copies inside one unit campaign count once: the line must link at least min_repos origins
        # (unit campaigns or repositories), as a trigger line links many host files.
        origins = {_origin(place, span, covered, strict) for place, span in spans.items()}
        if len(origins) < max(min_repos, LINE_MIN_ORIGINS) and not (len(origins) >= min_repos and (
                flagged or (marks and self._in_flagged(origins)))):
            return
        key = (frozenset(spans), "line")  # never a unit campaign's key (same places, other kind)
        line_places = self.line_places
        if key in line_places:
            for place, span in spans.items():
                old = line_places[key][place]
                if old[2] == span[2]:  # lines of one file version; another version's lines are not joined
                    line_places[key][place] = (min(old[0], span[0]), max(old[1], span[1]), *old[2:])
        else:
            line_places[key] = spans
            self.kinds[key] = ("line", None, 1.0)
            if strict:
                self.strict.add(key)

    def _in_flagged(self, origins: set) -> bool:
        """Some origin is a unit campaign holding findings: a URL or a sentence (textmarks.py) of it that reaches
        other places is the planted snippet's mark in a copy no unit links (one inside a bigger host function)."""
        for key in origins:
            if key in self.places:
                found = self.flagged.get(key)
                if found is None:
                    found = self.flagged[key] = _flagged(self.findings_of, self.places[key])
                if found:
                    return True
        return False

    def finish(self) -> list[Campaign]:
        merged = _merge_overlapping([*self.places.items(), *self.line_places.items()], self.kinds, self.strict)
        campaigns = [_campaign(self.findings_of, spans, *kind, self.corpus_repos) for spans, kind in merged]
        campaigns = [c for c in campaigns if len(c.repos) >= self.min_repos]
        return sorted(campaigns, key=lambda c: (-c.score, c.id))


def _merge_overlapping(groups: list, kinds: dict, strict: set = frozenset()) -> list[tuple[dict, tuple]]:
    """One campaign per planting: groups whose copies overlap (or nearly touch) in two or more places merge.

    A planted snippet is often linked twice — as a statement group in the copies that kept its
    shape and as a rare line in copies that were renamed or moved into a docstring — which showed
    one planting as two weaker campaigns. Whole-file groups are never merged (a file overlaps
    everything inside it)."""
    parent = list(range(len(groups)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    by_place: dict = {}
    for gi, (key, spans) in enumerate(groups):
        if kinds[key][0] == "file":
            continue
        for place, span in spans.items():
            by_place.setdefault(place, []).append((gi, span[0], span[1], span))
    shared: dict = {}
    for entries in by_place.values():
        for a in range(len(entries)):
            for b in range(a + 1, len(entries)):
                (ga, la, ha, sa), (gb, lb, hb, sb) = entries[a], entries[b]
                if la <= hb + NEAR_LINES and lb <= ha + NEAR_LINES and _together(
                        sa, sb, len(groups[ga][1]), len(groups[gb][1]), groups[ga][0] in strict,
                        groups[gb][0] in strict):
                    pair = (min(ga, gb), max(ga, gb))
                    shared[pair] = shared.get(pair, 0) + 1
    for (ga, gb), count in shared.items():
        if count >= 2:
            parent[find(ga)] = find(gb)
    joined: dict[int, list[int]] = {}
    for gi in range(len(groups)):
        joined.setdefault(find(gi), []).append(gi)
    out = []
    for members in joined.values():
        spans: dict = {}
        for gi in members:
            for place, span in groups[gi][1].items():
                old = spans.get(place)
                if old is None:
                    spans[place] = span
                else:  # one place, several parts of the snippet: the widest unit, over the union of lines
                    wide = span if span[3].tokens > old[3].tokens else old
                    spans[place] = (min(old[0], span[0]), max(old[1], span[1]), *wide[2:])
        widest = max(members, key=lambda gi: max(s[3].tokens for s in groups[gi][1].values()))
        kind, name, similarity = kinds[groups[widest][0]]
        sims = [kinds[groups[gi][0]][2] for gi in members if kinds[groups[gi][0]][2] is not None]
        if len(members) > 1:  # parts linked as a group in some copies and as lines in others
            similarity = min([*sims, 0.99])
        elif sims:
            similarity = min(sims)
        out.append((spans, (kind, _shared_name(spans, kind, name), similarity)))
    return out


def _shared_name(spans: dict, kind: str, fallback: str | None) -> str | None:
    """The name most copies of this kind carry (renamed copies differ); on a tie the earliest copy's."""
    counts: dict[str, list] = {}
    for line, _end, _bid, unit, occ in spans.values():
        if unit.kind == kind and unit.name:
            entry = counts.setdefault(unit.name, [0, "~"])
            entry[0] += 1
            entry[1] = min(entry[1], getattr(occ, "date", None) or "~")
    if not counts:
        return fallback
    return min(counts, key=lambda n: (-counts[n][0], counts[n][1], n))


def _coverage(places: dict) -> dict:
    """(repo, path) -> list of (campaign key, line, end_line, span, places)."""
    out: dict = {}
    for key, spans in places.items():
        for place, span in spans.items():
            out.setdefault(place, []).append((key, span[0], span[1], span, len(spans)))
    return out


@lru_cache(maxsize=65536)
def _moment(date: str | None):
    return scoring.parse_date(date)


def _same_arrival(a, b) -> bool:
    """Two spans at one place came with one change: one file version, or versions introduced within
    PLANTING_DAYS of each other (or undated). A line added years after the shared code around it is not part
    of what was shared."""
    if a[2] == b[2]:
        return True
    da, db = _moment(getattr(a[4], "date", None)), _moment(getattr(b[4], "date", None))
    return da is None or db is None or abs((da - db).total_seconds()) <= scoring.PLANTING_DAYS * 86400


def _together(a, b, places_a: int, places_b: int, strict_a: bool, strict_b: bool) -> bool:
    """Overlapping spans of two groups at one place are parts of one planting when they arrived together (lines
    of versions years apart only share numbers); a distinctive line group (strict) joins no group over more than
    WIDER times its places (shared code it was planted into)."""
    if (strict_a and places_b > WIDER * places_a) or (strict_b and places_a > WIDER * places_b):
        return False
    return _same_arrival(a, b)


def _covers(entry, span, strict: int) -> bool:
    """A unit campaign's span holds this copy of a line; for a distinctive line (strict: its places), only a
    campaign it arrived with and at most WIDER times as wide."""
    _key, lo, hi, unit_span, unit_places = entry
    if not (lo <= span[0] and span[1] <= hi):
        return False
    return not strict or (unit_places <= WIDER * strict and _same_arrival(unit_span, span))


def _origin(place, span, covered: dict, strict: int = 0):
    """The unit campaign holding this copy of a line, else its repository."""
    for entry in covered.get(place, ()):
        if _covers(entry, span, strict):
            return entry[0]
    return place[0]


def _flagged(findings_of, spans: dict) -> bool:
    """Some copy (of a line or a unit) carries a finding inside it."""
    return any(line <= f.line <= end for line, end, bid, *_ in spans.values() for f in findings_of(bid))


def _inside_one(spans: dict, covered: dict, strict: int = 0) -> bool:
    candidates = None
    for place, span in spans.items():
        keys = {entry[0] for entry in covered.get(place, ()) if _covers(entry, span, strict)}
        candidates = keys if candidates is None else candidates & keys
        if not candidates:
            return False
    return bool(candidates)


def _campaign(findings_of, spans: dict, kind: str, name: str | None, similarity, corpus_repos: int
              ) -> Campaign:
    members, findings = [], []
    for (line, end, bid, _unit, occ) in spans.values():
        members.append(_member(occ, line, end))
        for f in findings_of(bid):
            if line <= f.line <= end:
                findings.append(f.with_(repo=f.repo or occ.repo, path=occ.path, commit=f.commit or occ.commit,
                                        author=f.author or getattr(occ, "author", None),
                                        date=f.date or getattr(occ, "date", None)))
    members.sort(key=lambda m: (m["date"] or "", m["repo"], m["path"], m["line"]))
    findings.sort(key=lambda f: (f.repo or "", f.path, f.line, f.rule_id))
    value, reasons = scoring.score(members, findings, corpus_repos, kind, name, similarity)
    key = "\n".join(f"{m['repo']}\0{m['path']}\0{m['line']}" for m in sorted(
        members, key=lambda m: (m["repo"], m["path"], m["line"])))
    cid = "c-" + hashlib.sha1(key.encode("utf-8", "surrogatepass")).hexdigest()[:12]
    return Campaign(cid, value, tuple(reasons), kind, name, tuple(members), tuple(findings))
