"""`codescan report --state`: a real crawl of bare mirrors with a planted campaign, clustered from the state."""
import json

import pytest

from codescan.cli import main

pytest.importorskip("git")
from gitrepos import make_repo  # noqa: E402

PLANT = ("import base64, os\n\n\ndef {name}({arg}):\n    {var} = 'ZWNobyBoaQ=='\n"
         "    os.system(base64.b64decode({var}).decode())\n    return {arg}\n")
HOSTS = {
    "ana/weather": ("def celsius(f):\n    return (f - 32) * 5 / 9\n", "mallory", "2024-05-02T09:00:00+00:00",
                    dict(name="refresh_cache", arg="path", var="blob")),
    "ben/todo": ("class Todo:\n    def __init__(self):\n        self.items = []\n", "m4llory",
                 "2024-05-03T10:00:00+00:00", dict(name="refresh_store", arg="p", var="data")),
    "cy/csvtools": ("import csv\n\n\ndef rows(p):\n    return list(csv.reader(open(p)))\n", "ma11ory",
                    "2024-05-04T11:00:00+00:00", dict(name="refresh_cache", arg="path", var="blob")),
}


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("state-report")
    for repo, (host, author, date, plant) in HOSTS.items():
        owner = repo.split("/")[0]
        make_repo(tmp / "work" / repo, [
            {"main.py": host, "_author": owner, "_date": "2019-01-01T00:00:00+00:00"},
            {"utils/net.py": PLANT.format(**plant), "_author": author, "_date": date, "_message": "cache helper"},
        ], bare_mirror_at=tmp / "mirror" / f"{repo}.git")
    state = tmp / "state.db"
    assert main(["crawl", str(tmp / "mirror"), "--state", str(state), "--no-progress", "-j", "1"]) in (0, 1)
    out = tmp / "report.html"
    assert main(["report", "--state", str(state), "-o", str(out)]) == 0
    return out.read_text(encoding="utf-8")


def test_state_findings_carry_repositories_and_provenance(page):
    data = json.loads(page.split('id="codescan-data">', 1)[1].split("</script>", 1)[0])
    assert set(data["facets"]["repo"]) == set(HOSTS)
    assert data["summary"]["repos"] == 3
    for author in ("mallory", "m4llory", "ma11ory"):
        assert author in page


def test_campaign_from_the_state_with_variants_read_from_the_mirror(page):
    data = json.loads(page.split('id="codescan-data">', 1)[1].split("</script>", 1)[0])
    planted = [c for c in data["campaigns"] if set(c["repos"]) == set(HOSTS)]
    assert planted, data["campaigns"]
    card = page[page.index(f'id="campaign-{planted[0]["id"]}"'):]
    card = card[:card.index("</section>")]
    assert '<table class="diff">' in card and "not at hand" not in card  # blobs read from the bare mirrors
    assert "<ins>refresh_store</ins>" in card or "<del>refresh_store</del>" in card
    assert card.count('<circle class="dot') >= 3
