"""Campaigns from a state cluster distinct units on disk: a later crawl's campaigns verify only pairs that involve
units added since, and give what a run from scratch gives; a read-only state is clustered without writing."""
from __future__ import annotations

import shutil

import campaign_world
from codescan.cli import main
from codescan.cluster.api import campaigns_from_state
from codescan.state import open_state


def _crawl(root, state) -> None:
    assert main(["crawl", str(root), "--state", str(state), "--no-progress", "-j", "1"]) in (0, 1)


def test_later_crawl_indexes_only_new_units(tmp_path):
    world = campaign_world.build(seed=11, repos=8, copies=3)
    docs = world.documents
    held_back = sorted({d.repo for d in docs})[-1]
    world.documents = [d for d in docs if d.repo != held_back]
    campaign_world.write_git(world, tmp_path / "mirror")
    state = tmp_path / "s.db"
    _crawl(tmp_path / "mirror", state)
    with open_state(state) as st:
        campaigns_from_state(st, stream=True)
        done = st.conn.execute("SELECT count(*) FROM cluster_unit_done").fetchone()[0]
        units = st.conn.execute("SELECT count(*) FROM units WHERE kind NOT IN ('line', 0)").fetchone()[0]
    assert done == units > 0
    world.documents = docs  # one more repository arrives
    campaign_world.write_git(world, tmp_path / "mirror2")
    _crawl(tmp_path / "mirror2", state)
    shutil.copy(state, tmp_path / "scratch.db")
    with open_state(state) as st:
        added = st.conn.execute("SELECT count(*) FROM units WHERE kind NOT IN ('line', 0)").fetchone()[0] - units
        later = campaigns_from_state(st, stream=True)
        assert st.conn.execute("SELECT count(*) FROM cluster_unit_done").fetchone()[0] == units + added
    with open_state(tmp_path / "scratch.db") as st:
        st.conn.executescript("DROP TABLE cluster_unit_done; DROP TABLE cluster_unit_links; "
                              "DROP TABLE cluster_unit_meta;")
        scratch = campaigns_from_state(st, stream=True)
    with open_state(tmp_path / "scratch.db", readonly=True) as st:
        readonly = campaigns_from_state(st, stream=True)
    assert added > 0
    assert [c.to_dict() for c in later] == [c.to_dict() for c in scratch] == [c.to_dict() for c in readonly]
    assert any(held_back in c.repos for c in later)
