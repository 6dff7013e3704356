"""The planted-poison generator writes git repositories with ground truth, and codescan finds the plants."""
from __future__ import annotations

import json

import git
import pytest

from bench import eval_peers, eval_planted, plant
from bench.plant_payloads import FAMILIES, VARIANTS, make


@pytest.fixture(scope="module")
def planted(tmp_path_factory):
    root = tmp_path_factory.mktemp("planted")
    truth = plant.generate(root, repos=4, files=2, seed=7, campaigns=1, spread=3)
    return root, truth


def test_generator_writes_repos_commits_and_ground_truth(planted):
    root, truth = planted
    assert json.loads((root / "ground_truth.json").read_text()) == truth
    assert len(truth["repos"]) == 4 and len(truth["plants"]) == 3
    assert sum(r["poisoned"] for r in truth["repos"]) == 3
    authors, dates = set(), set()
    for p in truth["plants"]:
        lines = (root / p["repo"] / p["path"]).read_text().splitlines()
        planted_text = "\n".join(lines[p["line"] - 1:p["end_line"]])
        assert planted_text.strip() and lines[p["line"] - 2] == ""  # the snippet starts after a blank line
        head = git.Repo(root / p["repo"]).head.commit
        assert head.hexsha == p["commit"] and head.author.name == p["author"]
        assert len(list(git.Repo(root / p["repo"]).iter_commits())) == 3  # two maintainer commits + the plant
        authors.add(p["author"])
        dates.add(p["date"])
    assert len(authors) == 3 and len(dates) == 3
    assert {p["variant"] for p in truth["plants"]} == {"plain", "renamed", "reformatted"}


def test_same_seed_gives_the_same_plants(tmp_path, planted):
    _, truth = planted
    again = plant.generate(tmp_path / "again", repos=4, files=2, seed=7, campaigns=1, spread=3)
    strip = lambda t: [{k: v for k, v in p.items() if k != "commit"} for p in t["plants"]]  # noqa: E731
    assert strip(again) == strip(truth)


def test_every_variant_of_every_family_is_valid_python():
    import random
    rng = random.Random(3)
    for family in FAMILIES:
        for variant in VARIANTS:
            compile("\n".join(make(family, variant, rng).lines) + "\n", f"{family}-{variant}", "exec")


def test_codescan_finds_the_planted_payloads(planted):
    root, truth = planted
    run = eval_peers.codescan(root, timeout=300, jobs=1)
    assert run.ran, run.note
    row = eval_planted.score("planted", run, truth)
    assert row.positives == 3 and row.hit_high == 3 and row.cat_right == 3


def test_campaign_scoring_matches_members_to_plants(planted):
    _, truth = planted
    plants = truth["plants"]
    reported = [{"score": 70.0, "members": [{"repo": p["repo"], "path": p["path"], "line": p["line"],
                                             "end_line": p["end_line"]} for p in plants[:2]]},
                {"score": 20.0, "members": [{"repo": "elsewhere", "path": "x.py", "line": 1, "end_line": 2}]}]
    assert eval_planted.campaign_scores(reported, truth) == {
        "planted": 1, "detected": 1, "reported": 2, "false": 1,
        "threshold": 50.0, "detected_flagged": 1, "reported_flagged": 1, "false_flagged": 0,
        "complete": 0, "complete_flagged": 0, "shared_max": 20.0, "rewritten": 0, "rewritten_joined": 0}
    whole = [{"score": 60.0, "members": reported[0]["members"] + [{"repo": plants[2]["repo"], "path": plants[2]["path"],
                                                                   "line": plants[2]["line"], "end_line": 0}]}]
    assert eval_planted.campaign_scores(whole, truth)["complete"] == 1
    assert eval_planted.campaign_scores(reported[:1][:0], truth)["detected"] == 0
