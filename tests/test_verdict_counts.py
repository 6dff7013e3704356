"""The crawl summary says how many findings `codescan findings` lists, and names the per-blob count apart."""
from __future__ import annotations

from crawlrun import crawl, findings
from gitrepos import make_repo, mirror

PLANT = "import os\nos.system(cmd)\n"  # demo-os-system on line 2


def test_summary_counts_what_the_listing_shows(capsys, tmp_path):
    # One blob at three paths (one analysis, three places), and a file whose two versions hold the same finding
    # (two analyses, one place: the listing folds later copies into the introduction).
    make_repo(tmp_path / "src", [
        {"a.py": PLANT, "b/a.py": PLANT, "c/a.py": PLANT, "hist.py": "x = 1\n" + PLANT},
        {"hist.py": "x = 2\n" + PLANT},
    ])
    mirror(tmp_path / "src", tmp_path / "root" / "acme" / "tool.git")
    stats = crawl(capsys, tmp_path / "root", tmp_path / "state.db")
    _, listed = findings(capsys, tmp_path / "state.db")
    _, new = findings(capsys, tmp_path / "state.db", "--new")
    assert len(listed["findings"]) == len(new["findings"]) == 4
    assert stats["findings"] == 4  # the number the listing shows
    assert stats["blob_findings"] == 3  # one per analyzed blob: PLANT once, each version of hist.py once
    line = stats["_stderr"].strip().splitlines()[-1]
    assert "with 3 findings" in line and "listed as 4 new findings" in line, line

    again = crawl(capsys, tmp_path / "root", tmp_path / "state.db")  # nothing new: nothing analyzed, none listed
    assert again["findings"] == again["blob_findings"] == 0
    assert findings(capsys, tmp_path / "state.db", "--new")[1]["findings"] == []
