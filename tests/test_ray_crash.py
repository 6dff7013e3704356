"""`filter --engine ray`: a record that kills the Ray worker analyzing it (a segfault, an OOM kill) loses only itself
(issue 15): its batch is re-run record by record in fresh actors, the culprit is dropped as analysis-exhausted, its
neighbours get the verdicts the local engine gives them, and the job ends. It used to retry the batch forever.
Runs only where Ray Data is importable; ~20 s, most of it Ray start-up."""
import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from corpus_data import code_records, write_shard

pytest.importorskip("ray.data", reason="Ray Data not installed (pip install 'codescan[ray]')")

TESTS = Path(__file__).resolve().parent
# The driver starts Ray itself with the test-only worker hook (ray_crash_hook.install: a record holding the marker
# kills its worker with os._exit), then runs the CLI, which joins that Ray instance.
DRIVER = ("import sys, ray\n"
          "ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, configure_logging=False,\n"
          "         runtime_env={'worker_process_setup_hook': 'ray_crash_hook.install'})\n"
          "from codescan.cli import main\n"
          "sys.exit(main(sys.argv[1:]))\n")


def _verdicts(out: Path) -> dict:
    report = json.loads((out / "drop-report.json").read_text())
    return {d["id"]: sorted(json.dumps([r.get("kind"), r.get("rule_id"), r.get("line")]) for r in d["reasons"]) for d in report["dropped"]}


def test_a_record_that_kills_its_ray_worker_loses_only_itself(tmp_path):
    from codescan.cli import main

    records = code_records(6)
    records.insert(4, {"id": "killer", "content": "# KILL THE WORKER\nx = 1\n", "repo": "evil/k", "path": "k.py",
                       "lang": "Python"})  # clean but for the crash: only the crash can drop it
    write_shard(tmp_path / "in" / "a.jsonl", records)
    common = ["--lang-field", "lang", "--repo-field", "repo", "--no-progress", "--no-campaigns"]
    assert main(["filter", str(tmp_path / "in"), "-o", str(tmp_path / "local"), "-j", "1", *common]) == 0
    env = {k: v for k, v in os.environ.items() if k != "RAY_ADDRESS"}
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(TESTS.parent), str(TESTS), env.get("PYTHONPATH")) if p)
    argv = [sys.executable, "-c", DRIVER, "filter", str(tmp_path / "in"), "-o", str(tmp_path / "ray"),
            "--engine", "ray", "-j", "2", *common]
    proc = subprocess.Popen(argv, cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)
    try:
        _, err = proc.communicate(timeout=180)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        pytest.fail("filter --engine ray never ended after a record killed its worker")
    finally:
        try:
            os.killpg(proc.pid, signal.SIGKILL)  # Ray helpers left in the session
        except ProcessLookupError:
            pass
    assert proc.returncode == 0, err[-3000:]
    local, ray = _verdicts(tmp_path / "local"), _verdicts(tmp_path / "ray")
    assert "killer" not in local
    killer = json.loads((tmp_path / "ray" / "drop-report.json").read_text())
    reasons = next(d for d in killer["dropped"] if d["id"] == "killer")["reasons"]
    assert [r["rule_id"] for r in reasons if r.get("kind") == "finding"] == ["analysis-exhausted"]
    assert any("killed the worker" in json.dumps(r) for r in reasons)
    assert {k: v for k, v in ray.items() if k != "killer"} == local  # the neighbours: as the local engine
    assert len(local) == 3
