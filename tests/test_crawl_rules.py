"""Crawls over time: a rule-set change re-analyzes stored blobs (only what the old rules missed is new), a blob is
analyzed once per kind of path it occurs at, every occurrence names a ref it is reachable from, v1 states upgrade."""
from __future__ import annotations

import sqlite3

import pytest

from crawlrun import crawl, findings
from gitrepos import commit, make_repo, mirror

BOTH = "import os\nimport pickle\n\ndef run(x):\n    os.system(x)\n    return pickle.loads(x)\n"
CLEAN = "def add(a, b):\n    return a + b\n"


@pytest.fixture()
def world(tmp_path):
    src, root = tmp_path / "src", tmp_path / "root"
    repo = make_repo(src / "tool", [{"lib/run.py": BOTH, "lib/math.py": CLEAN, "_author": "Mallory"}])
    mirror(src / "tool", root / "acme" / "tool.git")
    return {"src": src, "root": root, "repo": repo, "state": tmp_path / "state.db"}


def _resync(world) -> None:
    import shutil
    shutil.rmtree(world["root"] / "acme" / "tool.git")
    mirror(world["src"] / "tool", world["root"] / "acme" / "tool.git")


def _rules(report) -> list[str]:
    return sorted(f["rule_id"] for f in report["findings"])


def test_changed_rules_reanalyze_stored_blobs_and_only_missed_findings_are_new(capsys, world):
    first = crawl(capsys, world["root"], world["state"], "--select", "demo-os-system")
    assert first["reanalyzed"] == 0 and _rules(findings(capsys, world["state"])[1]) == ["demo-os-system"]
    again = crawl(capsys, world["root"], world["state"], "--select", "demo-os-system")
    assert (again["blobs_read"], again["reanalyzed"]) == (0, 0)  # same rules: nothing read, nothing analyzed
    wider = crawl(capsys, world["root"], world["state"])  # every demo rule now: the stored blobs are checked again
    assert wider["new_commits"] == 0 and wider["reanalyzed"] == 2 and wider["blobs_read"] == 2
    assert "rules changed since 2 stored analyses were made" in wider["_stderr"]
    code, new = findings(capsys, world["state"], "--new")
    assert code == 0 and _rules(new) == ["demo-pickle-loads"]  # os.system was known: not new again
    assert _rules(findings(capsys, world["state"])[1]) == ["demo-os-system", "demo-pickle-loads"]
    assert crawl(capsys, world["root"], world["state"])["reanalyzed"] == 0
    assert findings(capsys, world["state"], "--new")[1]["findings"] == []
    narrow = crawl(capsys, world["root"], world["state"], "--select", "demo-pickle-loads")
    assert narrow["reanalyzed"] == 2  # findings are replaced, not added to: os.system is gone
    assert _rules(findings(capsys, world["state"])[1]) == ["demo-pickle-loads"]


def test_no_rescan_defers_reanalysis_to_a_later_crawl(capsys, world):
    crawl(capsys, world["root"], world["state"], "--select", "demo-os-system")
    commit(world["repo"], {"lib/more.py": "import pickle\npickle.loads(b)\n", "_author": "Trent"})
    _resync(world)
    lazy = crawl(capsys, world["root"], world["state"], "--no-rescan")
    assert (lazy["reanalyzed"], lazy["blobs_read"]) == (0, 1)  # only the new blob, under the new rules
    assert _rules(findings(capsys, world["state"])[1]) == ["demo-os-system", "demo-pickle-loads"]
    later = crawl(capsys, world["root"], world["state"])
    assert later["reanalyzed"] == 2  # run.py and math.py; more.py already has these rules
    assert _rules(findings(capsys, world["state"])[1]) == ["demo-os-system", "demo-pickle-loads",
                                                           "demo-pickle-loads"]


def test_a_blob_is_analyzed_once_per_kind_of_path(capsys, world):
    body = "import os\nos.system('id')\n"
    commit(world["repo"], {"notes/x.txt": body, "_author": "Trent"})
    _resync(world)
    crawl(capsys, world["root"], world["state"])
    assert [f["path"] for f in findings(capsys, world["state"])[1]["findings"]] == ["lib/run.py", "lib/run.py"]
    commit(world["repo"], {"bin/y.py": body, "_author": "Victor"})  # the same blob, now as Python
    _resync(world)
    later = crawl(capsys, world["root"], world["state"])
    assert (later["blobs_read"], later["blobs_scanned"]) == (1, 1)
    code, new = findings(capsys, world["state"], "--new")
    assert [(f["path"], f["rule_id"], f["author"]) for f in new["findings"]] == [("bin/y.py", "demo-os-system",
                                                                                   "Victor")]
    # In one crawl: two paths of different kinds cost one read and two analyses.
    fresh = crawl(capsys, world["root"], world["state"].with_name("fresh.db"))
    assert fresh["blobs_read"] == 3 and fresh["blobs_scanned"] == 4


def test_each_occurrence_names_a_ref_it_is_reachable_from(capsys, world):
    repo = world["repo"]
    main = repo.active_branch
    repo.git.checkout("-b", "feature")
    commit(repo, {"lib/feature.py": "import os\nos.system('f')\n", "_author": "Fay"})
    repo.git.checkout(main.name)
    commit(repo, {"lib/later.py": CLEAN, "_author": "Bob"})
    repo.create_tag("v1")
    _resync(world)
    crawl(capsys, world["root"], world["state"], "--refs", "branches")
    from codescan.state import open_state
    with open_state(world["state"], readonly=True) as st:
        refs = {o.path: o.ref for o in st.occurrences()}
    assert refs["lib/feature.py"] == "refs/heads/feature"
    assert refs["lib/later.py"] == "refs/heads/main"
    assert refs["lib/run.py"] in ("refs/heads/main", "refs/heads/feature")  # reachable from both
    _, report = findings(capsys, world["state"])
    assert {f["path"]: f["ref"] for f in report["findings"]}["lib/feature.py"] == "refs/heads/feature"
    crawl(capsys, world["root"], world["state"].with_name("tags.db"), "--refs", "tags")
    with open_state(world["state"].with_name("tags.db"), readonly=True) as st:
        assert {o.ref for o in st.occurrences()} == {"refs/tags/v1"}


V1_TABLES = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE blobs (blob TEXT PRIMARY KEY, size INTEGER, language TEXT, status TEXT NOT NULL, reason TEXT, path TEXT,
    crawl INTEGER);
CREATE TABLE findings (blob TEXT NOT NULL, idx INTEGER NOT NULL, rule_id TEXT NOT NULL, category TEXT NOT NULL,
    severity TEXT NOT NULL, confidence TEXT, message TEXT, line INTEGER, end_line INTEGER, col INTEGER, end_col INTEGER,
    snippet TEXT, cwe TEXT, context TEXT, decoded TEXT, PRIMARY KEY (blob, idx));
CREATE TABLE occurrences (repo TEXT NOT NULL, path TEXT NOT NULL, blob TEXT NOT NULL, ref TEXT, commit_sha TEXT,
    author TEXT, email TEXT, date TEXT, committer_date TEXT, ts INTEGER, crawl INTEGER NOT NULL,
    PRIMARY KEY (repo, path, blob));
CREATE TABLE crawls (id INTEGER PRIMARY KEY, started TEXT NOT NULL, finished TEXT, base INTEGER NOT NULL, root TEXT,
    stats TEXT);
INSERT INTO meta VALUES ('schema_version', '1');
INSERT INTO crawls VALUES (1, '2024-01-01T00:00:00+00:00', '2024-01-01T00:01:00+00:00', 0, '/m', NULL);
INSERT INTO blobs VALUES ('b1', 10, 'python', 'scanned', NULL, 'run.py', 1), ('b2', 99, NULL, 'skipped', 'big', 'x', 1);
INSERT INTO findings VALUES ('b1', 0, 'demo-os-system', 'code-execution', 'high', 'high', 'm', 2, 2, 1, NULL,
    'os.system(x)', '[]', 'code', NULL);
INSERT INTO occurrences VALUES ('acme/tool', 'run.py', 'b1', 'refs/heads/main', 'c1', 'Mallory', 'm@x', '2024', '2024',
    1, 1);
"""


def test_a_version_1_state_is_upgraded_in_place(tmp_path):
    from codescan.errors import CodescanError
    from codescan.state import open_state
    path = tmp_path / "old.db"
    with sqlite3.connect(path) as conn:
        conn.executescript(V1_TABLES)
    with pytest.raises(CodescanError, match="a crawl with this codescan upgrades it"):
        open_state(path, readonly=True)
    open_state(path).close()
    with open_state(path, readonly=True) as st:
        assert [(f.rule_id, f.author) for f in st.findings()] == [("demo-os-system", "Mallory")]
        assert st.stale("any") == [("b1", "python", "run.py")]  # no digest: re-analyzed by the next crawl
        assert st.analyzed([("b2", "python"), ("b1", "python"), ("b1", "markdown")]) == {("b2", "python"),
                                                                                        ("b1", "python")}


def test_a_reanalysis_cut_short_resumes_without_loss_or_repeats(capsys, world, monkeypatch):
    from codescan.config import load as load_config
    from codescan.rules import load_rules
    from codescan.state import open_state
    from codescan.state import crawl as crawl_module
    from clirun import DATA

    crawl(capsys, world["root"], world["state"], "--select", "demo-os-system")
    monkeypatch.setattr(crawl_module, "BATCH_BLOBS", 1)  # commit after every analysis
    real_store, stored = crawl_module.Crawler._store, []

    def store_then_die(self, key, result):
        if len(stored) == 1:
            raise KeyboardInterrupt  # the crawl dies after one re-analysis was committed
        stored.append(key)
        real_store(self, key, result)

    monkeypatch.setattr(crawl_module.Crawler, "_store", store_then_die)
    rules = load_rules((str(DATA / "rules"),), include_builtin=False)
    with pytest.raises(KeyboardInterrupt), open_state(world["state"]) as st:
        crawl_module.crawl(world["root"], st, rules, load_config(None), units=False)
    monkeypatch.setattr(crawl_module.Crawler, "_store", real_store)
    resumed = crawl(capsys, world["root"], world["state"])
    assert resumed["reanalyzed"] == 1  # only the analysis the dead crawl did not commit
    _, new = findings(capsys, world["state"], "--new")
    assert _rules(new) == ["demo-pickle-loads"]  # found once, and os.system is still not new
    assert _rules(findings(capsys, world["state"])[1]) == ["demo-os-system", "demo-pickle-loads"]
