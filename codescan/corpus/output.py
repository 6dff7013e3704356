"""A filter's output folder: checked before work starts, marked incomplete until the last byte is written, so a
killed or interrupted run leaves nothing, or a folder that says so and that the next run replaces."""
from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

from ..errors import CodescanError
from . import manifest as manifest_mod
from .shards import Shard
from .write import DROPPED, KEPT, PARTS

REPORT = "drop-report.json"
STATS = "filter-stats.json"
INCOMPLETE = ".codescan-incomplete"  # present from the first write until the run has written everything
OURS_DIRS = (KEPT, DROPPED, PARTS)
OURS_FILES = (REPORT, STATS, manifest_mod.MANIFEST, manifest_mod.DOCUMENTS)


def unfinished(output: str | Path) -> bool:
    """Whether the folder holds a filter run that did not finish (killed, interrupted, failed)."""
    return (Path(output) / INCOMPLETE).is_file()


def prepare_output(output: str, shards: list[Shard], inputs: tuple[str, ...] = ()) -> Path:
    """An empty folder, an earlier filter's output or an unfinished one (replaced), that neither holds an input
    shard nor lies in an input folder (a later run would read its own output); marked incomplete before anything
    in it changes."""
    out = Path(output).resolve()
    for raw in inputs:
        if Path(raw).is_dir() and out.is_relative_to(Path(raw).resolve()):
            raise CodescanError(f"--output {output} is inside the input folder {raw}; choose another folder")
    for shard in shards:
        if Path(shard.path).is_relative_to(out):
            raise CodescanError(f"--output {output} holds the input shard {shard.path}; choose another folder")
    if out.exists() and not out.is_dir():
        raise CodescanError(f"--output {output} is not a folder (a file is in the way)")
    try:
        if out.exists() and any(out.iterdir()):
            if not unfinished(out) and not (out / REPORT).exists() and not (out / manifest_mod.MANIFEST).exists():
                raise CodescanError(f"--output {output} is not empty and holds no earlier filter output")
            _mark(out)
            for name in OURS_DIRS:
                shutil.rmtree(out / name, ignore_errors=True)
            for name in OURS_FILES:
                (out / name).unlink(missing_ok=True)
        else:
            out.mkdir(parents=True, exist_ok=True)
            _mark(out)
        (out / KEPT).mkdir(exist_ok=True)
    except OSError as exc:
        raise CodescanError(f"--output {output}: cannot write there: {exc.strerror or exc}") from None
    return out


def _mark(out: Path) -> None:
    """Write the incomplete mark. Its presence is what counts (a kill while writing it leaves it empty, still a
    mark), so it is written in place: a temporary name would be a stray file the next run refuses."""
    (out / INCOMPLETE).write_text(json.dumps({"pid": os.getpid(), "note": "a codescan filter run is writing this "
                                              "folder, or was killed before it finished; run the filter again to "
                                              "replace it"}) + "\n", encoding="utf-8")


def finish(out: Path) -> None:
    """The run wrote everything: remove the mark (the last change to the folder)."""
    (out / INCOMPLETE).unlink()
