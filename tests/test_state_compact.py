"""A crawl that wrote most of the state file compacts it when it finishes; a crawl that added little does not."""
from __future__ import annotations

import numpy as np

from codescan.state import open_state


def _units(rng, blob: str, n: int) -> list[tuple]:
    return [(blob, i, "function", f"f{i}", i * 10 + 1, i * 10 + 9, 40,
             rng.integers(0, 2**63, 128, dtype=np.uint64).astype("<u8").tobytes()) for i in range(n)]


def _vacuums(st) -> list[str]:
    seen: list[str] = []
    st.conn.set_trace_callback(lambda sql: seen.append(sql) if sql.strip().upper() == "VACUUM" else None)
    return seen


def test_first_crawl_compacts_and_a_small_one_does_not(tmp_path):
    rng = np.random.default_rng(2)
    with open_state(tmp_path / "s.db") as st:
        seen = _vacuums(st)
        crawl = st.begin_crawl(str(tmp_path))
        for b in range(20):
            st.write_batch(crawl, units=_units(rng, f"b{b}", 50))  # random keys: pages split half-full
        st.finish_crawl(crawl, {})
        assert seen == ["VACUUM"]
        assert st.conn.execute("PRAGMA freelist_count").fetchone()[0] == 0
        pages = st.conn.execute("PRAGMA page_count").fetchone()[0]
        st.conn.execute("VACUUM")  # nothing left to give back
        assert st.conn.execute("PRAGMA page_count").fetchone()[0] == pages
        seen.clear()
        crawl = st.begin_crawl(str(tmp_path))
        st.write_batch(crawl, units=_units(rng, "small", 5))
        st.finish_crawl(crawl, {})
        assert seen == []  # a crawl adding a few pages to a big file leaves it as it is
