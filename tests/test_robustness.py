"""One bad file never stops a scan: it becomes a reported skip with a reason, and the exit code says so."""
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

import codescan.sources.paths as paths_mod
from clirun import DATA, scan_json, write
from codescan.cli import main

HOOK = "import os\nos.system(cmd)\n"  # the demo rule flags line 2 (high)


def skip_reasons(report) -> dict[str, str]:
    return {s["path"]: s["reason"] for s in report["skipped"]}


def hook_found(report, path="ok.py") -> bool:
    return any(f["path"] == path and f["rule_id"] == "demo-os-system" and f["line"] == 2 for f in report["findings"])


@pytest.fixture
def tree(tmp_path):
    write(tmp_path, "ok.py", HOOK)
    return tmp_path


def test_binary_file_is_skipped(tree, capsys):
    write(tree, "lib.so", b"\x7fELF\x02\x01\x01\x00\x00\x00" + bytes(range(256)) * 4)
    code, report = scan_json(capsys, tree)
    assert "binary" in skip_reasons(report)["lib.so"]
    assert hook_found(report) and code == 1


def test_file_over_max_size_is_skipped(tree, capsys):
    write(tree, "big.py", "x = 1\n" * 2000)
    code, report = scan_json(capsys, tree, "--max-file-size", "5000")
    assert "too large" in skip_reasons(report)["big.py"]
    assert hook_found(report)


def test_invalid_utf8_is_analyzed_not_skipped(tree, capsys):
    # Stray Latin-1 bytes no longer hide a file (issue 20): it is read as cp1252 and analyzed.
    write(tree, "latin.py", b"import os  # caf\xe9\nos.system(x)  # '\xe9t\xe9'\n")
    code, report = scan_json(capsys, tree)
    assert "latin.py" not in skip_reasons(report)
    assert hook_found(report, "latin.py") and hook_found(report)


def test_symlinks_leaving_the_root_are_not_followed(tmp_path, capsys):
    outside = write(tmp_path, "outside/secret.py", HOOK)
    root = tmp_path / "root"
    write(root, "ok.py", HOOK)
    (root / "link.py").symlink_to(outside)
    (root / "linkdir").symlink_to(outside.parent, target_is_directory=True)
    code, report = scan_json(capsys, root)
    reasons = skip_reasons(report)
    assert "leaving the scanned root" in reasons["link.py"] and "leaving the scanned root" in reasons["linkdir"]
    assert {f["path"] for f in report["findings"]} == {"ok.py"}


def test_unreadable_file_is_skipped(tree, capsys, monkeypatch):
    locked = write(tree, "locked.py", HOOK)
    if os.geteuid() == 0:  # root reads anything: make the read itself fail as it would for a user
        real_open = open

        def guarded_open(file, *args, **kwargs):
            if Path(file).name == "locked.py":
                raise PermissionError(13, "Permission denied", str(file))
            return real_open(file, *args, **kwargs)

        monkeypatch.setattr(paths_mod, "open", guarded_open, raising=False)
    else:
        locked.chmod(0)
    try:
        code, report = scan_json(capsys, tree)
    finally:
        locked.chmod(0o644)
    assert "permission denied" in skip_reasons(report)["locked.py"]
    assert hook_found(report)


@pytest.mark.parametrize("opener,closer", [("(", ")"), ("[", "]"), ("{1: ", "}")])
def test_deeply_nested_code_does_not_stop_the_scan(tree, capsys, opener, closer):
    depth = 50_000
    write(tree, "deep.py", "x = " + opener * depth + "1" + closer * depth + "\n")
    start = time.monotonic()
    code, report = scan_json(capsys, tree, "-j", "1")
    assert time.monotonic() - start < 30
    assert hook_found(report) and code == 1
    reason = skip_reasons(report).get("deep.py")
    assert reason is None or reason  # analysed, or skipped with a reason (e.g. nesting too deep)


def test_slow_file_becomes_a_skip_under_the_time_budget(tree, capsys):
    # ~1 MB of code: parsing it alone takes far longer than 20 ms, so the budget must cut in.
    body = "".join(f"def f{i}(a, b):\n    return [a + b * {i} for _ in range(b)]\n" for i in range(16_000))
    write(tree, "slow.py", body)
    code, report = scan_json(capsys, tree, "--file-timeout", "0.02", "-j", "1")
    assert "time budget" in skip_reasons(report)["slow.py"]
    assert hook_found(report) and code == 1


def test_quadratic_parse_is_cut_short_by_the_time_budget(tree, capsys):
    # tree-sitter-python parses trailing comment lines in quadratic time: 8,000 of them take >10 s.
    write(tree, "trail.py", HOOK + "# padding\n" * 8_000)
    start = time.monotonic()
    code, report = scan_json(capsys, tree, "--file-timeout", "0.3", "-j", "1")
    assert time.monotonic() - start < 8
    assert "time budget" in skip_reasons(report)["trail.py"]
    assert hook_found(report) and code == 1


def test_one_big_file_through_worker_processes(tree, capsys):
    # A single batch too big to analyse in-process goes to the pool on its own.
    write(tree, "ok.py", HOOK + "value = 1\n" * 40_000)
    code, report = scan_json(capsys, tree / "ok.py", "-j", "2")
    assert code == 1 and report["findings"][0]["line"] == 2 and not report["skipped"]


def test_strict_turns_any_skip_into_exit_1(tmp_path, capsys):
    write(tmp_path, "clean.py", "print('hello')\n")
    write(tmp_path, "blob.bin", b"\0" * 64)
    code, report = scan_json(capsys, tmp_path)
    assert code == 0 and report["skipped"]
    code, _ = scan_json(capsys, tmp_path, "--strict")
    assert code == 1


@pytest.mark.parametrize("fail_on,expected", [("low", 1), ("medium", 1), ("high", 0), ("critical", 0), ("none", 0)])
def test_exit_code_follows_fail_on(tmp_path, capsys, fail_on, expected):
    write(tmp_path, "a.py", "import pickle\npickle.loads(blob)\n")  # one medium finding
    code, report = scan_json(capsys, tmp_path, "--fail-on", fail_on)
    assert [f["severity"] for f in report["findings"]] == ["medium"]
    assert code == expected


def test_default_fail_on_is_high(tmp_path, capsys):
    write(tmp_path, "a.py", "import pickle\npickle.loads(blob)\n")
    assert scan_json(capsys, tmp_path)[0] == 0
    write(tmp_path, "b.py", HOOK)
    assert scan_json(capsys, tmp_path)[0] == 1


def test_json_shape(tree, capsys):
    write(tree, "pkg/sub/mod.py", "import hashlib\nh = hashlib.md5(data)\n")
    write(tree, "blob.bin", b"\0\1")
    code, report = scan_json(capsys, tree)
    assert set(report) >= {"schema_version", "findings", "skipped", "stats"}
    assert report["skipped"] == [{"path": "blob.bin", "reason": report["skipped"][0]["reason"]}]
    assert {"files", "bytes", "seconds"} <= set(report["stats"])
    by_path = {f["path"]: f for f in report["findings"]}
    md5 = by_path["pkg/sub/mod.py"]
    for key in ("rule_id", "category", "severity", "message", "path", "line", "end_line", "column", "snippet"):
        assert key in md5
    assert (md5["rule_id"], md5["category"], md5["severity"]) == ("demo-md5", "insecure-crypto", "low")
    assert (md5["line"], md5["end_line"], md5["column"], md5["snippet"]) == (2, 2, 5, "h = hashlib.md5(data)")


def usage_error(capsys, argv) -> str:
    # the error under test, not one in the built-in rules (the demo rules: a scan with no rule at all is refused)
    demo = () if "--rules" in argv else ("--rules", str(DATA / "rules"))
    code = main([*argv, "--no-builtin-rules", *demo])
    err = capsys.readouterr().err
    assert code == 2
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("codescan: error:")
    return lines[0]


def test_missing_path_is_a_usage_error(tmp_path, capsys):
    line = usage_error(capsys, ["scan", str(tmp_path / "nope.py")])
    assert "nope.py" in line and "no such file" in line


def test_missing_path_from_a_real_process_prints_one_line(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "codescan", "scan", str(tmp_path / "missing"), "--no-builtin-rules",
                           "--rules", str(DATA / "rules")],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2
    assert proc.stderr.strip().count("\n") == 0 and "Traceback" not in proc.stderr
    assert "missing: no such file or folder" in proc.stderr


def test_unknown_config_key_is_a_usage_error(tree, capsys):
    cfg = write(tree, "codescan.toml", "fail_on = 'low'\nmax_files_size = 10\n")
    line = usage_error(capsys, ["scan", str(tree / "ok.py"), "--config", str(cfg)])
    assert "max_files_size" in line and "unknown key" in line


def test_bad_config_value_is_a_usage_error(tree, capsys):
    cfg = write(tree, "codescan.toml", "[tool.codescan]\nfail_on = 'sometimes'\n")
    assert "fail_on" in usage_error(capsys, ["scan", str(tree / "ok.py"), "--config", str(cfg)])


@pytest.mark.parametrize("text,expected", [
    ("id: broken-rule\nlanguages: [python]\n", "missing or empty"),
    ("id: [\n", "not valid YAML"),
    ("id: broken-rule\nlanguages: [python]\ncategory: nonsense\nseverity: high\ncwe: [CWE-1]\nmessage: m\n"
     "docs: {what: a, why: b, example: c, instead: d}\nquery: '(call) @match'\n", "category"),
])
def test_bad_rule_file_is_a_usage_error(tree, capsys, text, expected):
    write(tree, "rules/broken-rule.yaml", text)
    line = usage_error(capsys, ["scan", str(tree / "ok.py"), "--rules", str(tree / "rules")])
    assert "broken-rule.yaml" in line and expected in line


def test_rule_query_that_does_not_compile_is_a_usage_error(tree, capsys):
    rule = (DATA / "rules" / "python" / "demo-md5.yaml").read_text(encoding="utf-8")
    write(tree, "rules/demo-md5.yaml", rule.split("query:")[0] + "query: '(call (no_such_node)) @match'\n")
    line = usage_error(capsys, ["scan", str(tree / "ok.py"), "--rules", str(tree / "rules")])
    assert "demo-md5" in line and "does not compile" in line


def test_unwritable_output_is_a_usage_error(tree, capsys):
    line = usage_error(capsys, ["scan", str(tree / "ok.py"), "-o", str(tree / "no" / "such" / "dir.json")])
    assert "cannot write" in line
