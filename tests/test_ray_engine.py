"""`--engine ray` on a local 2-CPU Ray instance gives the same drop report (campaigns included: band grouping in Ray
tasks) and manifest as the local engine.
Runs only where Ray Data is importable (`pip install 'codescan[ray]'`); ~15 s, most of it Ray start-up."""
import json

import pytest

from codescan.cli import main
from corpus_data import campaign_records, chat_records, code_records, write_shard

pytest.importorskip("ray.data", reason="Ray Data not installed (pip install 'codescan[ray]')")


@pytest.fixture(scope="module")
def ray_local():
    import ray

    from codescan.corpus.ray_engine import start

    start(2)
    yield
    ray.shutdown()


def test_ray_and_local_engines_give_identical_outputs(tmp_path, ray_local):
    write_shard(tmp_path / "in" / "a.jsonl.zst", code_records(6) + chat_records())
    write_shard(tmp_path / "in" / "sub" / "b.parquet", chat_records() + code_records(5))  # 4-row row groups
    write_shard(tmp_path / "in" / "c.jsonl", campaign_records())
    common = ["--lang-field", "lang", "--repo-field", "repo", "--write-dropped", "--no-progress",
              "-j", "2"]
    assert main(["filter", str(tmp_path / "in"), "-o", str(tmp_path / "local"), *common]) == 0
    assert main(["filter", str(tmp_path / "in"), "-o", str(tmp_path / "ray"), "--engine", "ray", *common]) == 0
    for name in ("drop-report.json", "manifest.json", "manifest.documents.jsonl", "kept/a.jsonl.zst",
                 "kept/sub/b.parquet", "dropped/sub/b.parquet"):
        assert (tmp_path / "local" / name).read_bytes() == (tmp_path / "ray" / name).read_bytes(), name
    report = json.loads((tmp_path / "ray" / "drop-report.json").read_text())
    assert report["summary"]["campaigns_dropped"] >= 1 and report["summary"]["campaigns"] >= 2
    assert {f"plant-{i}" for i in range(4)} <= {d["id"] for d in report["dropped"]}
    assert main(["verify", str(tmp_path / "ray" / "manifest.json"), str(tmp_path / "ray" / "kept")]) == 0


def test_ray_workers_never_import_a_codescan_package_in_the_current_folder(tmp_path):
    """Issue 17 item 3: Ray puts the driver's current folder on its workers' import path; a scanned tree holding a
    `codescan/` package must not be imported there (it crashed, then hung, the filter)."""
    import os
    import signal
    import subprocess
    import sys

    marker = tmp_path / "IMPORTED"
    tree = tmp_path / "tree"
    (tree / "codescan").mkdir(parents=True)
    (tree / "codescan" / "__init__.py").write_text(f"open({str(marker)!r}, 'w').close()\nraise SystemExit(3)\n")
    write_shard(tree / "data.jsonl", code_records(2))
    # -P: the driver itself must not import it either (README: run the installed command or python -P -m codescan)
    argv = [sys.executable, "-P", "-m", "codescan", "filter", "data.jsonl", "-o", "out", "--engine", "ray", "-j", "1",
            "--no-progress", "--no-campaigns"]
    env = {k: v for k, v in os.environ.items() if k != "RAY_ADDRESS"}
    proc = subprocess.Popen(argv, cwd=tree, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)
    try:
        _, err = proc.communicate(timeout=240)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        pytest.fail("filter --engine ray hung in a folder holding a codescan/ package")
    finally:
        try:
            os.killpg(proc.pid, signal.SIGKILL)  # Ray helpers left in the session
        except ProcessLookupError:
            pass
    assert proc.returncode == 0, err[-2000:]
    assert not marker.exists()
    assert json.loads((tree / "out" / "drop-report.json").read_text())["summary"]["dropped"] >= 1


def test_a_shard_error_in_a_ray_task_is_the_same_one_line_message(tmp_path, capsys, ray_local):
    """A compression bomb (one 1 MiB dictionary value on 80 rows of an 8 kB Parquet file) is refused inside a Ray
    task; the run ended on a Ray traceback (exit 1) instead of the local engine's one-line error (exit 2)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    column = pa.DictionaryArray.from_arrays(pa.array([0] * 80, pa.int32()), pa.array(["a" * (1 << 20)]))
    path = tmp_path / "in" / "bomb.parquet"
    path.parent.mkdir()
    pq.write_table(pa.table({"id": [str(i) for i in range(80)], "content": column}), path, compression="zstd")
    code = main(["filter", str(path), "-o", str(tmp_path / "out"), "--engine", "ray", "--no-progress", "-j", "2",
                 "--no-campaigns"])
    err = capsys.readouterr().err
    assert code == 2 and "compression bomb" in err.strip().splitlines()[-1], err[-2000:]
