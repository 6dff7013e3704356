"""Vectorized MinHash, value-for-value the same as datasketch's `affine64` scheme, many units at a time.

Shingles arrive already hashed to 64 bits; each permutation is one numpy array operation over all
shingles of a batch of units, and `np.minimum.reduceat` takes each unit's minimum. A signature is
NUM_PERM uint64 values (little-endian bytes in a Unit), readable as a datasketch LeanMinHash.
"""
from __future__ import annotations

from functools import lru_cache

import numpy as np
from datasketch import LeanMinHash, MinHash
from datasketch.minhash import _fmix

NUM_PERM = 128
SEED = 1
SCHEME = "affine64"
CHUNK = 16384  # shingles per matrix block: 16384 x 128 x 8 bytes = 16 MB


@lru_cache(maxsize=4)
def permutations(num_perm: int = NUM_PERM, seed: int = SEED) -> tuple[np.ndarray, np.ndarray]:
    """datasketch's own (a, b) for this seed, so signatures compare with its MinHash objects."""
    a, b = MinHash(num_perm=num_perm, seed=seed, scheme=SCHEME).permutations
    return a.astype(np.uint64), b.astype(np.uint64)


def signatures(shingle_sets: list[np.ndarray], num_perm: int = NUM_PERM, seed: int = SEED) -> np.ndarray:
    """One row of `num_perm` uint64 min-hashes per shingle array (an empty array gives all-max)."""
    a, b = permutations(num_perm, seed)
    out = np.full((len(shingle_sets), num_perm), np.iinfo(np.uint64).max, dtype=np.uint64)
    sizes = np.array([len(s) for s in shingle_sets], dtype=np.int64)
    nonempty = np.flatnonzero(sizes)
    if not len(nonempty):
        return out
    values = np.concatenate([shingle_sets[i] for i in nonempty]).astype(np.uint64, copy=False)
    owner = np.repeat(np.arange(len(nonempty)), sizes[nonempty])
    with np.errstate(over="ignore"):
        mixed = _fmix(values, 64)
        for lo in range(0, len(values), CHUNK):
            block = mixed[lo:lo + CHUNK, None] * a[None, :] + b[None, :]  # wraps mod 2^64, as datasketch
            who = owner[lo:lo + CHUNK]
            starts = np.flatnonzero(np.r_[True, who[1:] != who[:-1]])
            mins = np.minimum.reduceat(block, starts, axis=0)
            rows = nonempty[who[starts]]
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


def lean(signature: np.ndarray, seed: int = SEED) -> LeanMinHash:
    """The datasketch view of a signature (for its LSH, jaccard and serialization)."""
    return LeanMinHash(seed=seed, hashvalues=signature, scheme=SCHEME)


def similarity(left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """Estimated Jaccard of row pairs: the share of equal min-hashes."""
    return (left == right).mean(axis=-1)
