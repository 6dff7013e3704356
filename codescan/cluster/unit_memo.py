"""Min-hash units a worker remembers by their tokens: a function, class or block that did not change between two
versions of a file gets its token count and signature back without its shingles being hashed and min-hashed again.

What units.extract keeps of a span (the views it signs: the whole unit, and for a function or class its code alone;
each view's token count and min-hash) depends only on the span's token hashes, on which of them are prose (the
code-only view leaves those out), on whether the span is a function or class (only those get a code-only view) and
on the shingle size. That is the key, the token hashes and prose flags by a 128-bit hash of their bytes. Where the
span sits (its lines, the tokens around it, where the token walk's pieces start) changes no value kept: a shingle
depends on its own tokens only, and a min-hash of a union of parts is the minimum of the parts' min-hashes, so the
cut extract makes at statement starts gives the signature of the whole sequence. Bounded: emptied when full."""
from __future__ import annotations

import xxhash

MEMO = 8192  # spans remembered per process (each at most two signatures of 1 kB)
ON = True  # off: every span signed again (tests compare)
_memo: dict[tuple, tuple] = {}
COUNTS = [0, 0]  # spans found in the memo, spans signed (load-independent work counts for benches)


def key(code_view: bool, stream, lo: int, hi: int, shingle: int) -> tuple | None:
    """The memo key of the span [lo, hi) of `stream` (None: not remembered)."""
    if not ON:
        return None
    hashes = stream.hashes[lo:hi]
    prose = None
    if code_view and stream.prose is not None:
        prose = xxhash.xxh3_128_intdigest(stream.prose[lo:hi].tobytes())
    return code_view, shingle, hi - lo, xxhash.xxh3_128_intdigest(hashes.tobytes()), prose


def get(memo_key: tuple | None) -> tuple | None:
    """The ((token count, signature bytes), ...) remembered for this key, one per view kept (maybe none)."""
    if memo_key is None:
        return None
    found = _memo.get(memo_key)
    COUNTS[found is None] += 1
    return found


def put(memo_key: tuple | None, kept: tuple) -> None:
    if memo_key is None:
        return
    if len(_memo) >= MEMO:
        _memo.clear()
    _memo[memo_key] = kept
