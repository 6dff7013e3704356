"""The run's signature file read by rows (mapped per read) and by stretches (read, not mapped): the same rows as the
whole array, in the order asked, every asked position once."""
from __future__ import annotations

import numpy as np

from codescan.cluster import minhash, sigfile


def test_rows_and_stretches_give_the_written_signatures(tmp_path, monkeypatch):
    rng = np.random.default_rng(3)
    count = 1000
    table = rng.integers(0, 1 << 16, size=(count, minhash.NUM_PERM), dtype=np.uint16)
    path = tmp_path / "signatures.u16"
    path.write_bytes(table.astype(sigfile.DTYPE).tobytes())
    at = np.array([999, 3, 3, 512, 0])
    assert np.array_equal(sigfile.rows(path, count, at), table[at])
    with sigfile.Reader(path) as reader:
        assert np.array_equal(reader.rows(at), table[at])
        assert reader.rows(np.zeros(0, dtype=np.int64)).shape == (0, minhash.NUM_PERM)
    monkeypatch.setattr(sigfile, "STRETCH", 64)  # many stretches, some holding no asked position
    wanted = np.sort(rng.choice(count, size=150, replace=False))
    wanted = np.concatenate([wanted[wanted < 200], wanted[wanted > 700], [count - 1]])
    wanted = np.unique(wanted)
    seen = []
    for positions, rows in sigfile.blocks(path, count, wanted):
        assert len(positions) and positions.max() - positions.min() < 64
        assert np.array_equal(rows, table[positions])
        seen.extend(positions.tolist())
    assert seen == wanted.tolist()


def test_signed_units_narrowed_give_the_same_rows_for_the_kept_keys(tmp_path):
    keys = np.array([3, 8, 20, 21, 40], dtype=np.int64)
    units = sigfile.Signed(keys, np.zeros(5, dtype=np.int16), np.ones(5, dtype=np.int32), tmp_path / "s.u16")
    asked = np.array([40, 8, 20], dtype=np.int64)
    before = units.rows_of(asked)
    assert before.tolist() == [4, 1, 2]
    units.narrow(np.array([5, 8, 20, 40], dtype=np.int64))  # 5 has no signature: left out
    assert units.keys is None and units.kinds is None and units.tokens is None
    assert units.rows_of(asked).tolist() == before.tolist()
