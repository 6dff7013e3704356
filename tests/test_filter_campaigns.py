"""Campaigns across a corpus: members of campaigns that look planted are dropped with the campaign id; shared or
vendored code is reported, not dropped; --no-campaigns and --campaign-min-score change that."""
import json

from codescan.cli import main
from codescan.corpus import campaigns as corpus_campaigns
from corpus_data import CLEAN_PY, campaign_records, write_shard

def _report(out):
    return json.loads((out / "drop-report.json").read_text())


class _Campaign:
    def __init__(self, cid, paths, score, findings=()):
        self.id, self._paths, self.score, self.findings = cid, paths, score, list(findings)

    def to_dict(self):
        return {"id": self.id, "score": self.score, "reasons": ["stand-in"], "findings": self.findings,
                "members": [{"repo": "r", "path": p, "line": 1, "end_line": 2} for p in self._paths]}


def test_policy_drops_planted_campaigns_and_reports_shared_code(tmp_path, monkeypatch):
    write_shard(tmp_path / "s.jsonl", [{"id": f"r{i}", "content": CLEAN_PY + f"\nX = {i}\n"} for i in range(6)])
    seen = []

    def stand_in(parts):
        parts = list(parts)
        seen.extend(p.repo for p in parts)
        return [_Campaign("c-high", ["s.jsonl#0.0", "s.jsonl#1.0"], 72.5),
                _Campaign("c-finding", ["s.jsonl#2.0", "s.jsonl#3.0"], 20.0,
                          [{"rule_id": "exec-of-network-response", "category": "code-execution",
                            "severity": "critical"}]),
                _Campaign("c-shared", ["s.jsonl#4.0", "s.jsonl#5.0", "s.jsonl#0.0"], 30.0,
                          [{"rule_id": "weak-hash", "category": "weak-crypto", "severity": "low"},
                           # one altered copy of shared code does not take the clean copies down
                           {"rule_id": "exec-of-network-response", "category": "code-execution",
                            "severity": "critical", "repo": "r", "path": "s.jsonl#0.0"}])]

    monkeypatch.setattr(corpus_campaigns, "local_campaigns", stand_in)
    common = ["-j", "1", "--no-progress"]
    assert main(["filter", str(tmp_path / "s.jsonl"), "-o", str(tmp_path / "out"), *common]) == 0
    report = _report(tmp_path / "out")
    assert {d["id"]: [c for c in d["campaigns"] if c != "c-shared"] for d in report["dropped"]} == {
        "r0": ["c-high"], "r1": ["c-high"], "r2": ["c-finding"], "r3": ["c-finding"]}
    assert "reaches 50" in report["dropped"][0]["reasons"][0]["why"]
    assert "exec-of-network-response" in report["dropped"][2]["reasons"][0]["why"]
    assert [c["drops"] for c in report["campaigns"]] == [True, True, False]
    assert report["campaigns"][2]["members"][0]["row"] == 4
    assert report["summary"]["campaigns_dropped"] == 2 and report["policy"]["campaign_min_score"] == 50
    assert seen == ["s.jsonl#0", "s.jsonl#1", "s.jsonl#2", "s.jsonl#3", "s.jsonl#4", "s.jsonl#5"]  # no repo field
    assert main(["filter", str(tmp_path / "s.jsonl"), "-o", str(tmp_path / "low"), "--campaign-min-score", "25",
                 *common]) == 0
    assert len(_report(tmp_path / "low")["dropped"]) == 6
    assert main(["filter", str(tmp_path / "s.jsonl"), "-o", str(tmp_path / "off"), "--no-campaigns", *common]) == 0
    assert _report(tmp_path / "off")["dropped"] == []


def test_real_clustering_drops_the_planted_copies_and_keeps_vendored_code(tmp_path):
    write_shard(tmp_path / "s.parquet", campaign_records())
    assert main(["filter", str(tmp_path / "s.parquet"), "-o", str(tmp_path / "out"), "--repo-field", "repo",
                 "--lang-field", "lang", "-j", "1", "--no-progress"]) == 0
    report = _report(tmp_path / "out")
    dropped = {d["id"]: d for d in report["dropped"]}
    assert set(dropped) == {f"plant-{i}" for i in range(4)}
    # The renamed copy holds no finding of its own: the campaign drops it.
    assert dropped["plant-3"]["rule_ids"] == [] and len(dropped["plant-3"]["campaigns"]) == 1
    shared = [c for c in report["campaigns"] if not c["drops"]]
    assert shared and {m["row"] for m in shared[0]["members"]} == {4, 5, 6}
