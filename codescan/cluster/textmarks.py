"""Fingerprints a planted snippet keeps through reformatting: the URLs it names and the sentences of its prose.

A planter rewraps a docstring, turns it into a comment or a Markdown note, quotes a command differently in each
CI file or calls `os.system` in one copy and `subprocess.call` in the next: the line fingerprints differ, but the
endpoint's URL and the prose's sentences (its words in order, wherever the lines break) stay. Both are line units
named URL / PROSE (an 8-byte fingerprint carrying its name, like a comment's stem: linekey.py), spanning the rows
they cover: a distinctive mark, so one that links a campaign holding findings to a copy no unit links brings that
copy in (campaign.py)."""
from __future__ import annotations

import re

import numpy as np
import xxhash

from ..records import Unit
from .linekey import PROSE, URL, mark
SENTENCE_WORDS = 10  # words a sentence needs: "Returns the value." is everywhere; each sentence costs its blob 8 bytes of state
URL_MIN_CHARS = 14  # `http://a.io/x`: shorter ones are placeholders
TEXT_MAX = 1 << 19  # a text file this big is data (a dump, a log), not notes an assistant or a reader follows
_URL = re.compile(rb"""\b(?:https?|ftps?|wss?)://[^\s'"`<>()\[\]{}\\|^]+""", re.I)
_URL_TAIL = b".,;:!?*/#"
FIND_SCHEMES = True  # off: _URL.finditer over the whole text (tests compare)
_WORD = re.compile(rb"[A-Za-z_][A-Za-z0-9_]*|\d+|[^\s\w]")  # the token walk's word pattern (tokenwalk._WORD)
_ENDS = frozenset((b".", b"!", b"?"))
# A line of prose in a text file: optional quote/comment/list lead, then plain words.
_LEAD = re.compile(rb"^\s*(?:#+|//+|/\*+|\*+|--|;+|>+|[-+*]|\d+[.)])?\s*")
_FENCE = re.compile(rb"^\s*(?:```|~~~)")
_PROSE_START = re.compile(rb"[A-Za-z`*_\[]")  # prose starts with a word (maybe marked up), data with `{`, `"`, `<`
_HEAD = re.compile(rb"^\s*(?:#{1,6}\s|[-+*]\s|\d+[.)]\s)")  # a header or list item starts a sentence
_PUNCT = {xxhash.xxh64_intdigest(bytes([c])) for c in range(33, 127) if not chr(c).isalnum() and chr(c) != "_"}
_PUNCT_ARRAY = np.array(sorted(_PUNCT), dtype=np.uint64)
_END_HASHES = np.array(sorted(xxhash.xxh64_intdigest(e) for e in _ENDS), dtype=np.uint64)


def urls(source: bytes) -> list[Unit]:
    """A fingerprint per distinct URL (host lower-cased, trailing punctuation dropped), at its first row."""
    out: list[Unit] = []
    seen: set[int] = set()
    row, at = 1, 0
    for m in _url_matches(source):
        url = m.group().rstrip(_URL_TAIL)
        if len(url) < URL_MIN_CHARS:
            continue
        scheme, _, rest = url.partition(b"://")
        host, slash, path = rest.partition(b"/")
        if b"." not in host:
            continue
        h = xxhash.xxh64_intdigest(b"url\0" + scheme.lower() + b"://" + host.lower() + slash + path)
        if h in seen:
            continue
        seen.add(h)
        row += source.count(b"\n", at, m.start())
        at = m.start()
        out.append(Unit("line", row, row, mark(h, URL), URL, 1))
    return out


def _url_matches(source: bytes):
    """_URL.finditer(source), tried only just before each `://` (a scheme is 2 to 5 letters): the same matches, in
    order, without running the pattern from every offset of the file (0.14 -> 0.013 CPU-s on the history bench's
    versions)."""
    if not FIND_SCHEMES:
        yield from _URL.finditer(source)
        return
    end = 0  # where the last match ended: a `://` inside it (a URL in a query string) starts nothing
    at = source.find(b"://")
    while at >= 0:
        for start in range(max(end, at - 5), at - 1):  # leftmost first, as finditer
            m = _URL.match(source, start)
            if m is not None:
                yield m
                end = m.end()
                break
        at = source.find(b"://", max(at + 3, end))


def _key(words: np.ndarray) -> int:
    return xxhash.xxh64_intdigest(b"prose\0" + words.astype(np.uint64).tobytes())


def stream_sentences(stream, source: bytes) -> list[Unit]:
    """Sentences of a token stream's prose (comments, docstrings): runs of prose tokens cut at `.`/`!`/`?` and at
    blank lines, punctuation dropped; a sentence of SENTENCE_WORDS words or more is a fingerprint of its words.
    A word the stream renamed as a local (`self` in "self-signed") is read back as written: whether a prose word
    names a local depends on the host file, not on the sentence."""
    prose = stream.prose
    if prose is None or not prose.any():
        return []
    where = np.flatnonzero(prose)
    toks, rws = stream.hashes[where].copy(), stream.rows[where].astype(np.int64) + 1  # the stream's rows start at 0
    if stream.locals is not None:
        renamed = np.flatnonzero(stream.locals[where] >= 0)
        for i in renamed.tolist():
            m = _WORD.match(source, int(stream.starts[where[i]]))
            if m is not None:
                toks[i] = xxhash.xxh64_intdigest(m.group())
    # A new sentence after a token that ends one, after a gap in the prose (code between) or a blank line.
    brk = np.ones(len(where), dtype=bool)
    brk[1:] = (np.diff(where) > 1) | (np.diff(rws) > 1) | np.isin(toks[:-1], _END_HASHES)
    words = ~np.isin(toks, _PUNCT_ARRAY)
    return _sentences(toks, rws, brk, words)


def text_sentences(source: bytes) -> list[Unit]:
    """Sentences of a text file's prose (Markdown, assistant rule files, plain notes): lines of words (after a
    comment, quote or list lead) joined across line breaks; fenced code, blank lines, headers, list items and lines
    that do not start as prose (data: JSON, CSV, markup) cut. A file over TEXT_MAX bytes is data, not notes."""
    if len(source) > TEXT_MAX:
        return []
    toks: list[int] = []
    rws: list[int] = []
    firsts: list[int] = []  # where a sentence must start: the first word after a cut
    fenced = False
    cut = True
    cache: dict[bytes, int] = {}
    digest = xxhash.xxh64_intdigest

    def word_hash(word: bytes) -> int:
        h = cache.get(word)
        if h is None:
            h = cache[word] = digest(word)
        return h

    for row, raw in enumerate(source.split(b"\n"), start=1):
        if _FENCE.match(raw):
            fenced, cut = not fenced, True
            continue
        body = raw[_LEAD.match(raw).end():]
        if fenced or not _PROSE_START.match(body):
            cut = True
            continue
        words = _WORD.findall(body)
        if cut or _HEAD.match(raw):
            firsts.append(len(toks))
            cut = False
        toks.extend(map(word_hash, words))
        rws.extend([row] * len(words))
    if not toks:
        return []
    arr = np.array(toks, dtype=np.uint64)
    brk = np.zeros(len(arr), dtype=bool)
    brk[firsts] = True
    brk[1:] |= np.isin(arr[:-1], _END_HASHES)
    return _sentences(arr, np.array(rws, dtype=np.int64), brk, ~np.isin(arr, _PUNCT_ARRAY))


def _sentences(toks: np.ndarray, rows: np.ndarray, brk: np.ndarray, words: np.ndarray) -> list[Unit]:
    starts = np.flatnonzero(brk)
    if not len(starts):
        return []
    ends = np.r_[starts[1:], len(toks)]
    # the words (punctuation dropped) of every sentence, as one buffer: a sentence's are the slice between the
    # counts of words before its start and its end (hashed as _key hashes them, without numpy calls per sentence)
    before = np.zeros(len(toks) + 1, dtype=np.int64)
    np.cumsum(words, out=before[1:])
    firsts, lasts = before[starts], before[ends]
    data = toks[words].astype(np.uint64).tobytes()
    digest = xxhash.xxh64_intdigest
    out: list[Unit] = []
    seen: set[int] = set()
    long = np.flatnonzero(lasts - firsts >= SENTENCE_WORDS)
    for a, b, lo, hi in zip(starts[long].tolist(), ends[long].tolist(), firsts[long].tolist(), lasts[long].tolist()):
        h = digest(b"prose\0" + data[8 * lo:8 * hi])
        if h in seen:
            continue
        seen.add(h)
        out.append(Unit("line", int(rows[a]), int(rows[b - 1]), mark(h, PROSE), PROSE, 1))
    return out
