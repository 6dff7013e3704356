"""A dropper planted in 4 git repositories (renamed, one reformatted, one in a 300 kB host) is found whole,
scored as planted, from a crawl's state and from the folders alike, at default settings."""
from __future__ import annotations

import json

import pytest

import small_plant
from codescan.cli import main
from codescan.cluster.score import PLANTED

pytestmark = pytest.mark.skipif(not small_plant.available(), reason="standard-library sources not found")


@pytest.fixture(scope="module")
def mirror(tmp_path_factory):
    root = tmp_path_factory.mktemp("small-plant")
    planted = small_plant.write(root / "mirror")
    return root, planted


def _planted_campaign(data: dict, planted: dict) -> dict:
    def holds(campaign) -> int:
        return sum(any(m["repo"] == repo and m["path"] == path and m["line"] <= end and m["end_line"] >= line
                       for m in campaign["members"]) for repo, (path, line, end) in planted.items())
    return max(data["campaigns"], key=holds, default={"members": [], "score": 0})


def _check(data: dict, planted: dict) -> None:
    top = _planted_campaign(data, planted)
    places = {(m["repo"], m["path"]): (m["line"], m["end_line"]) for m in top["members"]}
    for repo, (path, line, end) in planted.items():
        assert (repo, path) in places, f"{repo}/{path} missing from {sorted(places)}"
        got = places[(repo, path)]
        assert got[0] <= line + 1 and got[1] >= end - 1, f"{repo}: lines {got} do not cover {line}-{end}"
    assert len(places) == 4, "nothing but the planted copies"
    assert top["score"] >= PLANTED, top["reasons"]
    assert top["kind"] == "function" and top["name"] in ("sync_locale_cache", "refresh_tables", "_update_cache",
                                                          "load_defaults")
    assert data["campaigns"][0] is top or data["campaigns"][0]["score"] == top["score"]
    assert any("introductions were made within" in r for r in top["reasons"])
    assert any("distinct author" in r for r in top["reasons"])


def test_folders_find_all_four_copies(mirror, capsys):
    root, planted = mirror
    assert main(["campaigns", str(root / "mirror"), "--format", "json", "--no-progress"]) == 0
    _check(json.loads(capsys.readouterr().out), planted)


def test_crawl_state_finds_all_four_copies(mirror, capsys):
    root, planted = mirror
    state = str(root / "state.db")
    assert main(["crawl", str(root / "mirror"), "--state", state, "--no-progress", "-j", "1"]) in (0, 1)
    capsys.readouterr()
    assert main(["campaigns", "--state", state, "--format", "json"]) == 0
    _check(json.loads(capsys.readouterr().out), planted)
