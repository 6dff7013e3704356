"""A state another program holds a write lock on is named as locked, not as "not a codescan state file" (which
sent a user looking for corruption in a sound file)."""
import sqlite3

from codescan.cli import main
from gitrepos import make_repo
from codescan.state import store


def test_a_locked_state_is_reported_as_locked(tmp_path, capsys, monkeypatch):
    make_repo(tmp_path / "root" / "r", [{"a.py": "x = 1\n"}])
    path = tmp_path / "s.db"
    store.open_state(path).close()
    monkeypatch.setattr(store, "BUSY_TIMEOUT", 0.2)
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        code = main(["crawl", str(tmp_path / "root"), "--state", str(path), "--no-progress"])
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    err = capsys.readouterr().err
    assert code == 2 and "locked by another program" in err and "not a codescan state" not in err, err
