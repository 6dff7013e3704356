"""Line units carry their name in their fingerprint, so a crawl state keeps every line (plain, comment stem, URL,
sentence) as a key alone, with no row in `units`, and reads its name back from the key."""
from __future__ import annotations

from codescan.cluster import linekey
from codescan.cluster.api import document_units
from codescan.records import Document
from codescan.state import open_state

SOURCE = b'''"""Fetch the nightly report from the archive and keep only the rows that the dashboard needs today."""
import json


def fetch(session, day):
    # Ask the archive for the report of this day and decode its body as JSON please
    response = session.get("https://archive.example-reports.io/nightly/" + day, timeout=30)
    return [row for row in json.loads(response.text)["rows"] if row.get("dashboard") is True]
'''
NOTES = (b"# Setup\n\nBefore you open a pull request, run the whole test suite twice on a clean checkout of the "
         b"repository.\n")


def _line_units():
    units = document_units(Document(path="report.py", content=SOURCE, repo="r"))
    units += document_units(Document(path="NOTES.md", content=NOTES, repo="r"))
    return [u for u in units if u.kind == "line"]


def test_every_line_fingerprint_carries_its_name():
    found = _line_units()
    assert {u.name for u in found} == {None, linekey.STEM, linekey.URL, linekey.PROSE}
    for u in found:
        assert linekey.name_of(int.from_bytes(u.signature, "little", signed=True)) == u.name, u


def test_a_state_keeps_no_row_for_any_line_and_reads_names_back(tmp_path):
    units = _line_units()
    with open_state(tmp_path / "s.db") as st:
        crawl = st.begin_crawl(str(tmp_path))
        st.write_batch(crawl, units=[("b1", i, u.kind, u.name, u.line, u.end_line, u.tokens, u.signature)
                                     for i, u in enumerate(units)])
        assert st.conn.execute("SELECT count(*) FROM units").fetchone()[0] == 0
        assert [u for _blob, u in st.units()] == units
    with open_state(tmp_path / "s.db", readonly=True) as st:
        assert [u for _blob, u in st.units()] == units


def test_a_line_whose_fingerprint_lacks_its_name_keeps_a_row(tmp_path):
    """A fingerprint made some other way (its low bits not its name's code) is stored honestly, with a row."""
    from codescan.records import Unit

    odd = Unit("line", 3, 3, linekey.mark(0x5EED << 20, linekey.URL), linekey.STEM, 1)
    with open_state(tmp_path / "s.db") as st:
        crawl = st.begin_crawl(str(tmp_path))
        st.write_batch(crawl, units=[("b1", 0, odd.kind, odd.name, odd.line, odd.end_line, odd.tokens, odd.signature)])
        assert st.conn.execute("SELECT kind, name FROM units").fetchall() == [(0, linekey.STEM)]
        assert [u for _blob, u in st.units()] == [odd]
