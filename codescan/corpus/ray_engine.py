"""`--engine ray`: the corpus filter's stages on Ray Data — shards (Parquet split by row group) read in tasks,
`map_batches` for analysis in an actor pool, one write task per shard; same verdicts, same drop report."""
from __future__ import annotations

import json
import os

import numpy as np

from ..errors import CodescanError
from .analysis import Counts
from .policy import Verdict, dedupe, finding_entry
from .records import Fields, documents, meta
from .shards import Shard, parquet_row_groups, read_rows
from .write import write_shard

BATCH_ROWS = 64  # record parts per analysis batch


def _ray():
    try:
        import ray
        import ray.data  # noqa: F401
    except ImportError:
        raise CodescanError("--engine ray needs Ray Data: pip install 'codescan[ray]'") from None
    return ray


def start(jobs: int = 0):
    """Join the cluster RAY_ADDRESS names, else start a local Ray with `jobs` CPUs (0: all)."""
    ray = _ray()
    if not ray.is_initialized():
        if os.environ.get("RAY_ADDRESS"):
            ray.init(address=os.environ["RAY_ADDRESS"], log_to_driver=False)
        else:
            ray.init(num_cpus=jobs or None, include_dashboard=False, log_to_driver=False,
                     configure_logging=False)
    ray.data.DataContext.get_current().enable_progress_bars = False
    return ray


def read_tasks(shards: list[Shard]) -> list[dict]:
    """One read task per JSONL shard and per Parquet row group."""
    tasks = []
    for number, shard in enumerate(shards):
        groups = range(parquet_row_groups(shard.path)) if shard.format == "parquet" else [None]
        for group in groups:
            tasks.append({"number": number, "path": shard.path, "rel": shard.rel, "format": shard.format,
                          "group": -1 if group is None else group})
    return tasks


def part_rows(task: dict, fields: Fields) -> list[dict]:
    """flat_map: a read task → one row per record part (plus a marker row per record, part -1)."""
    shard = Shard(task["path"], task["rel"], task["format"])
    groups = None if task["group"] < 0 else [task["group"]]
    out = []
    for row in read_rows(shard, fields.columns(), groups):
        base = {"number": task["number"], "shard": shard.rel, "index": row.index, "part": -1, "field": "",
                "block": -1, "language": "", "repo": "", "id": "", "content": b"", "path": "", "unreadable": row.error or ""}
        out.append(base)
        if row.record is None:
            continue
        display = meta(row.record, fields, fields.path) or shard.rel
        for number, (part, doc) in enumerate(documents(row.record, row.index, display, fields, shard.rel)):
            out.append({**base, "part": number, "field": part.field,
                        "block": -1 if part.block is None else part.block, "language": doc.language or "",
                        "repo": doc.repo or "", "id": doc.id, "content": doc.content, "path": doc.path})
    return out


class AnalyzeBatch:
    """map_batches actor: holds one Analyzer and turns record parts into findings and skips (JSON columns)."""

    def __init__(self, ruleset, config):
        from ..analyze.document import Analyzer

        self.analyzer = Analyzer(ruleset, config)

    def __call__(self, batch: dict) -> dict:
        from ..pipeline import _safe_analyze
        from ..records import Document

        findings, skips = [], []
        for i in range(len(batch["part"])):
            if int(batch["part"][i]) < 0:
                findings.append("[]")
                skips.append("[]")
                continue
            block = int(batch["block"][i])
            doc = Document(path=str(batch["path"][i]), content=bytes(batch["content"][i]),
                           language=str(batch["language"][i]) or None, repo=str(batch["repo"][i]) or None,
                           id=str(batch["id"][i]), trusted=False)
            item = _safe_analyze(self.analyzer, doc)
            field = str(batch["field"][i])
            findings.append(json.dumps([finding_entry(f, field, None if block < 0 else block)
                                        for f in item.findings]))
            label = field + (f"#{block}" if block >= 0 else "")
            skips.append(json.dumps([f"{label}: {s.reason}" for s in item.skips]))
        out = {k: batch[k] for k in ("number", "shard", "index", "part", "unreadable")}
        out["bytes"] = np.array([len(c) for c in batch["content"]], dtype=np.int64)
        out["findings"] = np.array(findings, dtype=object)
        out["skips"] = np.array(skips, dtype=object)
        return out


class RayEngine:
    name = "ray"

    def analyze(self, shards, fields, ruleset, config, progress):
        ray = start(config.jobs)
        cpus = max(1, int(ray.cluster_resources().get("CPU", 1)))
        ds = ray.data.from_items(read_tasks(shards), override_num_blocks=max(1, len(shards)))
        # Analyzer actors take 0.9 CPU each so reading tasks always find room (no deadlock on small clusters).
        ds = ds.flat_map(part_rows, fn_kwargs={"fields": fields}, num_cpus=0.1)
        ds = ds.map_batches(AnalyzeBatch, fn_constructor_args=(ruleset, config), batch_size=BATCH_ROWS,
                            concurrency=cpus, num_cpus=0.9, batch_format="numpy")
        verdicts: dict = {}
        counts = Counts()
        for row in ds.iter_rows():
            key = (row["shard"], int(row["index"]))
            if int(row["part"]) < 0:
                counts.records += 1
                if row["unreadable"]:
                    verdicts[key] = Verdict(unreadable=row["unreadable"])
                continue
            counts.parts += 1
            counts.bytes += int(row["bytes"])
            found, skipped = json.loads(row["findings"]), json.loads(row["skips"])
            if found or skipped:
                verdict = verdicts.setdefault(key, Verdict())
                verdict.findings.extend(found)
                verdict.skips.extend(skipped)
        for verdict in verdicts.values():
            verdict.findings = dedupe(verdict.findings)
            verdict.skips = sorted(set(verdict.skips))
        return verdicts, counts

    def campaigns(self, shards, fields, ruleset, config):
        from .campaigns import corpus_campaigns  # clustered on the driver (see README: On Ray)

        return corpus_campaigns(shards, fields, ruleset=ruleset, config=config)

    def write(self, shards, out, fields, policy, verdicts, members, write_dropped):
        ray = _ray()
        task = ray.remote(write_shard)
        refs = [task.remote(s, out, n, fields, policy, verdicts.get(s.rel, {}), members.get(s.rel, {}), write_dropped)
                for n, s in enumerate(shards)]
        return ray.get(refs)
