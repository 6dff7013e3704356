"""A version-2 state (one row per unit per blob) upgrades in place to distinct units and packed key lists."""
from __future__ import annotations

import sqlite3

import pytest

from codescan.errors import CodescanError
from codescan.records import Unit
from codescan.state import open_state
from codescan.cluster import linekey
from codescan.state.schema import FINDINGS

# The version-2 tables, as the code before distinct units wrote them.
V2 = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE crawls (id INTEGER PRIMARY KEY, started TEXT NOT NULL, finished TEXT, base INTEGER NOT NULL, root TEXT,
    stats TEXT);
CREATE TABLE repos (repo TEXT PRIMARY KEY, gitdir TEXT, bare INTEGER, shallow INTEGER, first_crawl INTEGER,
    last_crawl INTEGER, status TEXT);
CREATE TABLE refs (repo TEXT NOT NULL, ref TEXT NOT NULL, commit_sha TEXT NOT NULL, crawl INTEGER,
    PRIMARY KEY (repo, ref));
CREATE TABLE blobs (blob TEXT PRIMARY KEY, size INTEGER, language TEXT, status TEXT NOT NULL, reason TEXT, path TEXT,
    crawl INTEGER);
CREATE TABLE analyses (blob TEXT NOT NULL, kind TEXT NOT NULL, digest TEXT, status TEXT NOT NULL, language TEXT,
    reason TEXT, path TEXT, crawl INTEGER, PRIMARY KEY (blob, kind));
CREATE TABLE blob_units (blob TEXT, idx INT, kind TEXT, name TEXT, line INT, end_line INT, tokens INT,
    signature BLOB, PRIMARY KEY (blob, idx));
CREATE TABLE occurrences (repo TEXT NOT NULL, path TEXT NOT NULL, blob TEXT NOT NULL, ref TEXT, commit_sha TEXT,
    author TEXT, email TEXT, date TEXT, committer_date TEXT, ts INTEGER, crawl INTEGER NOT NULL,
    kind TEXT NOT NULL DEFAULT '', PRIMARY KEY (repo, path, blob));
CREATE TABLE skips (crawl INTEGER, repo TEXT, path TEXT, blob TEXT, reason TEXT NOT NULL);
INSERT INTO meta VALUES ('schema_version', '2');
""" + FINDINGS


def _units(n: int, shift: int) -> list[Unit]:
    """n units; `shift` moves them down the file (a later version with lines added above)."""
    out = []
    for i in range(n):
        sig = (i % 7 + 1).to_bytes(8, "little") * 128 if i % 3 else (i * 7919 << 40).to_bytes(8, "little")
        kind = "function" if i % 3 else "line"
        out.append(Unit(kind, 10 * i + 1 + shift, 10 * i + (5 if i % 3 else 1) + shift, sig,
                        f"f{i}" if i % 3 else None, 30 + i if i % 3 else 1))
    return out


def test_v2_state_upgrades_in_place(tmp_path):
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path)
    conn.executescript(V2)
    blobs = {"b1": _units(12, 0), "b2": _units(12, 3), "b3": _units(5, 0)}
    with conn:
        for blob, units in blobs.items():
            conn.executemany("INSERT INTO blob_units VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                             [(blob, i, u.kind, u.name, u.line, u.end_line, u.tokens, u.signature)
                              for i, u in enumerate(units)])
        conn.executemany("INSERT INTO occurrences (repo, path, blob, ts, crawl) VALUES ('acme/app', 'run.py', ?, ?, 1)",
                         [("b1", 1), ("b2", 2)])
    conn.close()
    with open_state(path) as st:
        # b2 is the next version of b1's file: its key list is an edit of b1's, not a copy.
        assert st.conn.execute("SELECT blob, base, depth FROM blob_units WHERE base IS NOT NULL").fetchall() == [
            ("b2", "b1", 1)]
        assert st.conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0] == "9"
        assert sorted(st.units(), key=lambda p: p[0]) == [(b, u) for b in sorted(blobs) for u in blobs[b]]
        # b2 repeats b1's units lower down and b3 is a prefix of b1: each distinct unit is stored once (the 4 plain
        # lines in none: their keys are their fingerprints).
        assert st.conn.execute("SELECT COUNT(*) FROM units").fetchone()[0] == 8
        assert st.conn.execute("SELECT COUNT(*) FROM blob_units").fetchone()[0] == 3
        tables = {r[0] for r in st.conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        assert "blob_units_v2" not in tables
    with open_state(path, readonly=True) as st:  # upgraded once, opens read-only afterwards
        assert len(list(st.units())) == 29


def test_upgrade_keeps_a_readonly_open_honest(tmp_path):
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path)
    conn.executescript(V2)
    conn.close()
    with pytest.raises(CodescanError, match="schema 2 is not 9.*upgrades it"):
        open_state(path, readonly=True)


def test_minhash_values_keep_their_low_16_bits(tmp_path):
    import numpy as np

    rng = np.random.default_rng(1)
    a = rng.integers(0, 2**63, 128, dtype=np.uint64)
    b = a.copy()
    b[:40] = rng.integers(0, 2**63, 40, dtype=np.uint64)
    with open_state(tmp_path / "s.db") as st:
        crawl = st.begin_crawl(str(tmp_path))
        st.write_batch(crawl, units=[("b1", 0, "function", "f", 1, 9, 50, a.astype("<u8").tobytes()),
                                     ("b2", 0, "function", "f", 1, 9, 50, b.astype("<u8").tobytes())])
        got = {blob: np.frombuffer(u.signature, dtype="<u8") for blob, u in st.units()}
    assert (got["b1"] == (a & 0xFFFF)).all()
    assert (got["b1"] == got["b2"]).mean() == (a == b).mean()  # estimated Jaccard unchanged (no chance collision)


def _history(rng):
    """Two versions of a file: a function changed in 40 of its 128 min-hashes, one unchanged, and line units."""
    import numpy as np

    f1, g = rng.integers(0, 2**63, (2, 128), dtype=np.uint64)
    f2 = f1.copy()
    f2[:40] = rng.integers(0, 2**63, 40, dtype=np.uint64)
    line = [linekey.mark(n * 7919, None) for n in range(1, 6)]
    return {"b1": [Unit("function", 1, 9, f1.astype("<u8").tobytes(), "f", 60),
                   Unit("function", 11, 20, g.astype("<u8").tobytes(), "g", 70)] +
                  [Unit("line", 30 + n, 30 + n, h, None, 1) for n, h in enumerate(line)],
            "b2": [Unit("function", 1, 10, f2.astype("<u8").tobytes(), "f", 61),
                   Unit("function", 12, 21, g.astype("<u8").tobytes(), "g", 70)] +
                  [Unit("line", 31 + n, 31 + n, h, None, 1) for n, h in enumerate(line)]}


def _crawled(path, blobs, root):
    with open_state(path) as st:
        crawl = st.begin_crawl(str(root))
        st.record_repo(crawl, "acme/app", "/x", True, False, "ok",
                       [("run.py", b, "refs/heads/main", f"c{i}", "Ann", "a@x", "2024-01-01", "2024-01-01", i)
                        for i, b in enumerate(blobs)], [])
        for blob, units in blobs.items():
            st.write_batch(crawl, units=[(blob, i, u.kind, u.name, u.line, u.end_line, u.tokens, u.signature)
                                         for i, u in enumerate(units)])
        return sorted(st.units(), key=lambda p: p[0])


def _old_key(name, signature: bytes) -> int:
    """A line's key as versions 6 and 7 made it for a row: a hash of its kind, name, token count and fingerprint."""
    import xxhash

    head = b"line\0" + (name.encode() if name is not None else b"\x01") + b"\x001\0"
    value = xxhash.xxh64(head + signature).intdigest()
    return value - (1 << 64) if value >= 1 << 63 else value


def _untagged(key: int) -> int:
    """A line fingerprint as the code before version 8 hashed it: any low bits (here some taken from its hash)."""
    return (key & ~linekey.MASK) | ((key >> linekey.BITS) & linekey.MASK)


def _as_v7(path) -> None:
    """Rewrite a fresh state as version 7 stored it: lines hashed without their name in the low bits; a named line
    (stem, URL, sentence) a row keyed by a hash of it, a plain line no row, its key its fingerprint."""
    import numpy as np

    from codescan.state import unitread, unitstore

    _as_v8(path)
    conn = sqlite3.connect(path)
    with conn:
        rows = {key for (key,) in conn.execute("SELECT key FROM units")}
        named: dict[int, tuple] = {}

        def old(keys: np.ndarray) -> np.ndarray:
            out = []
            for key in keys.tolist():
                if key in rows:
                    out.append(key)
                    continue
                _kind, name, _tokens, _sig = unitread.line_of(key)
                fingerprint = _untagged(key).to_bytes(8, "little", signed=True)
                if name is None:
                    out.append(_untagged(key))
                else:
                    named[key] = (_old_key(name, fingerprint), name, fingerprint)
                    out.append(named[key][0])
            return np.array(out, dtype="<i8")

        for blob, keys, base in conn.execute("SELECT blob, keys, base FROM blob_units").fetchall():
            if base is None:
                packed = unitstore.pack_keys(old(unitread.unpack_keys(keys)).tolist())
            else:
                size = int.from_bytes(keys[:4], "little")
                packed = keys[:4 + size] + old(np.frombuffer(keys[4 + size:], dtype="<i8")).tobytes()
            conn.execute("UPDATE blob_units SET keys = ? WHERE blob = ?", (packed, blob))
        conn.executemany("INSERT INTO units (key, kind, name, tokens, signature) VALUES (?, 0, ?, 1, ?)",
                         list(named.values()))
        conn.execute("UPDATE meta SET value = '7' WHERE key = 'schema_version'")
    conn.close()


def _as_v8(path) -> None:
    """Rewrite a fresh state as version 8 stored it: every min-hash unit's name in full, also a delta's named as its
    base."""
    from codescan.state import unitread

    conn = sqlite3.connect(path)
    with conn:
        inherited = [key for (key,) in conn.execute("SELECT key FROM units WHERE name = ?", (unitread.SAME_NAME,))]
        names: dict = {}
        unitread.narrow_signatures(conn, inherited, names)
        conn.executemany("UPDATE units SET name = ? WHERE key = ?", [(names[k], k) for k in inherited])
        conn.execute("UPDATE occurrences SET committer_date = date WHERE committer_date IS NULL")
        conn.execute("UPDATE meta SET value = '8' WHERE key = 'schema_version'")
    conn.close()
    return len(inherited)


def test_v8_state_reads_as_it_is_and_upgrades_in_place(tmp_path):
    """A version-8 state (every name and committer date in full) reads read-only as it is, and a writable open
    rewrites it to version 9: a delta named as its base stores no name, a committer date equal to the author date is
    NULL, the same units and rows as a fresh crawl's."""
    import numpy as np

    blobs = _history(np.random.default_rng(5))
    fresh = _crawled(tmp_path / "fresh.db", blobs, tmp_path)
    _crawled(tmp_path / "old.db", blobs, tmp_path)
    assert _as_v8(tmp_path / "old.db") == 1  # f2, a delta of f1
    with open_state(tmp_path / "fresh.db", readonly=True) as st:
        occurrences = list(st.occurrences())
        assert {o.committer_date for o in occurrences} == {"2024-01-01"}
    with open_state(tmp_path / "old.db", readonly=True) as st:
        assert st.conn.execute("SELECT count(*) FROM units WHERE name = ?", (b"",)).fetchone()[0] == 0
        assert st.conn.execute("SELECT count(*) FROM occurrences WHERE committer_date IS NULL").fetchone()[0] == 0
        assert sorted(st.units(), key=lambda p: p[0]) == fresh
        assert list(st.occurrences()) == occurrences
    with open_state(tmp_path / "old.db") as st:
        assert st.conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0] == "9"
        assert sorted(st.units(), key=lambda p: p[0]) == fresh
        assert list(st.occurrences()) == occurrences
        upgraded = [st.conn.execute(f"SELECT * FROM {t} ORDER BY 1, 2, 3").fetchall() for t in ("units", "occurrences")]
    with open_state(tmp_path / "fresh.db") as st:
        assert upgraded == [st.conn.execute(f"SELECT * FROM {t} ORDER BY 1, 2, 3").fetchall()
                            for t in ("units", "occurrences")]
    upgraded = upgraded[0]
    assert sorted((repr(r[2]), r[5] is not None) for r in upgraded) == [("'f'", False), ("'g'", False), ("b''", True)]


def _as_v6(path) -> None:
    """Rewrite a fresh state as version 6 stored it: a row per plain line keyed by a hash of it (key lists naming that
    key), kinds as text, every delta's positions as a 128-bit mask."""
    import numpy as np

    from codescan.state import unitread, unitstore

    _as_v7(path)
    conn = sqlite3.connect(path)
    with conn:
        rows = {key for (key,) in conn.execute("SELECT key FROM units")}
        lines: dict[int, int] = {}

        def old(keys: np.ndarray) -> np.ndarray:
            for key in keys.tolist():
                if key not in rows:
                    lines[key] = _old_key(None, unitread.line_of(key)[3])
            return np.array([lines.get(k, k) for k in keys.tolist()], dtype="<i8")

        for blob, keys, base in conn.execute("SELECT blob, keys, base FROM blob_units").fetchall():
            if base is None:
                packed = unitstore.pack_keys(old(unitread.unpack_keys(keys)).tolist())
            else:
                size = int.from_bytes(keys[:4], "little")
                packed = keys[:4 + size] + old(np.frombuffer(keys[4 + size:], dtype="<i8")).tobytes()
            conn.execute("UPDATE blob_units SET keys = ? WHERE blob = ?", (packed, blob))
        conn.executemany("INSERT INTO units (key, kind, name, tokens, signature) VALUES (?, 'line', NULL, 1, ?)",
                         [(k6, unitread.line_of(k7)[3]) for k7, k6 in lines.items()])
        for code, name in unitread.KIND_NAMES.items():
            conn.execute("UPDATE units SET kind = ? WHERE kind = ?", (name, code))
        for key, data in conn.execute("SELECT key, signature FROM units WHERE base IS NOT NULL").fetchall():
            if len(data) % 2:
                count = len(data) // 3
                mask = np.zeros(128, dtype=bool)
                mask[np.frombuffer(data[:count], dtype=np.uint8)] = True
                conn.execute("UPDATE units SET signature = ? WHERE key = ?",
                             (np.packbits(mask).tobytes() + data[count:3 * count], key))
        conn.execute("UPDATE meta SET value = '6' WHERE key = 'schema_version'")
    conn.close()


def _history_small():
    """Two versions of a file whose function differs in 3 of its min-hashes, with plain, stem, URL and sentence lines
    (fingerprints carrying their names, as extraction makes them)."""
    import numpy as np

    rng = np.random.default_rng(9)
    f1 = rng.integers(0, 2**63, 128, dtype=np.uint64)
    f2 = f1.copy()
    f2[[5, 60, 127]] = rng.integers(0, 2**63, 3, dtype=np.uint64)
    names = (None, "stem", None, "url", "prose", "stem")
    lines = [Unit("line", 30 + n, 30 + n, linekey.mark(n * 104729 + 3 + (n << 61), name), name, 1)
             for n, name in enumerate(names)]
    return {"b1": [Unit("function", 1, 9, f1.astype("<u8").tobytes(), "f", 60)] + lines,
            "b2": [Unit("class", 1, 10, f2.astype("<u8").tobytes(), "C", 61)] + lines[1:] +
                  [Unit("line", 50, 50, linekey.mark(2**64 - 77, None), None, 1)]}


def _as_read(units):
    """(blob, Unit) pairs as an older state reads them: line fingerprints without their names in the low bits."""
    return [(b, Unit(u.kind, u.line, u.end_line, _untagged(int.from_bytes(u.signature, "little", signed=True)).to_bytes(
        8, "little", signed=True), u.name, u.tokens) if u.kind == "line" else u) for b, u in units]


@pytest.mark.parametrize("version", ["6", "7"])
def test_v6_and_v7_states_read_as_they_are_and_upgrade_in_place(tmp_path, version):
    """A version-6 state (a row per line, kinds as text, deltas with a mask) or version-7 one (a row per named line,
    plain lines by their fingerprint) reads read-only as it is, and a writable open rewrites it to version 8: no line
    rows at all, every line keyed by its fingerprint with its name in the low bits, the same units and rows as a fresh
    crawl's."""
    blobs = _history_small()
    fresh = _crawled(tmp_path / "fresh.db", blobs, tmp_path)
    _crawled(tmp_path / "old.db", blobs, tmp_path)
    (_as_v6 if version == "6" else _as_v7)(tmp_path / "old.db")
    with open_state(tmp_path / "old.db", readonly=True) as st:
        rows = st.conn.execute("SELECT name, count(*) FROM units WHERE kind IN ('line', 0) GROUP BY 1 ORDER BY 1")
        assert rows.fetchall() == ([(None, 3)] if version == "6" else []) + [("prose", 1), ("stem", 2), ("url", 1)]
        assert sorted(st.units(), key=lambda p: p[0]) == _as_read(fresh)
    with open_state(tmp_path / "old.db") as st:
        assert st.conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0] == "9"
        assert sorted(st.units(), key=lambda p: p[0]) == fresh
        upgraded = [st.conn.execute(f"SELECT * FROM {t} ORDER BY 1").fetchall() for t in ("units", "blob_units")]
    with open_state(tmp_path / "fresh.db") as st:
        assert upgraded == [st.conn.execute(f"SELECT * FROM {t} ORDER BY 1").fetchall()
                            for t in ("units", "blob_units")]
    kinds = sorted((r[1], r[2], len(r[4])) for r in upgraded[0])
    # No line has a row; the function whole, the class a delta of it with 3 positions as bytes (3 + 6 bytes).
    assert kinds == [(1, "f", 256), (2, "C", 9)]


def _as_version(path, blobs, version: str) -> None:
    """Rewrite a state as versions 4 and 5 stored it: each min-hash value's low 32 bits, whole or as a delta (a mask
    and the differing 32-bit values) of the same base; version 4 also packed every blob's spans alone."""
    import zlib

    import numpy as np

    from codescan.state.unitread import inflate_spans
    from codescan.state.unitstore import unit_key

    full = {unit_key(u.kind, u.name, u.tokens, u.signature): np.frombuffer(u.signature, dtype="<u8").astype("<u4")
            for units in blobs.values() for u in units if u.kind != "line"}
    _as_v6(path)
    conn = sqlite3.connect(path)
    with conn:
        for key, base in conn.execute("SELECT key, base FROM units WHERE kind != 'line'").fetchall():
            if base is None:
                packed = full[key].tobytes()
            else:
                differ = full[key] != full[base]
                packed = np.packbits(differ).tobytes() + full[key][differ].tobytes()
            conn.execute("UPDATE units SET signature = ? WHERE key = ?", (packed, key))
        if version == "4":
            for blob, spans, base in conn.execute("SELECT blob, spans, base FROM blob_units").fetchall():
                base_raw = inflate_spans(conn.execute("SELECT spans FROM blob_units WHERE blob = ?",
                                                      (base,)).fetchone()[0], None) if base else None
                conn.execute("UPDATE blob_units SET spans = ? WHERE blob = ?",
                             (zlib.compress(inflate_spans(spans, base_raw), 6), blob))
        conn.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (version,))
    conn.close()


@pytest.mark.parametrize("version", ["4", "5"])
def test_32_bit_state_reads_as_it_is_and_upgrades_in_place(tmp_path, version):
    """A version-4/5 state (32-bit min-hash values) reads read-only as the 16-bit values a fresh crawl stores, and a
    writable open rewrites it to version 8 with the same units, keys and signature rows as a fresh crawl's."""
    import numpy as np

    blobs = _history(np.random.default_rng(5))
    fresh = _crawled(tmp_path / "fresh.db", blobs, tmp_path)
    _crawled(tmp_path / "old.db", blobs, tmp_path)
    _as_version(tmp_path / "old.db", blobs, version)
    with open_state(tmp_path / "old.db", readonly=True) as st:
        assert st.conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0] == version
        assert sorted(st.units(), key=lambda p: p[0]) == _as_read(fresh)
    with open_state(tmp_path / "old.db") as st:
        assert st.conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0] == "9"
        assert sorted(st.units(), key=lambda p: p[0]) == fresh
        upgraded = st.conn.execute("SELECT * FROM units ORDER BY key").fetchall()
    with open_state(tmp_path / "fresh.db") as st:
        assert upgraded == st.conn.execute("SELECT * FROM units ORDER BY key").fetchall()
    sizes = sorted(len(r[4]) for r in upgraded if r[1] != 0)
    assert sizes == [16 + 2 * 40, 256, 256]  # f2 a delta of f1, f1 and g whole: 16-bit values


def test_state_from_newer_codescan_is_refused(tmp_path):
    with open_state(tmp_path / "s.db"):
        pass
    conn = sqlite3.connect(tmp_path / "s.db")
    with conn:
        conn.execute("UPDATE meta SET value = '10' WHERE key = 'schema_version'")
    conn.close()
    for readonly in (False, True):
        with pytest.raises(CodescanError, match="state schema 10 is not 9"):
            open_state(tmp_path / "s.db", readonly=readonly)


def test_a_committer_date_equal_to_the_author_date_is_stored_once(tmp_path):
    """Most commits were never rewritten: their committer date is their author date, stored once (NULL) and read
    back; a rewritten commit's own committer date is kept."""
    with open_state(tmp_path / "s.db") as st:
        crawl = st.begin_crawl(str(tmp_path))
        st.record_repo(crawl, "acme/app", "/x", True, False, "ok",
                       [("a.py", "b1", "refs/heads/main", "c1", "Ann", "a@x", "2024-01-01T10:00:00+00:00",
                         "2024-01-01T10:00:00+00:00", 1),
                        ("b.py", "b2", "refs/heads/main", "c2", "Ann", "a@x", "2024-01-01T10:00:00+00:00",
                         "2024-03-05T08:00:00+01:00", 2)], [])
        stored = st.conn.execute("SELECT blob, committer_date FROM occurrences ORDER BY blob").fetchall()
        assert stored == [("b1", None), ("b2", "2024-03-05T08:00:00+01:00")]
        assert [(o.blob, o.committer_date) for o in st.occurrences()] == [
            ("b1", "2024-01-01T10:00:00+00:00"), ("b2", "2024-03-05T08:00:00+01:00")]
