"""Campaign clustering bench on standard-library sources: MinHash speed against datasketch's per-shingle
`update`, LSH build/query time, bytes per unit, and how well each normalization scheme and shingle size
finds renamed copies (bench/normalize_bench.py).

    python bench/cluster_bench.py [--mb 4] [--pairs 1000]
"""
from __future__ import annotations

import argparse
import sys
import sysconfig
import time
from pathlib import Path

import numpy as np
from datasketch import MinHash, MinHashLSH

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from codescan.analyze import languages  # noqa: E402
from codescan.cluster import lsh, minhash  # noqa: E402
from codescan.cluster.shingles import shingle_hashes, tokens  # noqa: E402
from codescan.cluster.units import extract  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
import normalize_bench  # noqa: E402

STDLIB = Path(sysconfig.get_paths()["stdlib"])


def stdlib_files(limit_bytes: int) -> list[bytes]:
    out, total = [], 0
    for path in sorted(STDLIB.rglob("*.py")):
        if "test" in path.parts or "site-packages" in path.parts:
            continue
        data = path.read_bytes()
        out.append(data)
        total += len(data)
        if total >= limit_bytes:
            break
    return out


def bench_minhash(files: list[bytes]) -> list[np.ndarray]:
    parser = languages.parser("python")
    t0 = time.perf_counter()
    trees = [parser.parse(f) for f in files]
    t_parse = time.perf_counter() - t0
    t0 = time.perf_counter()
    units = [u for tree, src in zip(trees, files) for u in extract(tree, src, "python")]
    t_units = time.perf_counter() - t0
    mb = sum(map(len, files)) / 1e6
    sig_units = [u for u in units if u.kind != "line"]
    print(f"input: {len(files)} stdlib files, {mb:.2f} MB; parse {mb / t_parse:.2f} MB/s")
    print(f"units: {len(sig_units)} signed units + {len(units) - len(sig_units)} line fingerprints; "
          f"extract (tokens+shingles+MinHash) {mb / t_units:.2f} MB/s, {len(sig_units) / t_units:.0f} units/s")
    # Same shingles into both implementations: the hashing/permutation step alone.
    sets = []
    for tree, src in zip(trees, files):
        sets.append(shingle_hashes(tokens(tree, src).hashes))
    n_sh = sum(map(len, sets))
    t0 = time.perf_counter()
    sigs = minhash.signatures(sets)
    t_mine = time.perf_counter() - t0
    sample = sets[: max(1, len(sets) // 8)]
    sample_sh = sum(map(len, sample))
    t0 = time.perf_counter()
    for s in sample:
        m = MinHash(num_perm=minhash.NUM_PERM, seed=minhash.SEED, scheme="affine64")
        for v in s.tolist():
            m.update(v.to_bytes(8, "little"))
    t_ds = (time.perf_counter() - t0) * n_sh / sample_sh  # scaled to all shingles
    print(f"MinHash of {len(sets)} file signatures ({n_sh} shingles, 128 perm): codescan {t_mine:.2f} s "
          f"({len(sets) / t_mine:.0f} sig/s, {mb / t_mine:.1f} MB/s) vs datasketch update() {t_ds:.2f} s "
          f"({len(sets) / t_ds:.0f} sig/s, {mb / t_ds:.2f} MB/s): {t_ds / t_mine:.1f}x")
    stacked = minhash.stack([u.signature for u in sig_units])
    bands, rows = lsh.choose_bands()
    t0 = time.perf_counter()
    keys = lsh.band_keys(stacked, bands, rows)
    pairs = lsh.candidate_pairs(keys)
    linked, _ = lsh.verify(stacked, pairs)
    t_lsh = time.perf_counter() - t0
    print(f"LSH ({bands} bands x {rows} rows, threshold {lsh.THRESHOLD}): build+query+verify {len(stacked)} units "
          f"in {t_lsh:.3f} s, {len(pairs)} candidates, {len(linked)} linked")
    t0 = time.perf_counter()
    index = MinHashLSH(threshold=lsh.THRESHOLD, num_perm=minhash.NUM_PERM)
    leans = [minhash.lean(s) for s in stacked]
    for i, m in enumerate(leans):
        index.insert(i, m)
    t_build = time.perf_counter() - t0
    t0 = time.perf_counter()
    for m in leans:
        index.query(m)
    t_query = time.perf_counter() - t0
    print(f"datasketch MinHashLSH on the same LeanMinHash signatures: build {t_build:.3f} s, query {t_query:.3f} s")
    per_unit = minhash.NUM_PERM * 8 + bands * 8
    print(f"bytes per signed unit: {minhash.NUM_PERM * 8} signature + {bands * 8} band keys = {per_unit} "
          f"(+8 per line fingerprint); 100M units -> {per_unit * 1e8 / 1e9:.0f} GB of arrays")
    return sets


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=4.0, help="MB of stdlib source to read")
    parser.add_argument("--functions", type=int, default=3000)
    parser.add_argument("--pairs", type=int, default=100000)
    args = parser.parse_args()
    files = stdlib_files(int(args.mb * 1e6))
    bench_minhash(files)
    rows = normalize_bench.measure(args.functions, args.pairs, [3, 4, 5, 6])
    print(f"normalization on {rows[0]['functions']} stdlib functions (bench/normalize_bench.py):")
    print(normalize_bench.table(rows))


if __name__ == "__main__":
    main()
