"""A state's unit rows do not depend on how a crawl cut its batches: each file's versions are stored oldest first and a
version's base is chosen among the versions before it (unitstore.write, unitstore._neighbour)."""
from __future__ import annotations

import numpy as np

from codescan.state import open_state, unitdelta
from codescan.state.unitread import expanded

VERSIONS = 30


def _versions():
    """(blob, units) of VERSIONS versions of one file, oldest first; blob ids in random order, as git's are."""
    rng = np.random.default_rng(11)
    funcs = {name: rng.integers(0, 2**63, 128, dtype=np.uint64) for name in "fghk"}
    lines = [(n * 977 + 8).to_bytes(8, "little") for n in range(1, 80)]
    ids = [f"{int(x):040x}" for x in rng.permutation(VERSIONS) * 7919 + 101]
    out = []
    for v in range(VERSIONS):
        name = "fghk"[v % 4]
        funcs[name] = funcs[name].copy()
        funcs[name][:12] = rng.integers(0, 2**63, 12, dtype=np.uint64)
        units = [("function", n, 1 + 10 * i, sig.astype("<u8").tobytes()) for i, (n, sig) in enumerate(sorted(funcs.items()))]
        units += [("line", None, 60 + n, h) for n, h in enumerate(lines[v:v + 40])]
        out.append((ids[v], [(i, kind, n, line, line + 3, 40, sig) for i, (kind, n, line, sig) in enumerate(units)]))
    return out


def _crawl(path, cuts: list[int]):
    """Store the versions in batches cut before the given version numbers; the units and blob_units rows."""
    versions = _versions()
    with open_state(path) as st:
        crawl = st.begin_crawl("/x")
        occ = [("app.py", blob, "refs/heads/main", f"c{i}", "Ann", "a@x", "2024-01-01", "2024-01-01", 1000 + i)
               for i, (blob, _) in enumerate(versions)]
        st.record_repo(crawl, "acme/app", "/x", True, False, "ok", occ, [])
        edges = [0, *cuts, len(versions)]
        for lo, hi in zip(edges, edges[1:]):
            st.write_batch(crawl, units=[(blob, *u) for blob, units in versions[lo:hi] for u in units])
        rows = {t: st.conn.execute(f"SELECT * FROM {t} ORDER BY 1").fetchall() for t in ("units", "blob_units")}
        back: dict[str, list] = {}
        for blob, _idx, unit in expanded(st.conn):
            back.setdefault(blob, []).append((unit.kind, unit.line, unit.signature))
        return rows, back


def test_rows_are_the_same_however_the_batches_are_cut(tmp_path):
    one, back = _crawl(tmp_path / "one.db", [])
    each, _ = _crawl(tmp_path / "each.db", list(range(1, VERSIONS)))
    some, _ = _crawl(tmp_path / "some.db", [3, 4, 11, 20, 29])
    assert one == each == some
    for blob, units in _versions():  # and they read back as written (signatures as their stored 16 bits)
        want = [(k, line, sig if k == "line" else (np.frombuffer(sig, "<u8") & np.uint64(0xFFFF)).astype("<u8").tobytes())
                for _i, k, _n, line, _e, _t, sig in units]
        assert back[blob] == want


def test_versions_stored_oldest_first_are_not_one_chain(tmp_path):
    rows, _ = _crawl(tmp_path / "s.db", list(range(1, VERSIONS)))
    depths = [r[4] for r in rows["blob_units"]]
    whole = sum(1 for r in rows["blob_units"] if r[3] is None)
    # each version on the one before it would be a chain into the depth limit, restarted with a whole list
    chain_whole = -(-VERSIONS // (unitdelta.MAX_DEPTH + 1))
    assert whole < chain_whole
    assert max(depths) <= unitdelta.MAX_DEPTH
