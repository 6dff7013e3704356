"""Versions of a file cost what they add: the next version's key list is an edit of the one before, and a changed
function's min-hashes are stored as the values that differ from its namesake's; reading gives the units back."""
from __future__ import annotations

import numpy as np

from codescan.state import open_state
from codescan.state.unitdelta import apply_edit, edit
from codescan.state.unitread import kind_name
from codescan.state.unitstore import unit_key


def _sig(rng, base=None, change=0):
    values = rng.integers(0, 2**63, 128, dtype=np.uint64) if base is None else base.copy()
    if change:
        values[:change] = rng.integers(0, 2**63, change, dtype=np.uint64)
    return values


def _stored(sig):
    """What a state gives back: each value's low 16 bits (unitstore.py)."""
    return (sig & np.uint64(0xFFFF)).astype("<u8").tobytes()


def _rows(blob, units):
    return [(blob, i, kind, name, line, line + 3, 40, sig.astype("<u8").tobytes() if kind != "line" else sig)
            for i, (kind, name, line, sig) in enumerate(units)]


def test_next_version_is_stored_as_deltas(tmp_path):
    rng = np.random.default_rng(3)
    f1, g1, file1 = _sig(rng), _sig(rng), _sig(rng)
    lines = [(n * 977).to_bytes(8, "little") for n in range(1, 60)]
    v1 = [("function", "f", 1, f1), ("function", "g", 10, g1), ("file", None, 1, file1)] + \
         [("line", None, 20 + n, h) for n, h in enumerate(lines)]
    f2, file2 = _sig(rng, f1, change=12), _sig(rng, file1, change=6)
    v2 = [("function", "f", 1, f2), ("function", "g", 12, g1), ("file", None, 1, file2)] + \
         [("line", None, 22 + n, h) for n, h in enumerate(lines[:30] + [b"newline!"] + lines[30:])]
    with open_state(tmp_path / "s.db") as st:
        crawl = st.begin_crawl(str(tmp_path))
        occ = [("app.py", b, "refs/heads/main", c, "Ann", "a@x", d, d, ts) for b, c, d, ts in
               (("v1", "c1", "2024-01-01", 1), ("v2", "c2", "2024-02-01", 2))]
        st.record_repo(crawl, "acme/app", "/x", True, False, "ok", occ, [])
        st.write_batch(crawl, units=_rows("v1", v1))
        st.write_batch(crawl, units=_rows("v2", v2))
        conn = st.conn
        assert conn.execute("SELECT base, depth FROM blob_units WHERE blob = 'v2'").fetchone() == ("v1", 1)
        keys_size = conn.execute("SELECT length(keys) FROM blob_units WHERE blob = 'v2'").fetchone()[0]
        assert keys_size < 8 * len(v2) / 3
        deltas = sorted((kind_name(k), n, size) for k, n, size in conn.execute(
            "SELECT kind, name, length(signature) FROM units WHERE base IS NOT NULL"))
        # f2 is named as its base f1: it stores no name (SAME_NAME), and reads back as "f" below.
        assert [(k, n) for k, n, _ in deltas] == [("file", None), ("function", b"")]
        assert all(size <= 16 + 2 * 12 for _, _, size in deltas)  # a 128-bit mask and 16-bit values, not 256 bytes
        got = {(blob, u.line, u.kind): u for blob, u in st.units()}
    for blob, units in (("v1", v1), ("v2", v2)):
        for kind, name, line, sig in units:
            unit = got[(blob, line, kind)]
            assert (unit.kind, unit.name, unit.end_line) == (kind, name, line + 3)
            assert unit.signature == (_stored(sig) if kind != "line" else sig)


def test_edit_round_trip():
    rng = np.random.default_rng(5)
    base = rng.integers(-2**63, 2**63 - 1, 300, dtype=np.int64)
    keys = np.concatenate([base[:100], rng.integers(0, 9, 3), base[120:250], base[260:]])
    assert (apply_edit(base, edit(base, keys)) == keys).all()
    assert edit(base, rng.integers(0, 2**40, 300)) is None  # nothing shared: stored whole


def test_new_signature_is_a_delta_of_its_most_similar_unit(tmp_path):
    """A renamed function (no namesake in the version before) and a function's code-only view (a sibling stored by
    the same blob) are stored as the values that differ from the unit sharing the most, not whole."""
    rng = np.random.default_rng(11)
    f1, noise = _sig(rng), _sig(rng)
    renamed = _sig(rng, f1, change=40)
    view = _sig(rng, renamed, change=20)
    v1 = [("function", "f", 1, f1), ("function", "other", 20, noise)]
    v2 = [("function", "g", 1, renamed), ("function", "g", 1, view), ("function", "other", 20, noise)]
    with open_state(tmp_path / "s.db") as st:
        crawl = st.begin_crawl(str(tmp_path))
        occ = [("app.py", b, "refs/heads/main", c, "Ann", "a@x", d, d, ts) for b, c, d, ts in
               (("v1", "c1", "2024-01-01", 1), ("v2", "c2", "2024-02-01", 2))]
        st.record_repo(crawl, "acme/app", "/x", True, False, "ok", occ, [])
        st.write_batch(crawl, units=_rows("v1", v1))
        st.write_batch(crawl, units=_rows("v2", v2))
        stored = {key: (size, base) for key, size, base in st.conn.execute(
            "SELECT key, length(signature), base FROM units")}
        got = {(blob, u.line, u.signature) for blob, u in st.units()}

    def key(name, sig):
        return unit_key("function", name, 40, sig.astype("<u8").tobytes())

    size, base = stored[key("g", renamed)]
    assert base == key("f", f1) and size <= 16 + 2 * 40  # against f's first version, not whole (256 bytes)
    size, base = stored[key("g", view)]
    assert base == key("g", renamed) and size <= 16 + 2 * 20  # against the full view stored just before it
    for blob, units in (("v1", v1), ("v2", v2)):
        for _kind, _name, line, sig in units:
            assert (blob, line, _stored(sig)) in got


def test_blob_lists_same_when_the_base_cache_is_emptied_on_the_way(tmp_path, monkeypatch):
    """blob_lists keeps decoded base versions up to a byte budget; past it they are decoded again: same lists."""
    from codescan.state import unitread

    rng = np.random.default_rng(5)
    lines = [(n * 977).to_bytes(8, "little") for n in range(1, 40)]
    with open_state(tmp_path / "s.db") as st:
        crawl = st.begin_crawl(str(tmp_path))
        occ = [("app.py", f"v{i}", "refs/heads/main", f"c{i}", "Ann", "a@x", "2024-01-01", "2024-01-01", i)
               for i in range(6)]
        st.record_repo(crawl, "acme/app", "/x", True, False, "ok", occ, [])
        f = _sig(rng)
        for i in range(6):  # each version an edit of the one before: a chain of bases
            f = _sig(rng, f, change=3)
            units = [("function", "f", 1, f)] + [("line", None, 10 + n + i, h) for n, h in enumerate(lines[i:])]
            st.write_batch(crawl, units=_rows(f"v{i}", units))
        conn = st.conn
        assert conn.execute("SELECT max(depth) FROM blob_units").fetchone()[0] >= 2
        whole = [(b, k.tolist(), s.tolist(), e.tolist()) for b, k, s, e in unitread.blob_lists(conn)]
        monkeypatch.setattr(unitread, "CACHE_BYTES", 64)  # smaller than one decoded list: emptied at every base
        small = [(b, k.tolist(), s.tolist(), e.tolist()) for b, k, s, e in unitread.blob_lists(conn)]
    assert small == whole and len(whole) == 6


def test_a_delta_named_as_its_base_stores_no_name_along_a_chain(tmp_path):
    """Versions of a function keep its name once: a delta of a delta of `f` reads back as `f` (the name resolved
    through both bases, also when its base came from the neighbour version); a renamed one stores its new name."""
    rng = np.random.default_rng(11)
    f1 = _sig(rng)
    f2 = _sig(rng, f1, change=10)
    f3 = _sig(rng, f2, change=10)
    h4 = _sig(rng, f3, change=10)
    versions = {"v1": ("f", f1), "v2": ("f", f2), "v3": ("f", f3), "v4": ("h", h4)}
    with open_state(tmp_path / "s.db") as st:
        crawl = st.begin_crawl(str(tmp_path))
        st.record_repo(crawl, "acme/app", "/x", True, False, "ok",
                       [("app.py", b, "refs/heads/main", f"c{i}", "Ann", "a@x", "2024-01-01", "2024-01-01", i)
                        for i, b in enumerate(versions)], [])
        for blob, (name, sig) in versions.items():
            st.write_batch(crawl, units=_rows(blob, [("function", name, 1, sig)]))
        stored = [(n, d) for n, d in st.conn.execute("SELECT name, depth FROM units ORDER BY depth")]
        assert stored == [("f", 0), (b"", 1), (b"", 2), ("h", 3)]
        got = {blob: u.name for blob, u in st.units()}
    assert got == {"v1": "f", "v2": "f", "v3": "f", "v4": "h"}
    with open_state(tmp_path / "s.db", readonly=True) as st:
        assert {blob: u.name for blob, u in st.units()} == got


def test_edit_round_trip_with_moves_repeats_and_literals():
    rng = np.random.default_rng(5)
    for _ in range(2000):
        base = rng.integers(0, 20, int(rng.integers(0, 60))).astype(np.int64)  # repeated keys too
        keys = base.tolist()
        for _ in range(int(rng.integers(0, 8))):
            op = int(rng.integers(0, 3))
            if op == 0 and keys:
                del keys[int(rng.integers(0, len(keys)))]
            elif op == 1:
                keys.insert(int(rng.integers(0, len(keys) + 1)), int(rng.integers(0, 40)))
            elif keys:  # a unit moved
                keys.insert(int(rng.integers(0, len(keys))), keys.pop(int(rng.integers(0, len(keys)))))
        keys = np.array(keys, dtype=np.int64)
        packed = edit(base, keys)
        if packed is not None:
            assert (apply_edit(base, packed) == keys).all()
    base = np.arange(1000, dtype=np.int64)
    moved = np.r_[base[500:], base[:500]]
    assert len(edit(base, moved)) < 100  # two copies
