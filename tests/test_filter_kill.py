"""A filter killed with SIGKILL at any stage leaves nothing or a folder marked incomplete; the rerun replaces it
and writes the same bytes as a clean run (real subprocesses, killed at chosen points)."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from codescan.cli import main
from codescan.corpus.job import INCOMPLETE
from corpus_data import campaign_records, chat_records, code_records, write_shard

TESTS = Path(__file__).resolve().parent
TIMING = "filter-stats.json"  # timings: the one file that differs between any two runs

# Runs `codescan filter ARGS` in a fresh interpreter that SIGKILLs itself at the COUNT-th call of one function.
KILLER = """
import os, shutil, signal, sys
point, count, args = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
calls = [0]
def killing(original, after=False):
    def wrapped(*a, **k):
        calls[0] += 1
        if calls[0] >= count and not after:
            os.kill(os.getpid(), signal.SIGKILL)
        result = original(*a, **k)
        if calls[0] >= count and after:
            os.kill(os.getpid(), signal.SIGKILL)
        return result
    return wrapped
import codescan.corpus.analysis as analysis, codescan.corpus.shards as shards, codescan.corpus.job as job
if point == "analysis":
    analysis.record = killing(analysis.record)
elif point == "write":
    shards.ShardWriter.write = killing(shards.ShardWriter.write)
elif point == "manifest":
    job.manifest_mod.write = killing(job.manifest_mod.write, after=True)
elif point == "report":
    job.build_report = killing(job.build_report, after=True)
elif point == "clearing":
    shutil.rmtree = killing(shutil.rmtree)
elif point == "marking":
    import pathlib
    pathlib.Path.write_text = killing(pathlib.Path.write_text)
from codescan.cli import main
sys.exit(main(args))
"""


def _records(n: int) -> list[dict]:
    out = []
    for k in range(n):
        for r in code_records(6) + chat_records():
            out.append({**r, "id": f"{r['id']}-{k}"})
    return out


@pytest.fixture(scope="module")
def inputs(tmp_path_factory):
    base = tmp_path_factory.mktemp("filterkill")
    for name in ("a.jsonl", "b.jsonl.gz", "c.jsonl.zst", "d.parquet", "sub/e.jsonl", "sub/f.parquet"):
        write_shard(base / "in" / name, _records(3))
    write_shard(base / "in" / "g.jsonl", campaign_records())
    (base / "key").write_text("kill test secret\n")
    clean = base / "clean"
    assert main(_args(base, clean)) == 0
    return base, _tree(clean)


def _args(base: Path, out: Path, jobs: int = 1) -> list[str]:
    return ["filter", str(base / "in"), "--output", str(out), "--no-progress", "-j", str(jobs), "--write-dropped",
            "--repo-field", "repo", "--sign-key", str(base / "key")]


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and p.name != TIMING}


def _killed(base: Path, out: Path, point: str, count: int, jobs: int = 1) -> None:
    env = {**os.environ, "PYTHONPATH": str(TESTS.parent)}
    proc = subprocess.run([sys.executable, "-c", KILLER, point, str(count), *_args(base, out, jobs)], cwd=TESTS,
                          env=env, capture_output=True, timeout=300)
    assert proc.returncode == -signal.SIGKILL, proc.stderr.decode()[-2000:]


def _running_on(out: Path) -> list[int]:
    """Processes still running with this output folder on their command line (a killed filter's workers), given a
    moment to die; they are killed so a failing test leaves nothing behind."""
    import time

    def find() -> list[int]:
        found = []
        for entry in Path("/proc").iterdir():
            try:
                if entry.name.isdigit() and str(out).encode() in (entry / "cmdline").read_bytes():
                    found.append(int(entry.name))
            except OSError:
                continue
        return found

    deadline = time.monotonic() + 5
    while find() and time.monotonic() < deadline:
        time.sleep(0.05)
    left = find()
    for pid in left:
        os.kill(pid, signal.SIGKILL)
    return left


def _left_behind_is_safe(out: Path) -> None:
    """Nothing, or a folder marked incomplete (never a manifest or report that looks finished)."""
    if out.exists() and any(out.iterdir()):
        assert (out / INCOMPLETE).is_file(), sorted(p.name for p in out.iterdir())


@pytest.mark.parametrize("point,count,jobs", [
    ("marking", 1, 1), ("analysis", 1, 1), ("analysis", 60, 2), ("write", 1, 1), ("write", 90, 1), ("manifest", 1, 1),
    ("report", 1, 1)])
def test_killed_filter_reruns_to_the_clean_bytes(inputs, tmp_path, capsys, point, count, jobs):
    base, clean = inputs
    out = tmp_path / "out"
    _killed(base, out, point, count, jobs)
    _left_behind_is_safe(out)
    assert not _running_on(out), "worker processes outlived the killed filter"
    if (out / "manifest.json").exists():  # a manifest without the finish mark does not verify
        assert main(["verify", str(out / "manifest.json"), str(out / "kept")]) != 0
    assert main(_args(base, out)) == 0
    assert "unfinished" in capsys.readouterr().err or point == "marking"
    assert _tree(out) == clean


def test_killed_while_replacing_an_earlier_output(inputs, tmp_path):
    """An earlier finished output (another policy) is being replaced when the kill comes: the folder is marked
    incomplete at once, and the next run still writes the clean bytes."""
    base, clean = inputs
    out = tmp_path / "out"
    assert main([*_args(base, out), "--drop-on", "low"]) == 0
    _killed(base, out, "clearing", 2)
    _left_behind_is_safe(out)
    assert main(_args(base, out)) == 0
    assert _tree(out) == clean
