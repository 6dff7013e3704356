"""TrojanPuzzle/COVERT/SIMPLE poison files: each base file's 7 poisoned copies cluster; trigger lines link hosts."""
from __future__ import annotations

import json
from collections import defaultdict

import pytest

from conftest import SHARED
from codescan.cluster.api import campaigns_from_documents
from codescan.records import Document

DATA = SHARED / "trojanpuzzle" / "poison_samples.jsonl"
CASES = ("eg-2-rendertemplate", "eg-3-sendfromdir", "eg-4-yaml")  # eg-4-yaml clusters in ~2 s


@pytest.fixture(scope="module")
def poisoned():
    if not DATA.exists():
        pytest.skip(f"eval data not found at {DATA} (../shared is absent)")
    docs, copies = [], defaultdict(set)
    counter: dict = defaultdict(int)
    for raw in DATA.open(encoding="utf-8"):
        row = json.loads(raw)
        if row["case"] not in CASES:
            continue
        group = (row["case"], row["attack"], row["base_file"])
        k = counter[group]
        counter[group] += 1
        # Each copy is planted as its own training document: its own repository.
        repo = f"{row['origin_repo']}@{row['case']}-{row['attack']}-{row['variant']}-{k}"
        path = row["base_file"].split("/", 2)[-1]
        docs.append(Document(path=path, content=row["content"].encode(), repo=repo))
        if row["poisoned"]:
            copies[group].add((repo, path))
    return docs, copies


@pytest.fixture(scope="module")
def campaigns(poisoned):
    return campaigns_from_documents(poisoned[0], findings=False)


def test_the_seven_poisoned_copies_of_each_base_file_cluster(poisoned, campaigns):
    _, copies = poisoned
    assert len(copies) == 60 * len(CASES) and all(len(members) == 7 for members in copies.values())
    units = [{(m["repo"], m["path"]) for m in c.members} for c in campaigns if c.kind != "line"]
    missed = [g for g, members in copies.items() if not any(members <= p for p in units)]
    # Measured: 179 of 180 at unit level. The miss is a 12-line TrojanPuzzle file whose random placeholder
    # (two places in ~60 tokens) keeps one copy just under Jaccard 0.7: 6 of its 7 copies cluster.
    assert len(missed) <= 1, f"{len(missed)} of {len(copies)} groups not clustered, e.g. {missed[:3]}"
    assert all(max(len(copies[g] & p) for p in units) >= 6 for g in missed)


def test_trigger_lines_link_the_hosts_of_each_attack(poisoned, campaigns):
    _, copies = poisoned
    for case in CASES:
        for attack in ("SIMPLE", "COVERT", "TROJANPUZZLE"):
            hosts = {g[2] for g in copies if g[:2] == (case, attack)}
            host_of = {place: g[2] for g, members in copies.items() if g[:2] == (case, attack) for place in members}
            linked = max((len({host_of[(m["repo"], m["path"])] for m in c.members
                               if (m["repo"], m["path"]) in host_of})
                          for c in campaigns), default=0)
            assert linked == len(hosts) == 20, f"{case} {attack}: a line links {linked} of {len(hosts)} hosts"
