"""Campaign clustering bench on standard-library sources: MinHash speed against datasketch's per-shingle
`update`, LSH build/query time, bytes per unit, and how well shingle normalization finds renamed copies.

    python bench/cluster_bench.py [--mb 4] [--pairs 1000]
"""
from __future__ import annotations

import argparse
import ast
import random
import re
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


def functions(files: list[bytes], limit: int) -> list[str]:
    out = []
    for src in files:
        text = src.decode("utf-8", "replace")
        try:
            tree = ast.parse(text)
        except SyntaxError:
            continue
        lines = text.splitlines()
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef) and node.end_lineno - node.lineno >= 4:
                out.append("\n".join(lines[node.lineno - 1:node.end_lineno]))
                if len(out) >= limit:
                    return out
    return out


def renamed(source: str, rng: random.Random, blind: bool, inserts: int) -> str:
    import textwrap

    source = textwrap.dedent(source)
    try:
        fn = ast.parse(source).body[0]
    except (SyntaxError, IndexError):
        return source
    names = {a.arg for a in ast.walk(fn) if isinstance(a, ast.arg)} | {
        n.id for n in ast.walk(fn) if isinstance(n, ast.Name) and (blind or isinstance(n.ctx, ast.Store))}
    for name in sorted(names - {"self"}):
        source = re.sub(rf"(?<![.\w]){re.escape(name)}\b(?!=[^=])", f"v{rng.randrange(10**6)}", source)
    lines = source.splitlines()
    for _ in range(inserts):
        at = rng.randrange(1, len(lines))
        indent = re.match(r"\s*", lines[at]).group()
        lines.insert(at, f"{indent}_trace = len(str({rng.randrange(100)}))")
    return "\n".join(lines)


def sets_of(sources: list[str], normalized: bool) -> list[set]:
    parser = languages.parser("python")
    out = []
    for s in sources:
        data = s.encode()
        if normalized:
            hashes = tokens(parser.parse(data), data).hashes
        else:
            import xxhash
            hashes = np.array([xxhash.xxh64_intdigest(t) for t in re.findall(rb"\w+|[^\s\w]", data)], dtype=np.uint64)
        out.append(set(shingle_hashes(hashes).tolist()))
    return out


def jaccard(a: set, b: set) -> float:
    return len(a & b) / len(a | b) if a or b else 1.0


def bench_normalization(files: list[bytes], count: int, pairs: int) -> None:
    import textwrap

    rng = random.Random(1)
    base = [textwrap.dedent(f) for f in functions(files, count)]
    print(f"normalization on {len(base)} stdlib functions (renamed copy found = Jaccard >= 0.7):")
    for label, blind, inserts in (("consistent renaming", False, 0), ("blind renaming", True, 0),
                                  ("blind renaming + 2 inserted statements", True, 2)):
        copies = [renamed(s, rng, blind, inserts) for s in base]
        for normalized in (False, True):
            a, b = sets_of(base, normalized), sets_of(copies, normalized)
            found = sum(jaccard(x, y) >= 0.7 for x, y in zip(a, b)) / len(a)
            print(f"  {label:40s} {'normalized' if normalized else 'raw tokens':10s}: {found:.1%}")
    norm = sets_of(base, True)
    hits = 0
    for _ in range(pairs):
        i, j = rng.sample(range(len(norm)), 2)
        hits += base[i] != base[j] and jaccard(norm[i], norm[j]) >= 0.7
    print(f"  unrelated pairs above 0.7: {hits} of {pairs} random pairs ({1000 * hits / pairs:.2f} per 1,000)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=4.0, help="MB of stdlib source to read")
    parser.add_argument("--functions", type=int, default=3000)
    parser.add_argument("--pairs", type=int, default=100000)
    args = parser.parse_args()
    files = stdlib_files(int(args.mb * 1e6))
    bench_minhash(files)
    bench_normalization(stdlib_files(int(20e6)), args.functions, args.pairs)


if __name__ == "__main__":
    main()
