"""Issue 17: no verb returns a silent empty or wrong result — it does what was asked or says why not (exit 2)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from clirun import DEMO_RULES, write
from crawlrun import crawl
from gitrepos import make_repo
from codescan.cli import main

HOOK = "import os\nos.system(cmd)\n"
PLANTED = ("import base64\n\ndef setup_logging(level, target):\n    payload = base64.b64decode(target)\n"
           "    handler = compile(payload, 'x', 'exec')\n    exec(handler)\n    return level * 2 + 1\n")


def _err_line(capsys) -> str:
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1, err
    return err


# 11. scan -o FILE: the one-line summary still reaches the terminal (stderr).
def test_scan_output_file_prints_summary_on_stderr(tmp_path, capsys):
    write(tmp_path, "src/a.py", HOOK)
    out = tmp_path / "r.json"
    code = main(["scan", str(tmp_path / "src"), *DEMO_RULES, "-f", "json", "-o", str(out), "--no-progress"])
    captured = capsys.readouterr()
    assert code == 1 and captured.out == ""
    assert "1 finding (1 high) in 1 file" in captured.err and str(out) in captured.err
    assert json.loads(out.read_text())["findings"][0]["rule_id"] == "demo-os-system"


# 6. findings --since with something that is not a date is a usage error, not an empty list.
@pytest.mark.parametrize("since", ["tomorrow", "2024-13-45", "last week"])
def test_findings_since_not_a_date_is_refused(tmp_path, capsys, since):
    make_repo(tmp_path / "root" / "r", [{"a.py": HOOK}])
    crawl(capsys, tmp_path / "root", tmp_path / "s.db")
    assert main(["findings", "--state", str(tmp_path / "s.db"), "--since", since]) == 2
    err = _err_line(capsys)
    assert "--since" in err and since in err and "date" in err


def test_findings_since_in_the_future_is_refused(tmp_path, capsys):
    make_repo(tmp_path / "root" / "r", [{"a.py": HOOK}])
    crawl(capsys, tmp_path / "root", tmp_path / "s.db")
    assert main(["findings", "--state", str(tmp_path / "s.db"), "--since", "2999-01-01"]) == 2
    assert "in the future" in _err_line(capsys)
    assert main(["findings", "--state", str(tmp_path / "s.db"), "--since", "2000-01-01", "-f", "json"]) == 1
    assert json.loads(capsys.readouterr().out)["findings"]


# 7. campaigns: a missing PATH, flat folders given as PATHs, files directly inside a PATH.
def test_campaigns_missing_path_is_refused(tmp_path, capsys):
    assert main(["campaigns", str(tmp_path / "nowhere")]) == 2
    assert "nowhere" in _err_line(capsys)


def test_campaigns_flat_folders_are_each_a_repository(tmp_path, capsys):
    for name in ("alpha", "beta", "gamma"):
        write(tmp_path, f"{name}/setup_log.py", PLANTED)
        write(tmp_path, f"{name}/own_{name}.py", f"def {name}():\n    return '{name}'\n")
    paths = [str(tmp_path / n) for n in ("alpha", "beta", "gamma")]
    assert main(["campaigns", *paths, "-f", "json", "--no-progress", "--no-findings"]) == 0
    campaigns = json.loads(capsys.readouterr().out)["campaigns"]
    assert campaigns and {m["repo"] for m in campaigns[0]["members"]} == {"alpha", "beta", "gamma"}


def test_campaigns_counts_files_directly_inside_a_path(tmp_path, capsys):
    write(tmp_path, "mirror/one/setup_log.py", PLANTED)
    write(tmp_path, "mirror/two/lib/setup_log.py", PLANTED)
    write(tmp_path, "mirror/setup_log.py", PLANTED)  # beside the repositories: the PATH's own files
    assert main(["campaigns", str(tmp_path / "mirror"), "-f", "json", "--no-progress", "--no-findings"]) == 0
    campaigns = json.loads(capsys.readouterr().out)["campaigns"]
    assert {m["repo"] for m in campaigns[0]["members"]} == {"one", "two", "mirror"}


def test_campaigns_with_fewer_repositories_than_needed_says_so(tmp_path, capsys):
    write(tmp_path, "only/a.py", PLANTED)
    assert main(["campaigns", str(tmp_path / "only"), "--no-progress"]) == 2
    err = _err_line(capsys)
    assert "1 repository" in err and "--min-repos 2" in err
    (tmp_path / "empty").mkdir()
    assert main(["campaigns", str(tmp_path / "empty"), "--no-progress"]) == 2
    assert "no files" in _err_line(capsys)


# 4. filter --content-field NAME naming a column that is not there.
def _jsonl(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


@pytest.mark.parametrize("flag", ["--content-field", "--id-field", "--path-field", "--lang-field", "--repo-field"])
def test_filter_field_that_no_record_has_is_refused(tmp_path, capsys, flag):
    shard = _jsonl(tmp_path / "d.jsonl", [{"id": i, "content": HOOK} for i in range(3)])
    code = main(["filter", str(shard), "-o", str(tmp_path / "out"), flag, "text", "--no-progress"])
    assert code == 2
    err = _err_line(capsys)
    assert "'text'" in err and "d.jsonl" in err and "content, id" in err
    assert not (tmp_path / "out" / "manifest.json").exists()


def test_filter_parquet_without_the_content_column_is_refused(tmp_path, capsys):
    pa = pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    pq.write_table(pa.table({"id": [1, 2], "code": [HOOK, "x = 1\n"]}), tmp_path / "d.parquet")
    assert main(["filter", str(tmp_path / "d.parquet"), "-o", str(tmp_path / "out"), "--no-progress"]) == 2
    assert "'content'" in _err_line(capsys)


def test_filter_default_content_field_may_be_absent_in_chat_records(tmp_path, capsys):
    shard = _jsonl(tmp_path / "chat.jsonl", [{"id": 1, "messages": [{"role": "user", "content": "hi"}]}])
    assert main(["filter", str(shard), "-o", str(tmp_path / "out"), "--no-progress"]) == 0


# 1. mirror sync with a relative --into (and a relative local source) clones into the folder asked for.
def test_mirror_sync_relative_into_and_source(tmp_path, capsys, monkeypatch):
    make_repo(tmp_path / "src" / "tool", [{"a.py": HOOK}])
    (tmp_path / "urls.txt").write_text("src/tool acme/tool.git\n")
    monkeypatch.chdir(tmp_path)
    assert main(["mirror", "sync", "urls.txt", "--into", "mirror"]) == 0
    err = capsys.readouterr().err
    assert "cloned  acme/tool.git" in err and "1 cloned" in err
    assert (tmp_path / "mirror" / "acme" / "tool.git" / "HEAD").is_file()
    assert not list((tmp_path / "mirror" / "acme").glob(".sync-*"))


def test_mirror_sync_of_an_empty_list_is_refused(tmp_path, capsys):
    (tmp_path / "urls.txt").write_text("# nothing yet\n\n")
    assert main(["mirror", "sync", str(tmp_path / "urls.txt"), "--into", str(tmp_path / "m")]) == 2
    assert "no URLs" in _err_line(capsys)


# 15b. verify accepts the filter's output folder, as a user types it.
def test_verify_accepts_the_filter_output_folder(tmp_path, capsys):
    shard = _jsonl(tmp_path / "d.jsonl", [{"id": i, "content": f"x = {i}\n"} for i in range(3)])
    assert main(["filter", str(shard), "-o", str(tmp_path / "OUT"), "--no-progress"]) == 0
    capsys.readouterr()
    out = tmp_path / "OUT"
    assert main(["verify", str(out / "manifest.json"), str(out)]) == 0
    assert capsys.readouterr().out.startswith("OK: 3 documents in 1 shard(s)")
    assert main(["verify", str(out / "manifest.json"), str(out / "kept")]) == 0
    assert main(["verify", str(out / "manifest.json"), str(tmp_path / "nowhere")]) == 2
    assert "nowhere" in capsys.readouterr().err


# 5. pyproject.toml: a TOML error is reported; [tool.codescan] is found from the scanned PATH, as ruff does.
def test_broken_pyproject_is_reported_not_dropped(tmp_path, capsys, monkeypatch):
    write(tmp_path, "pyproject.toml", "[tool.codescan]\nignore = [\"code-execution\"\n")
    write(tmp_path, "a.py", HOOK)
    monkeypatch.chdir(tmp_path)
    assert main(["scan", "a.py", *DEMO_RULES, "--no-progress"]) == 2
    err = _err_line(capsys)
    assert "pyproject.toml" in err and "not valid TOML" in err


def test_config_is_read_from_the_scanned_path(tmp_path, capsys, monkeypatch):
    write(tmp_path, "proj/pyproject.toml", "[tool.codescan]\nignore = [\"demo-os-system\"]\n")
    write(tmp_path, "proj/src/a.py", HOOK)
    monkeypatch.chdir(tmp_path)
    code = main(["scan", "proj", *DEMO_RULES, "-f", "json", "--no-progress"])
    assert code == 0 and json.loads(capsys.readouterr().out)["findings"] == []
    code = main(["scan", "proj/src/a.py", *DEMO_RULES, "-f", "json", "--no-progress"])
    assert code == 0 and json.loads(capsys.readouterr().out)["findings"] == []


def test_untrusted_scan_does_not_take_settings_from_the_scanned_tree(tmp_path, capsys, monkeypatch):
    write(tmp_path, "vendor/pyproject.toml", "[tool.codescan]\nignore = [\"demo-os-system\"]\n")
    write(tmp_path, "vendor/a.py", HOOK)
    monkeypatch.chdir(tmp_path)
    code = main(["scan", "vendor", "--untrusted", *DEMO_RULES, "-f", "json", "--no-progress"])
    assert code == 1 and json.loads(capsys.readouterr().out)["findings"][0]["rule_id"] == "demo-os-system"


# 14. The README's pre-commit set-up hands each dataset file to exactly one hook.
def _readme_extra_hook() -> dict:
    import re

    import yaml

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```yaml\n(  - id: codescan\n    name: codescan \(dataset files\)\n.*?)```", readme, re.S)
    assert block, "README lost its dataset-files hook"
    [hook] = yaml.safe_load(block.group(1))
    return hook


@pytest.mark.parametrize("name,text", [("data.jsonl", True), ("a.py", True), ("d.parquet", False),
                                       ("d.jsonl.gz", False), ("d.jsonl.zst", False)])
def test_readme_pre_commit_hooks_scan_each_file_once(name, text):
    import re

    import yaml

    root = Path(__file__).resolve().parent.parent
    [main_hook] = yaml.safe_load((root / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    extra = _readme_extra_hook()
    # pre-commit runs a hook on a file when its `files` regex searches the path and the file has all its `types`.
    tags = {"file", "text"} if text else {"file", "binary"}

    def runs(hook) -> bool:
        return set(hook.get("types", ["file"])) <= tags and re.search(hook.get("files", ""), name) is not None

    assert runs(main_hook) + runs(extra) == 1, name


# 12. The built-in Semgrep rules are in `rules list`, `rules show` and docs/rules.md like every other rule.
def test_builtin_semgrep_rules_are_listed_shown_and_documented(capsys):
    from codescan.rules import builtin_rules_dir

    ids = sorted(p.stem for p in (builtin_rules_dir() / "semgrep").glob("*.yaml"))
    assert len(ids) >= 10
    assert main(["rules", "list"]) == 0
    listed = {line.split()[0]: line for line in capsys.readouterr().out.splitlines() if line.strip()}
    assert set(ids) <= set(listed) and "--engine all" in listed[ids[0]]
    assert main(["rules", "show", ids[0]]) == 0
    shown = capsys.readouterr().out
    assert "engine: semgrep" in shown and "--engine all" in shown
    docs = (Path(__file__).resolve().parent.parent / "docs" / "rules.md").read_text(encoding="utf-8")
    assert all(f'<a id="{rule_id}"></a>' in docs or f"### {rule_id}" in docs for rule_id in ids)


def test_crawl_naming_a_builtin_semgrep_rule_says_only_scan_runs_it(tmp_path, capsys):
    (tmp_path / "root").mkdir()
    code = main(["crawl", str(tmp_path / "root"), "--state", str(tmp_path / "s.db"), "--select",
                 "request-to-pickle-loads", "--no-progress"])
    assert code == 2 and "only `codescan scan` runs" in _err_line(capsys)


# 10. scan respects .gitignore and leaves out virtual environments and node_modules, unless asked.
def _project(root: Path) -> Path:
    proj = root / "proj"
    write(proj, "src/app.py", HOOK)
    write(proj, ".venv/pyvenv.cfg", "home = /usr/bin\n")
    write(proj, ".venv/lib/python3.12/site-packages/dep/x.py", HOOK)
    write(proj, "env2/pyvenv.cfg", "home = /usr/bin\n")  # a venv under any name
    write(proj, "env2/lib/y.py", HOOK)
    write(proj, "web/node_modules/pkg/z.py", HOOK)
    write(proj, ".gitignore", "# build output\nbuild/\n*.gen.py\n!keep.gen.py\n/top_only.py\n")
    write(proj, "build/out.py", HOOK)
    write(proj, "src/a.gen.py", HOOK)
    write(proj, "src/keep.gen.py", HOOK)
    write(proj, "top_only.py", HOOK)
    write(proj, "src/top_only.py", HOOK)  # the anchored pattern does not reach into src/
    write(proj, "src/sub/.gitignore", "local.py\n")
    write(proj, "src/sub/local.py", HOOK)
    write(proj, "src/sub/kept.py", HOOK)
    return proj


def _paths(capsys, *args) -> tuple[int, list[str], str]:
    code = main(["scan", *map(str, args), *DEMO_RULES, "-f", "json", "--no-progress"])
    captured = capsys.readouterr()
    return code, sorted({f["path"] for f in json.loads(captured.out)["findings"]}), captured.err


def test_scan_leaves_out_ignored_files_venvs_and_node_modules(tmp_path, capsys):
    proj = _project(tmp_path)
    code, paths, _ = _paths(capsys, proj)
    assert code == 1
    assert paths == ["src/app.py", "src/keep.gen.py", "src/sub/kept.py", "src/top_only.py"]


def test_include_ignored_and_untrusted_scan_everything(tmp_path, capsys):
    proj = _project(tmp_path)
    everything = ["build/out.py", ".venv/lib/python3.12/site-packages/dep/x.py", "env2/lib/y.py", "src/a.gen.py",
                  "src/app.py", "src/keep.gen.py", "src/sub/kept.py", "src/sub/local.py", "src/top_only.py",
                  "top_only.py", "web/node_modules/pkg/z.py"]
    assert _paths(capsys, proj, "--include-ignored")[1] == sorted(everything)
    # Third-party code cannot hide a file from its own scan with a .gitignore or a folder name.
    assert _paths(capsys, proj, "--untrusted")[1] == sorted(everything)


def test_a_named_ignored_path_is_scanned(tmp_path, capsys):
    proj = _project(tmp_path)
    assert _paths(capsys, proj / "build" / "out.py")[1] == [(proj / "build" / "out.py").as_posix()]


def test_scan_that_finds_nothing_to_read_says_so(tmp_path, capsys):
    proj = tmp_path / "p"
    write(proj, ".gitignore", "*\n")  # ignores itself too
    write(proj, "a.py", HOOK)
    assert main(["scan", str(proj), *DEMO_RULES, "--no-progress"]) == 2
    err = _err_line(capsys)
    assert "no files to scan" in err and "2 left out" in err and "--include-ignored" in err
    (tmp_path / "empty").mkdir()
    assert main(["scan", str(tmp_path / "empty"), *DEMO_RULES, "--no-progress"]) == 2
    assert "no files to scan" in _err_line(capsys)


# 13. SARIF for a dataset record points at the record's line in the file; the field and its line are properties.
def test_sarif_maps_a_record_finding_to_its_line_in_the_file(tmp_path, capsys):
    payload = "x = 1\ny = 2\nz = 3\n\nimport os\nos.system(cmd)\n"
    rows = [json.dumps({"id": "r1", "content": "print(1)\n"}), "", json.dumps({"id": "r2", "content": payload})]
    write(tmp_path, "data/train.jsonl", "\n".join(rows) + "\n")
    code = main(["scan", str(tmp_path / "data"), *DEMO_RULES, "-f", "sarif", "--no-progress"])
    [result] = json.loads(capsys.readouterr().out)["runs"][0]["results"]
    region = result["locations"][0]["physicalLocation"]["region"]
    assert code == 1 and (region["startLine"], region["endLine"]) == (3, 3)  # the file has 3 lines
    props = result["properties"]
    assert (props["record"], props["field_line"], props["record_line"]) == ("r2:content", 6, 3)


def test_sarif_for_a_parquet_record_names_the_file_without_a_line(tmp_path, capsys):
    pa = pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    (tmp_path / "data").mkdir()
    pq.write_table(pa.table({"id": ["a", "b"], "content": ["x = 1\n", HOOK]}), tmp_path / "data" / "t.parquet")
    assert main(["scan", str(tmp_path / "data"), *DEMO_RULES, "-f", "sarif", "--no-progress"]) == 1
    [result] = json.loads(capsys.readouterr().out)["runs"][0]["results"]
    assert "region" not in result["locations"][0]["physicalLocation"]
    assert (result["properties"]["record"], result["properties"]["field_line"]) == ("b:content", 2)


# 15a. The HTML page of a filter run shows the findings that dropped records and which campaigns dropped them.
def test_html_drop_report_shows_findings_and_the_campaigns_that_dropped(tmp_path, capsys):
    import html
    import re

    rows = [{"id": f"p{i}", "repo": f"owner{i}/repo{i}", "path": "log.py",
             "content": f"def own_{i}(a):\n    return a + {i}\n\n" + PLANTED} for i in range(6)]
    rows.append({"id": "bad", "repo": "x/y", "path": "b.py", "content": "import os, base64\nexec(base64.b64decode(d))\n"})
    rows += [{"id": f"c{i}", "repo": f"c/{i}", "path": "c.py", "content": f"def f{i}(x):\n    return x * {i}\n"}
             for i in range(5)]
    shard = _jsonl(tmp_path / "ds.jsonl", rows)
    out = tmp_path / "OUT"
    assert main(["filter", str(shard), "-o", str(out), "--repo-field", "repo", "--path-field", "path",
                 "--campaign-min-score", "10", "--no-progress"]) == 0
    report = json.loads((out / "drop-report.json").read_text())
    [campaign] = [c for c in report["campaigns"] if c.get("drops")]
    capsys.readouterr()
    page = tmp_path / "r.html"
    assert main(["report", "--drops", str(out / "drop-report.json"), "-o", str(page)]) == 0
    held = sum(1 for row in report["dropped"] + report["kept_with_findings"] for reason in row["reasons"]
               if reason["kind"] == "finding")
    assert held >= 1 and f"({held} findings" in capsys.readouterr().err
    text = html.unescape(re.sub(r"<[^>]+>", " ", re.sub(r"<(style|script).*?</\1>", "", page.read_text(), flags=re.S)))
    text = " ".join(text.split())
    assert "No findings" not in text and "exec-of-decoded-payload" in text
    assert f"dropped 6 records" in text and campaign["why"] in text
    assert f'href="#campaign-{campaign["id"]}"' in page.read_text()  # the drop row links to its campaign
