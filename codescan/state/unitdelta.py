"""Deltas against a neighbouring version of the same file: a blob's key list as an edit of its base's list, and a
unit's min-hashes as the values that differ from a similar unit's (two versions of a function share most)."""
from __future__ import annotations

import zlib

import numpy as np

MAX_DEPTH = 16  # a delta's base is at most this many deltas from a full copy (reads stay short). 8 until versions
# were stored oldest first with a treap's bases (unitstore._neighbour): chains are about log2(versions) deep then, and
# 16 lets a function's 10th version still be a delta (history bench: units 643 -> ~700 kB of pages at 8, ~692 at 16)
NUM_VALUES = 128  # min-hash values per signature (cluster/minhash.NUM_PERM)
SMALL = 16  # fewer differing values than this: their positions a byte each (3 bytes a value against 16 + 2)
VALUE = "<u2"  # a stored min-hash value: its low 16 bits (see unitstore.py for the error this costs)


def edit(base: np.ndarray, keys: np.ndarray) -> bytes | None:
    """`keys` as runs copied from `base` and literal keys (None when that is no smaller than the list). One pass: a
    key that continues the current copy extends it, else a copy starts at the key's first place in `base`, else it
    is a literal. Units keep their order between versions, so this finds the runs difflib's longest matches found
    (a moved unit is a copy too), at a fraction of the cost: 0.19 CPU-s of a history-bench crawl's unit writes."""
    base_list, key_list = base.tolist(), keys.tolist()
    first: dict[int, int] = {}
    for i, key in enumerate(base_list):
        first.setdefault(key, i)
    runs: list[int] = []
    literals: list[int] = []
    size = len(base_list)
    at = -1  # the base index the current copy goes on with (-1: none)
    for key in key_list:
        if 0 <= at < size and base_list[at] == key:
            runs[-1] += 1
            at += 1
            continue
        start = first.get(key)
        if start is None:
            if at == -1 and runs:
                runs[-1] += 1  # the current literal run
            else:
                runs += [-1, 1]
                at = -1
            literals.append(key)
        else:
            runs += [start, 1]
            at = start + 1
    packed = zlib.compress(np.asarray(runs, dtype="<i4").tobytes(), 6)
    body = np.asarray(literals, dtype="<i8").tobytes()
    out = len(packed).to_bytes(4, "little") + packed + body
    return out if len(out) < 8 * len(keys) else None


def apply_edit(base: np.ndarray, data: bytes) -> np.ndarray:
    size = int.from_bytes(data[:4], "little")
    runs = np.frombuffer(zlib.decompress(data[4:4 + size]), dtype="<i4")
    literals = np.frombuffer(data[4 + size:], dtype="<i8")
    parts, used = [], 0
    for start, length in zip(runs[0::2].tolist(), runs[1::2].tolist()):
        if start >= 0:
            parts.append(base[start:start + length])
        else:
            parts.append(literals[used:used + length])
            used += length
    return np.concatenate(parts).astype(np.int64) if parts else np.zeros(0, dtype=np.int64)


def sig_delta(base: bytes, values: bytes) -> bytes | None:
    """The positions and values where `values` differs from `base` (both packed arrays of stored values); None when
    that is no smaller than `values` whole. Positions are a 128-bit mask (16 bytes: an even length in all), or, when
    fewer than 16 values differ, a byte each, padded to an odd length (schema 7; 12 kB on the history bench). A
    schema-6 delta is always a mask, so both read by their length alone."""
    a, b = np.frombuffer(base, dtype=VALUE), np.frombuffer(values, dtype=VALUE)
    if len(a) != len(b):
        return None
    differ = a != b
    if differ.sum() < SMALL and len(a) <= 256:
        where = np.flatnonzero(differ)
        out = where.astype(np.uint8).tobytes() + b[differ].tobytes()
        out += b"\0" * (1 - len(out) % 2)
    else:
        out = np.packbits(differ).tobytes() + b[differ].tobytes()
    return out if len(out) < len(values) else None


def repacked(data: bytes) -> bytes:
    """A schema-6 delta (mask and 16-bit values) with its positions as bytes when fewer than SMALL values differ."""
    if len(data) % 2 or len(data) < NUM_VALUES // 8:
        return data
    mask = NUM_VALUES // 8
    where = np.flatnonzero(np.unpackbits(np.frombuffer(data[:mask], dtype=np.uint8)))
    if len(where) >= SMALL or len(data) != mask + 2 * len(where):
        return data
    out = where.astype(np.uint8).tobytes() + data[mask:]
    return out + b"\0" * (1 - len(out) % 2)


def apply_sig_delta(base: bytes, data: bytes, value: str = VALUE) -> bytes:
    """`base` with the delta's values put back (`value`: the dtype both are stored in; "<u4" in schema 4 and 5)."""
    a = np.frombuffer(base, dtype=value).copy()
    if len(data) % 2:  # positions as bytes
        count = len(data) // (1 + np.dtype(value).itemsize)
        a[np.frombuffer(data[:count], dtype=np.uint8)] = np.frombuffer(data[count:count * (1 + a.itemsize)],
                                                                        dtype=value)
        return a.tobytes()
    mask_len = (len(a) + 7) // 8
    differ = np.unpackbits(np.frombuffer(data[:mask_len], dtype=np.uint8))[:len(a)].astype(bool)
    a[differ] = np.frombuffer(data[mask_len:], dtype=value)
    return a.tobytes()
