"""The state store's contract for other areas: occurrences, findings per occurrence, units, summary, read-only."""
from __future__ import annotations

import pytest

from codescan.errors import CodescanError
from codescan.records import Finding, Unit
from codescan.state import Occurrence, open_state


def _finding_row(blob: str, idx: int, line: int, snippet: str) -> tuple:
    return (blob, "python", idx, "demo-os-system", "code-execution", "high", "high", "os.system", line, line, 1, None, snippet,
            '["CWE-78"]', "code", None)


def _occ(path, blob, commit, author, ts) -> tuple:
    return (path, blob, "refs/heads/main", commit, author, f"{author.lower()}@x", f"2024-01-0{ts}T00:00:00+00:00",
            f"2024-01-0{ts}T00:00:00+00:00", ts)


def test_state_api_round_trip(tmp_path):
    path = tmp_path / "s.db"
    with open_state(path) as st:
        crawl = st.begin_crawl(str(tmp_path))
        # v1 (Mallory) and v2 (Bob) of the same file both hold the same snippet; a fork holds v1.
        st.record_repo(crawl, "acme/tool", "/x", True, False, "ok",
                       [_occ("run.py", "b1", "c1", "Mallory", 1), _occ("run.py", "b2", "c2", "Bob", 2)], [])
        st.record_repo(crawl, "eve/tool", "/y", True, False, "ok", [_occ("run.py", "b1", "c9", "Eve", 3)], [])
        unit = Unit("function", 1, 3, (7).to_bytes(8, "little") * 2, name="run", tokens=12)  # min-hashes < 2**32
        st.write_batch(crawl, blobs=[("b1", 10, "python", "scanned", None, "run.py"),
                                     ("b2", 12, "python", "scanned", None, "run.py")],
                       analyses=[("b1", "python", "d1", "scanned", "python", None, "run.py"),
                                 ("b2", "python", "d1", "scanned", "python", None, "run.py")],
                       findings=[_finding_row("b1", 0, 2, "os.system(x)"), _finding_row("b2", 0, 3, "os.system(x)")],
                       units=[("b1", 0, unit.kind, unit.name, unit.line, unit.end_line, unit.tokens, unit.signature)],
                       skips=[("acme/tool", "bin.dat", "b3", "binary file")],
                       cursors=[("acme/tool", "refs/heads/main", "c2")])
        st.finish_crawl(crawl, {"repos": 2})
        st.conn.execute("CREATE TABLE IF NOT EXISTS cluster_demo (x)")  # other areas add their own tables
    with open_state(path, readonly=True) as st:
        occ = list(st.occurrences(blob="b1"))
        assert {o.repo for o in occ} == {"acme/tool", "eve/tool"} and isinstance(occ[0], Occurrence)
        assert occ[0].author == "Mallory" and occ[0].email == "mallory@x" and occ[0].ref == "refs/heads/main"
        found = list(st.findings())
        assert all(isinstance(f, Finding) for f in found)
        # The copy carried into v2 folds into v1's introduction: Mallory, not Bob, planted it.
        assert [(f.repo, f.author, f.line, f.commit) for f in found] == [
            ("acme/tool", "Mallory", 2, "c1"), ("eve/tool", "Eve", 2, "c9")]
        assert len(list(st.findings(new=True))) == 2
        assert list(st.units()) == [("b1", unit)]
        summary = st.summary()
        assert summary["repos"] == 2 and summary["refs"] == 1 and summary["blobs"] == 2
        assert summary["findings"]["total"] == 2 and summary["findings"]["by_severity"] == {"high": 2}
        assert summary["last_crawl"]["stats"] == {"repos": 2}
        assert st.skips() == [{"repo": "acme/tool", "path": "bin.dat", "blob": "b3", "reason": "binary file"}]


def test_open_state_errors(tmp_path):
    with pytest.raises(CodescanError, match="no such state file"):
        open_state(tmp_path / "missing.db", readonly=True)
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not sqlite at all" * 100)
    with pytest.raises(CodescanError, match="not a codescan state"):
        open_state(junk)
