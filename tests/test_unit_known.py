"""The unit writer remembers the signatures it stored (unitstore.Known): the next version of a file is stored
against them without reading them back from SQLite, with the same rows as a writer that reads them; a failed
transaction forgets them."""
from __future__ import annotations

import sqlite3

import numpy as np
import pytest

from codescan.state import open_state, unitstore


def _sig(rng, base=None, change=0):
    values = rng.integers(0, 2**63, 128, dtype=np.uint64) if base is None else base.copy()
    if change:
        values[:change] = rng.integers(0, 2**63, change, dtype=np.uint64)
    return values


def _versions(count: int = 6):
    """Units of `count` versions of one file: functions changing a little each time, lines coming and going."""
    rng = np.random.default_rng(7)
    funcs = {name: _sig(rng) for name in "fghk"}
    lines = [(n * 977).to_bytes(8, "little") for n in range(1, 40)]
    out = []
    for v in range(count):
        funcs["f"] = _sig(rng, funcs["f"], change=10)
        if v % 2:
            funcs["g"] = _sig(rng, funcs["g"], change=50)
        units = [("function", name, 1 + 10 * i, sig) for i, (name, sig) in enumerate(sorted(funcs.items()))]
        units += [("line", None, 60 + n, h) for n, h in enumerate(lines[v:v + 30])]
        out.append((f"v{v}", [(blob_i, kind, name, line, line + 3, 40,
                               sig.astype("<u8").tobytes() if kind != "line" else sig)
                              for blob_i, (kind, name, line, sig) in enumerate(units)]))
    return out


def _crawl(path, known: bool = True):
    with open_state(path) as st:
        if not known:
            st._known = None
        crawl = st.begin_crawl("/x")
        occ = [("app.py", blob, "refs/heads/main", f"c{i}", "Ann", "a@x", "2024-01-01", "2024-01-01", i)
               for i, (blob, _) in enumerate(_versions())]
        st.record_repo(crawl, "acme/app", "/x", True, False, "ok", occ, [])
        for blob, units in _versions():
            st.write_batch(crawl, units=[(blob, *u) for u in units])
        return {t: st.conn.execute(f"SELECT * FROM {t} ORDER BY 1").fetchall() for t in ("units", "blob_units")}


def test_versions_are_stored_against_remembered_signatures_without_reading_them_back(tmp_path, monkeypatch):
    asked: list[int] = []
    real = unitstore.narrow_signatures

    def counting(conn, keys, *names):
        asked.extend(keys)
        return real(conn, keys, *names)

    monkeypatch.setattr(unitstore, "narrow_signatures", counting)
    rows = _crawl(tmp_path / "a.db")
    assert asked == []  # every neighbour version was written by this writer
    assert sum(1 for r in rows["units"] if r[5] is not None) >= 5  # and new versions are still deltas
    monkeypatch.setattr(unitstore, "narrow_signatures", real)
    assert rows == _crawl(tmp_path / "b.db", known=False)


def test_a_failed_batch_forgets_what_it_wrote(tmp_path, monkeypatch):
    (blob, units), = _versions(1)
    with open_state(tmp_path / "s.db") as st:
        crawl = st.begin_crawl("/x")
        real = unitstore.write

        def write_then_fail(conn, per_blob, known=None):
            real(conn, per_blob, known)
            assert known  # remembered inside the transaction
            raise sqlite3.OperationalError("disk I/O error")

        monkeypatch.setattr(unitstore, "write", write_then_fail)
        with pytest.raises(sqlite3.OperationalError):
            st.write_batch(crawl, units=[(blob, *u) for u in units])
        assert not st._known
        assert st.conn.execute("SELECT COUNT(*) FROM units").fetchone()[0] == 0
