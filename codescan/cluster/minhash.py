"""Vectorized MinHash, value-for-value the same as datasketch's `affine64` scheme, many units at a time.

Shingles arrive already hashed to 64 bits; each permutation is one numpy array operation over all
shingles of a batch of units, and `np.minimum.reduceat` takes each unit's minimum. A signature is
NUM_PERM uint64 values (little-endian bytes in a Unit), readable as a datasketch LeanMinHash.
The permutations are drawn as datasketch draws them (so datasketch, which pulls in scipy, is imported only
for `lean`), and a process remembers the signatures of recent shingle sets: a unit that did not change
between two versions of a file is hashed once.
"""
from __future__ import annotations

from functools import lru_cache

import numpy as np
import xxhash

NUM_PERM = 128
STORED_BITS = 16  # bits of each value campaigns compare (b-bit MinHash; error bound in state/unitstore.py)
STORED_MASK = (1 << STORED_BITS) - 1
SEED = 1
SCHEME = "affine64"
CHUNK = 1024  # shingles per matrix block: 1024 x 128 x 8 bytes = 1 MB, reused (cache-sized: 16 MB blocks ran 2.5x slower)
MEMO = 32768  # signatures (of units and of big units' statements) remembered per process, about 1 kB each
# MurmurHash3's 64-bit finalizer (shifts and multipliers), the pre-mix datasketch applies to every hash.
_FMIX = (np.uint64(33), np.uint64(0xFF51AFD7ED558CCD), np.uint64(33), np.uint64(0xC4CEB9FE1A85EC53), np.uint64(33))
_memo: dict[tuple, np.ndarray] = {}


def _fmix(values: np.ndarray) -> np.ndarray:
    s1, m1, s2, m2, s3 = _FMIX
    with np.errstate(over="ignore"):
        values = values ^ (values >> s1)
        values = values * m1
        values = values ^ (values >> s2)
        values = values * m2
        return values ^ (values >> s3)


@lru_cache(maxsize=4)
def permutations(num_perm: int = NUM_PERM, seed: int = SEED) -> tuple[np.ndarray, np.ndarray]:
    """datasketch's (a, b) for this seed: odd 64-bit multipliers, then 64-bit offsets, from one RandomState."""
    gen = np.random.RandomState(seed)
    a = gen.randint(0, 1 << 63, num_perm, dtype=np.uint64) * np.uint64(2) + np.uint64(1)
    b = gen.randint(0, 1 << 64, num_perm, dtype=np.uint64)
    return a, b


def signatures(shingle_sets: list[np.ndarray], num_perm: int = NUM_PERM, seed: int = SEED) -> np.ndarray:
    """One row of `num_perm` uint64 min-hashes per shingle array (an empty array gives all-max)."""
    out = np.full((len(shingle_sets), num_perm), np.iinfo(np.uint64).max, dtype=np.uint64)
    keys = [(num_perm, seed, len(s), xxhash.xxh64_intdigest(np.ascontiguousarray(s).tobytes())) if len(s) else None
            for s in shingle_sets]
    todo = []
    for row, key in enumerate(keys):
        if key is None:
            continue
        known = _memo.get(key)
        if known is None:
            todo.append(row)
        else:
            out[row] = known
    if todo:
        out[todo] = _compute([shingle_sets[row] for row in todo], num_perm, seed)
        if len(_memo) + len(todo) > MEMO:
            for old in list(_memo)[:max(len(todo), MEMO // 4)]:  # the oldest first
                del _memo[old]
        for row in todo:
            _memo[keys[row]] = out[row].copy()
    return out


def _compute(shingle_sets: list[np.ndarray], num_perm: int, seed: int) -> np.ndarray:
    a, b = permutations(num_perm, seed)
    out = np.full((len(shingle_sets), num_perm), np.iinfo(np.uint64).max, dtype=np.uint64)
    sizes = np.array([len(s) for s in shingle_sets], dtype=np.int64)
    values = np.concatenate(shingle_sets).astype(np.uint64, copy=False)
    owner = np.repeat(np.arange(len(shingle_sets)), sizes)
    buffer = np.empty((min(CHUNK, len(values)), num_perm), dtype=np.uint64)
    with np.errstate(over="ignore"):
        mixed = _fmix(values)
        for lo in range(0, len(values), CHUNK):
            part = mixed[lo:lo + CHUNK, None]
            block = buffer[:len(part)]
            np.multiply(part, a[None, :], out=block)  # wraps mod 2^64, as datasketch
            np.add(block, b[None, :], out=block)
            who = owner[lo:lo + CHUNK]
            starts = np.flatnonzero(np.r_[True, who[1:] != who[:-1]])
            mins = np.minimum.reduceat(block, starts, axis=0)
            rows = who[starts]
            out[rows] = np.minimum(out[rows], mins)
    return out


def to_bytes(signature: np.ndarray) -> bytes:
    return signature.astype("<u8", copy=False).tobytes()


def from_bytes(data: bytes) -> np.ndarray:
    return np.frombuffer(data, dtype="<u8")


def stack(blobs: list[bytes], num_perm: int = NUM_PERM) -> np.ndarray:
    """Signature bytes of many units as one (n, num_perm) array."""
    if not blobs:
        return np.zeros((0, num_perm), dtype=np.uint64)
    return np.frombuffer(b"".join(blobs), dtype="<u8").reshape(len(blobs), -1)


def lean(signature: np.ndarray, seed: int = SEED):
    """The datasketch view of a signature (a LeanMinHash: its LSH, jaccard and serialization)."""
    from datasketch import LeanMinHash

    return LeanMinHash(seed=seed, hashvalues=signature, scheme=SCHEME)


def stored(signatures: np.ndarray) -> np.ndarray:
    """The low STORED_BITS of each value: what a state keeps (state/unitstore.py) and what every comparison uses,
    so signatures read from a state and signatures computed here compare alike."""
    return signatures & np.uint64(STORED_MASK)


def similarity(left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """Estimated Jaccard of row pairs: the share of equal min-hashes."""
    return (left == right).mean(axis=-1)
