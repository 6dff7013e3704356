"""Issue 17, crawl and findings: a --refs that selects nothing, an empty ROOT and the findings summary never turn
into a silent empty or lost result."""
from __future__ import annotations

import json

from clirun import DATA
from crawlrun import crawl, findings
from gitrepos import make_repo
from codescan.cli import main

CODE = "import os\nos.system(cmd)\nimport hashlib\nhashlib.md5(x)\n"
RULES = ("--no-builtin-rules", "--rules", str(DATA / "rules"))


def _root(tmp_path, names=("one",)):
    root = tmp_path / "root"
    for name in names:
        make_repo(tmp_path / "src" / name, [{"a.py": f"{CODE}# {name}\n"}], bare_mirror_at=root / "acme" / f"{name}.git")
    return root


def _rules(capsys, state) -> set[str]:
    return {f["rule_id"] for f in findings(capsys, state)[1]["findings"]}


# 2. --refs matching nothing in any repository: exit 2, and the state is left as it was.
def test_refs_that_match_nothing_are_refused_and_change_nothing(tmp_path, capsys):
    root, state = _root(tmp_path), tmp_path / "s.db"
    crawl(capsys, root, state, rules=(*RULES, "--select", "demo-os-system"))
    code = main(["crawl", str(root), "--state", str(state), "--refs", "nomatch/*", "--no-progress", *RULES])
    err = capsys.readouterr().err.strip()
    assert code == 2 and len(err.splitlines()) == 1 and "nomatch/*" in err and "1 repository" in err
    stats = crawl(capsys, root, state, rules=RULES)  # the rule change is still pending, and now re-analyzed
    assert stats["reanalyzed"] == 1 and _rules(capsys, state) == {"demo-os-system", "demo-md5"}


# 2. A repository whose refs do not match (others do) keeps its pending re-analysis.
def test_a_repository_left_out_by_refs_keeps_its_pending_reanalysis(tmp_path, capsys):
    root, state = _root(tmp_path, ("one", "two")), tmp_path / "s.db"
    import subprocess

    from codescan.sources.git_safety import safe_env

    crawl(capsys, root, state, rules=(*RULES, "--select", "demo-os-system"))
    for name in ("one",):  # only acme/one gets a release/* branch
        subprocess.run(["git", "--git-dir", str(root / "acme" / f"{name}.git"), "branch", "release/1", "main"],
                       check=True, env=safe_env())
    crawl(capsys, root, state, "--refs", "release/*", rules=RULES)
    crawl(capsys, root, state, "--refs", "all", rules=RULES)
    got = {(f["repo"], f["rule_id"]) for f in findings(capsys, state)[1]["findings"]}
    assert got == {(r, rule) for r in ("acme/one", "acme/two") for rule in ("demo-os-system", "demo-md5")}


def test_crawl_of_a_root_without_repositories_is_refused(tmp_path, capsys):
    (tmp_path / "empty" / "sub").mkdir(parents=True)
    code = main(["crawl", str(tmp_path / "empty"), "--state", str(tmp_path / "s.db"), "--no-progress", *RULES])
    assert code == 2 and "no git repositories" in capsys.readouterr().err
    assert not (tmp_path / "s.db").exists()


# 2. The findings summary counts the files the state holds, not what the latest crawl happened to read.
def test_findings_summary_counts_the_state_not_the_last_crawl(tmp_path, capsys):
    root, state = _root(tmp_path), tmp_path / "s.db"
    crawl(capsys, root, state, rules=RULES)
    crawl(capsys, root, state, rules=RULES)  # nothing new
    assert main(["findings", "--state", str(state)]) == 1
    out = capsys.readouterr().out.strip().splitlines()[-1]
    assert "in 1 file" in out, out
    assert main(["findings", "--state", str(state), "-f", "json"]) == 1
    assert json.loads(capsys.readouterr().out)["stats"]["files"] == 1
