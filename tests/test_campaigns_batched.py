"""Campaigns expanded a batch of groups at a time (cluster/batched.py) are the campaigns of the whole corpus: the
same with one group per batch as with everything in one batch, and the same as the per-blob-unit path."""
from __future__ import annotations

import campaign_world
from codescan.cli import main
from codescan.cluster import batched
from codescan.cluster.api import campaigns_from_state
from codescan.state import open_state


def test_batches_of_one_group_give_the_whole_corpus_campaigns(tmp_path, monkeypatch):
    world = campaign_world.build(seed=5, repos=10, copies=4)
    campaign_world.write_git(world, tmp_path / "mirror")
    state = tmp_path / "s.db"
    assert main(["crawl", str(tmp_path / "mirror"), "--state", str(state), "--no-progress", "-j", "1"]) in (0, 1)
    with open_state(state) as st:
        whole = campaigns_from_state(st, stream=False)
        one_batch = campaigns_from_state(st)
        monkeypatch.setattr(batched, "BATCH", 1)
        tiny = campaigns_from_state(st)
    assert len(whole) >= 5 and any(c.findings for c in whole)
    assert [c.to_dict() for c in tiny] == [c.to_dict() for c in one_batch] == [c.to_dict() for c in whole]
