"""Issue 17, the sweep: every verb tried as a new user would — a flag value that selects nothing, a PATH that does
not exist, an input that yields nothing or is the wrong kind of file: a one-line message and exit 2."""
from __future__ import annotations

import json

import pytest

from clirun import DATA, write
from codescan.cli import main

HOOK = "import os\nos.system(cmd)\n"


def _refused(capsys, argv, *words) -> str:
    assert main(argv) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and err.startswith("codescan: error:"), err
    assert all(w in err for w in words), err
    return err


def test_a_rules_folder_without_rules_is_refused(tmp_path, capsys):
    write(tmp_path, "src/a.py", HOOK)
    (tmp_path / "none").mkdir()
    _refused(capsys, ["scan", str(tmp_path / "src"), "--rules", str(tmp_path / "none"), "--no-progress"],
             "none", "no rule files")


@pytest.mark.parametrize("flags", [["--select", "code-execution", "--ignore", "code-execution"],
                                   ["--engine", "semgrep", "--no-builtin-rules", "--rules", str(DATA / "rules")]])
def test_a_selection_that_leaves_no_rule_is_refused(tmp_path, capsys, flags):
    write(tmp_path, "src/a.py", HOOK)
    _refused(capsys, ["scan", str(tmp_path / "src"), *flags, "--no-progress"], "no rules")


def test_crawl_and_filter_selection_that_leaves_no_rule_is_refused(tmp_path, capsys):
    write(tmp_path, "d.jsonl", json.dumps({"content": HOOK}) + "\n")
    _refused(capsys, ["filter", str(tmp_path / "d.jsonl"), "-o", str(tmp_path / "o"), "--select", "backdoor",
                      "--ignore", "backdoor", "--no-progress"], "no rules")


@pytest.mark.parametrize("flag,value,words", [("--min-score", "101", ("--min-score", "100")),
                                              ("--limit", "0", ("--limit",))])
def test_campaigns_flag_values_that_select_nothing(tmp_path, capsys, flag, value, words):
    for name in ("a", "b"):
        write(tmp_path, f"{name}/x.py", "def f(a):\n    return a + 1\n")
    _refused(capsys, ["campaigns", str(tmp_path / "a"), str(tmp_path / "b"), flag, value, "--no-progress"], *words)


def test_campaigns_none_above_min_score_says_how_many_were_left_out(tmp_path, capsys):
    body = "".join(f"    total = total + value * {i} - offset\n" for i in range(8))
    for name in ("a", "b", "c"):
        write(tmp_path, f"{name}/lib.py", f"def compute(value, offset):\n    total = 0\n{body}    return total\n")
    argv = ["campaigns", *(str(tmp_path / n) for n in "abc"), "--no-progress", "--no-findings"]
    assert main(argv) == 0 and "No campaigns" not in capsys.readouterr().out
    assert main([*argv, "--min-score", "99"]) == 0
    out = capsys.readouterr().out
    assert "none scores 99 or more" in out and "campaign" in out


def test_report_source_that_does_not_exist_is_refused(tmp_path, capsys):
    write(tmp_path, "src/a.py", HOOK)
    scan = tmp_path / "scan.json"
    main(["scan", str(tmp_path / "src"), "-f", "json", "-o", str(scan), "--no-progress"])
    capsys.readouterr()
    _refused(capsys, ["report", "--scan", str(scan), "--source", str(tmp_path / "nowhere"), "-o",
                      str(tmp_path / "r.html")], "nowhere")


def test_report_drops_given_a_scan_result_is_refused(tmp_path, capsys):
    write(tmp_path, "src/a.py", HOOK)
    scan = tmp_path / "scan.json"
    main(["scan", str(tmp_path / "src"), "-f", "json", "-o", str(scan), "--no-progress"])
    capsys.readouterr()
    _refused(capsys, ["report", "--drops", str(scan), "-o", str(tmp_path / "r.html")], "not a drop report")


@pytest.mark.parametrize("flag,value", [("--max-file-size", "-5"), ("--max-file-size", "0"),
                                        ("--file-timeout", "0"), ("--file-timeout", "-1")])
def test_limits_that_would_skip_every_file_are_refused(tmp_path, capsys, flag, value):
    write(tmp_path, "src/a.py", HOOK)
    _refused(capsys, ["scan", str(tmp_path / "src"), flag, value, "--no-progress"], flag)


def test_mirror_sync_timeout_must_be_positive(tmp_path, capsys):
    (tmp_path / "urls.txt").write_text(f"{tmp_path}/nowhere\n")
    _refused(capsys, ["mirror", "sync", str(tmp_path / "urls.txt"), "--into", str(tmp_path / "m"), "--timeout", "0"],
             "--timeout")


def test_campaigns_from_a_state_that_cannot_hold_one_say_why(tmp_path, capsys):
    from crawlrun import crawl
    from gitrepos import make_repo

    for name in ("one", "two"):
        make_repo(tmp_path / "src" / name, [{"a.py": f"{HOOK}# {name}\n"}], bare_mirror_at=tmp_path / "root" / name)
    crawl(capsys, tmp_path / "root", tmp_path / "nounits.db", "--no-units")
    _refused(capsys, ["campaigns", "--state", str(tmp_path / "nounits.db")], "--no-units")
    make_repo(tmp_path / "src" / "solo", [{"a.py": HOOK}], bare_mirror_at=tmp_path / "solo" / "solo.git")
    crawl(capsys, tmp_path / "solo", tmp_path / "solo.db")
    _refused(capsys, ["campaigns", "--state", str(tmp_path / "solo.db")], "1 repository", "--min-repos 2")


def test_report_of_a_state_without_units_says_why_it_has_no_campaigns(tmp_path, capsys):
    from crawlrun import crawl
    from gitrepos import make_repo

    for name in ("one", "two"):
        make_repo(tmp_path / "src" / name, [{"a.py": f"{HOOK}# {name}\n"}], bare_mirror_at=tmp_path / "root" / name)
    crawl(capsys, tmp_path / "root", tmp_path / "s.db", "--no-units")
    assert main(["report", "--state", str(tmp_path / "s.db"), "-o", str(tmp_path / "r.html")]) == 0
    assert "--no-units" in capsys.readouterr().err


def test_scan_of_a_dataset_file_with_no_field_it_reads_says_so(tmp_path, capsys):
    write(tmp_path, "data/train.jsonl", "".join(json.dumps({"id": i, "code": HOOK}) + "\n" for i in range(3)))
    code = main(["scan", str(tmp_path / "data"), "-f", "json", "--no-progress", "--no-builtin-rules", "--rules",
                 str(DATA / "rules")])
    report = json.loads(capsys.readouterr().out)
    [skip] = report["skipped"]
    assert code == 0 and skip["path"] == "train.jsonl" and "content" in skip["reason"] and "code" in skip["reason"]


def test_rules_without_an_action_is_a_usage_error(capsys):
    _refused(capsys, ["rules"], "codescan rules list")
