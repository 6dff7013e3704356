"""A line shared across repositories is placed in one version of a file: spans of different versions are not
joined, so a finding elsewhere in a later version does not count as on the line."""
from __future__ import annotations

from codescan.cluster.api import cluster
from codescan.cluster.corpus import Corpus, Occurrence
from codescan.records import Finding, Unit

LINE = (0x5EED_1234_ABCD).to_bytes(8, "little")


def _finding(line: int) -> Finding:
    return Finding("demo-os-system", "code-execution", "high", "os.system", "app.py", line, line)


def _corpus() -> Corpus:
    corpus = Corpus()
    # acme/app: version 1 holds the line at 5; version 2 moved it to 40 and has a finding at 20, off the line.
    corpus.add_blob("v1", [Unit("line", 5, 5, LINE, None, 1)])
    corpus.add_occurrence("v1", Occurrence("acme/app", "app.py", "c1", "Ann", None, "2020-01-01T00:00:00+00:00"))
    corpus.add_blob("v2", [Unit("line", 40, 40, LINE, None, 1)], [_finding(20)])
    corpus.add_occurrence("v2", Occurrence("acme/app", "app.py", "c2", "Bo", None, "2021-01-01T00:00:00+00:00"))
    for n, repo in enumerate(("eve/one", "eve/two")):
        blob = f"o{n}"
        corpus.add_blob(blob, [Unit("line", 3, 3, LINE, None, 1)])
        corpus.add_occurrence(blob, Occurrence(repo, "x.py", f"e{n}", "Eve", None, "2022-01-01T00:00:00+00:00"))
    return corpus


def test_shared_line_is_not_merged_across_versions():
    found = cluster(_corpus())
    assert len(found) == 1
    campaign = found[0]
    member = next(m for m in campaign.members if m["repo"] == "acme/app")
    # The first version (who introduced it), its own line only; the later version's finding is not on it.
    assert (member["line"], member["end_line"], member["commit"]) == (5, 5, "c1")
    assert campaign.findings == ()


def test_finding_on_the_line_still_counts():
    corpus = _corpus()
    corpus.findings[corpus.blobs["v1"]].append(_finding(5))
    campaign = cluster(corpus)[0]
    assert [(f.repo, f.line) for f in campaign.findings] == [("acme/app", 5)]
