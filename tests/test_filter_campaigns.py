"""Campaigns across a corpus: members of a campaign are dropped with its id, unless --no-campaigns."""
import json

import pytest

from codescan.cli import main
from codescan.corpus import campaigns as corpus_campaigns
from corpus_data import CLEAN_PY, write_shard

DISTINCT = (CLEAN_PY,
            "class Stack:\n    def __init__(self):\n        self.items = []\n\n    def push(self, x):\n"
            "        self.items.append(x)\n",
            "import json\n\n\ndef load(path):\n    with open(path) as fh:\n        return json.load(fh)\n")

# A planted helper (no rule fires on it) copied into records of several repositories, plus unrelated code.
PLANTED = ("def _sync_cfg(u, p):\n    import urllib.request\n    d = urllib.request.urlopen(u + '/c?k=' + p).read()\n"
           "    open('/tmp/.c', 'wb').write(d)\n    return len(d)\n")


def _records():
    records = [{"id": f"plant-{i}", "content": f"# module {i}\n" + PLANTED + f"\nVALUE_{i} = {i}\n",
                "repo": f"owner{i}/proj{i}", "lang": "Python"} for i in range(4)]
    records += [{"id": f"clean-{i}", "content": text, "repo": f"good{i}/lib", "lang": "Python"}
                for i, text in enumerate(DISTINCT)]
    return records


class _Campaign:
    def __init__(self, cid, paths):
        self.id, self._paths = cid, paths

    def to_dict(self):
        return {"id": self.id, "score": 1.0, "reasons": ["stand-in"],
                "members": [{"repo": "r", "path": p, "line": 1, "end_line": 2} for p in self._paths]}


def test_campaign_members_are_dropped_with_the_campaign_id(tmp_path, monkeypatch):
    write_shard(tmp_path / "s.jsonl", _records())
    seen = []

    def stand_in(docs, **opts):
        docs = list(docs)
        seen.extend(d.repo for d in docs)
        return [_Campaign("c-test", [d.path for d in docs if PLANTED in d.content.decode()])]

    monkeypatch.setattr(corpus_campaigns, "campaigns_api", lambda: stand_in)
    assert main(["filter", str(tmp_path / "s.jsonl"), "-o", str(tmp_path / "out"), "--repo-field", "repo",
                 "--lang-field", "lang", "-j", "1", "--no-progress"]) == 0
    report = json.loads((tmp_path / "out" / "drop-report.json").read_text())
    assert {d["id"] for d in report["dropped"]} == {f"plant-{i}" for i in range(4)}
    assert all(d["campaigns"] == ["c-test"] for d in report["dropped"])
    assert report["campaigns"][0]["members"][0]["shard"] == "s.jsonl"
    assert "owner0/proj0" in seen  # the repository came from --repo-field
    assert main(["filter", str(tmp_path / "s.jsonl"), "-o", str(tmp_path / "out2"), "--no-campaigns", "-j", "1",
                 "--no-progress"]) == 0
    assert json.loads((tmp_path / "out2" / "drop-report.json").read_text())["dropped"] == []


def test_real_clustering_finds_the_planted_helper(tmp_path):
    pytest.importorskip("codescan.cluster.api", reason="campaign clustering not installed yet")
    write_shard(tmp_path / "s.parquet", _records())
    assert main(["filter", str(tmp_path / "s.parquet"), "-o", str(tmp_path / "out"), "--repo-field", "repo",
                 "--lang-field", "lang", "-j", "1", "--no-progress"]) == 0
    report = json.loads((tmp_path / "out" / "drop-report.json").read_text())
    dropped = {d["id"] for d in report["dropped"]}
    assert {f"plant-{i}" for i in range(4)} <= dropped
    assert not any(i.startswith("clean-") for i in dropped)
