"""MinHash without datasketch loaded: the same permutations and values, and repeated shingle sets served from the
process's memo with the very values a fresh computation gives."""
from __future__ import annotations

import subprocess
import sys

import numpy as np
from datasketch import MinHash

from codescan.cluster import minhash


def test_values_match_datasketch_and_the_memo_changes_nothing():
    rng = np.random.default_rng(7)
    sets = [np.unique(rng.integers(0, 2**63, n, dtype=np.uint64)) for n in (5, 300, 0, 40)]
    minhash._memo.clear()
    first = minhash.signatures(sets)
    assert len(minhash._memo) == 3  # the empty set is not remembered
    again = minhash.signatures([sets[1], sets[3], sets[0]])
    assert (again == first[[1, 3, 0]]).all()
    ref = MinHash(num_perm=minhash.NUM_PERM, seed=minhash.SEED, scheme=minhash.SCHEME)
    a, b = ref.permutations
    assert (a.astype(np.uint64) == minhash.permutations()[0]).all()
    assert (b.astype(np.uint64) == minhash.permutations()[1]).all()
    assert (first[2] == np.iinfo(np.uint64).max).all()


def test_units_import_without_datasketch():
    code = "import sys, codescan.cluster.units; print('datasketch' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == "False"
