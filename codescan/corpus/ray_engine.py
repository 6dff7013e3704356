"""`--engine ray`: the corpus filter's stages on Ray Data — shards (Parquet split by row group) read in tasks,
`map_batches` for analysis (and campaign units) in an actor pool, hash-partitioned band grouping for campaigns
(ray_campaigns), one write task per shard; same verdicts, same campaigns, same drop report."""
from __future__ import annotations

import atexit
import json
import os
import pickle
import re
import shutil
import tempfile
from contextlib import contextmanager
from dataclasses import replace

import numpy as np

from ..errors import CodescanError
from .analysis import Counts
from .clustering import PartUnits, blob_key, neutral, part_repo
from .policy import Verdict, dedupe, finding_entry
from .records import Fields, block_at, documents, meta, opaque_fields
from .shards import Shard, ShardError, parquet_row_groups, read_rows
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
        with _neutral_folder():
            if os.environ.get("RAY_ADDRESS"):
                ray.init(address=os.environ["RAY_ADDRESS"], log_to_driver=False)
            else:
                ray.init(num_cpus=jobs or None, include_dashboard=False, log_to_driver=False,
                         configure_logging=False)
    ray.data.DataContext.get_current().enable_progress_bars = False
    return ray


@contextmanager
def _neutral_folder():
    """Ray puts the driver's current folder on every worker's import path: start it from an empty private folder,
    so a scanned tree holding its own `codescan/` package (or any module) is never imported by a worker. Paths
    handed to workers are made absolute (see `_absolute`)."""
    empty = tempfile.mkdtemp(prefix="codescan-ray-")
    atexit.register(shutil.rmtree, empty, True)
    here = os.getcwd()
    os.chdir(empty)
    try:
        yield
    finally:
        os.chdir(here)


def _absolute(shards: list[Shard]) -> list[Shard]:
    return [replace(s, path=os.path.abspath(s.path)) for s in shards]


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
                "blocks": "[]", "language": "", "repo": "", "id": "", "content": b"", "path": "", "kind_path": "",
                "unreadable": row.error or "",
                "opaque": json.dumps(opaque_fields(row.record, fields)) if row.record is not None else "[]"}
        out.append(base)
        if row.record is None:
            continue
        display = meta(row.record, fields, fields.path) or shard.rel
        for number, (part, doc) in enumerate(documents(row.record, row.index, display, fields, shard.rel)):
            out.append({**base, "part": number, "field": part.field,
                        "blocks": json.dumps(part.blocks), "language": doc.language or "",
                        "repo": doc.repo or "", "id": doc.id, "content": doc.content, "path": doc.path,
                        "kind_path": doc.named})
    return out


class AnalyzeBatch:
    """map_batches actor: holds one Analyzer and turns record parts into findings and skips (JSON columns)."""

    def __init__(self, ruleset, config, units=False, cpus=1):
        from .ray_isolate import Isolated

        self.units = units
        self.analyzer = Isolated(ruleset, config, units, cpus)  # a record that kills its worker loses only itself

    def __call__(self, batch: dict) -> dict:
        from ..records import Document

        rows = [i for i in range(len(batch["part"])) if int(batch["part"][i]) >= 0]
        docs = [Document(path=str(batch["path"][i]), content=bytes(batch["content"][i]),
                         language=str(batch["language"][i]) or None, repo=str(batch["repo"][i]) or None,
                         id=str(batch["id"][i]), trusted=False, kind_path=str(batch["kind_path"][i])) for i in rows]
        analyzed = dict(zip(rows, zip(docs, self.analyzer.analyze(docs))))
        findings, skips, blobs, units, sigs = [], [], [], [], []
        for i in range(len(batch["part"])):
            if i not in analyzed:
                findings.append("[]")
                skips.append("[]")
                blobs.append("")
                units.append(b"")
                sigs.append(b"")
                continue
            blocks = tuple(tuple(span) for span in json.loads(str(batch["blocks"][i])))
            doc, item = analyzed[i]
            field = str(batch["field"][i])
            findings.append(json.dumps([finding_entry(f, field, block_at(blocks, f.line))
                                        for f in item.findings]))
            skips.append(json.dumps([f"{field}: {s.reason}" for s in item.skips]))
            # Campaign units: metadata (signatures of non-line units left out) and those signatures apart, so the
            # driver reads the small part and only band tasks read the signatures.
            held = tuple(getattr(item, "units", ())) if self.units else ()
            blobs.append(blob_key(doc.blob_sha, doc.language) if self.units else "")
            stripped = tuple(u if u.kind == "line" else _without_signature(u) for u in held)
            units.append(pickle.dumps((stripped, neutral(item.findings))) if blobs[-1] else b"")
            sigs.append(b"".join(u.signature for u in held if u.kind != "line"))
        out = {k: batch[k] for k in ("number", "shard", "index", "part", "unreadable", "repo", "opaque")}
        out["bytes"] = np.array([len(c) for c in batch["content"]], dtype=np.int64)
        out["findings"] = np.array(findings, dtype=object)
        out["skips"] = np.array(skips, dtype=object)
        out["blob"] = np.array(blobs, dtype=object)
        out["units"] = np.array(units, dtype=object)
        out["sigs"] = np.array(sigs, dtype=object)
        return out


def _without_signature(unit):
    from dataclasses import replace

    return replace(unit, signature=b"")


def _shard_error(exc: BaseException) -> str | None:
    """The ShardError a Ray task raised (a corrupt shard, a compression bomb), found under the Ray exceptions that
    wrap it, so the run ends on the same one-line message as the local engine instead of a Ray traceback."""
    seen, todo = set(), [exc]
    while todo:
        item = todo.pop()
        if id(item) in seen:
            continue
        seen.add(id(item))
        if isinstance(item, ShardError):
            return str(item)
        todo.extend(e for e in (getattr(item, "cause", None), item.__cause__, item.__context__)
                    if isinstance(e, BaseException))
    found = re.search(r"ShardError: ([^\n]+)", str(exc))
    return found.group(1).strip() if found else None


class RayEngine:
    name = "ray"

    def analyze(self, *args, **kwargs):
        try:
            return self._analyze(*args, **kwargs)
        except CodescanError:
            raise
        except Exception as exc:  # noqa: BLE001 - only a shard's own error is turned into a message
            message = _shard_error(exc)
            if message is None:
                raise
            raise ShardError(message) from None

    def _analyze(self, shards, fields, ruleset, config, progress, units=False):
        ray = start(config.jobs)
        shards = _absolute(shards)
        cpus = max(1, int(ray.cluster_resources().get("CPU", 1)))
        ds = ray.data.from_items(read_tasks(shards), override_num_blocks=max(1, len(shards)))
        # Analyzer actors take 0.9 CPU each so reading tasks always find room (no deadlock on small clusters).
        ds = ds.flat_map(part_rows, fn_kwargs={"fields": fields}, num_cpus=0.1)
        ds = ds.map_batches(AnalyzeBatch, fn_constructor_args=(ruleset, config, units, cpus), batch_size=BATCH_ROWS,
                            concurrency=cpus, num_cpus=0.9, batch_format="numpy")
        if units:
            ds = ds.materialize()  # the campaign stage reads the signatures from here, not from the driver
        verdicts: dict = {}
        counts = Counts()
        parts: list[PartUnits] = []
        for row in ds.drop_columns(["sigs"]).iter_rows():
            key = (row["shard"], int(row["index"]))
            if int(row["part"]) < 0:
                counts.records += 1
                if row["unreadable"]:
                    verdicts[key] = Verdict(unreadable=row["unreadable"])
                opaque = json.loads(row["opaque"])
                if opaque:
                    verdicts.setdefault(key, Verdict()).opaque.extend(opaque)
                continue
            counts.parts += 1
            counts.bytes += int(row["bytes"])
            if row["blob"]:
                held, found_units = pickle.loads(row["units"])
                parts.append(PartUnits((int(row["number"]), key[1], int(row["part"])), f"{key[0]}#{key[1]}.{row['part']}",
                                       part_repo(row["repo"] or None, key[0], key[1]), row["blob"], held, found_units))
            found, skipped = json.loads(row["findings"]), json.loads(row["skips"])
            if found or skipped:
                verdict = verdicts.setdefault(key, Verdict())
                verdict.findings.extend(found)
                verdict.skips.extend(skipped)
        for verdict in verdicts.values():
            verdict.findings = dedupe(verdict.findings)
            verdict.skips = sorted(set(verdict.skips))
        return verdicts, counts, (parts, ds if units else None)

    def campaigns(self, held, policy):
        from .campaigns import membership
        from .ray_campaigns import ray_campaigns

        parts, ds = held
        return membership(ray_campaigns(_ray(), parts, ds), policy)

    def write(self, shards, out, fields, policy, verdicts, members, write_dropped):
        ray = _ray()
        shards, out = _absolute(shards), os.path.abspath(out)
        task = ray.remote(write_shard)
        refs = [task.remote(s, out, n, fields, policy, verdicts.get(s.rel, {}), members.get(s.rel, {}), write_dropped)
                for n, s in enumerate(shards)]
        return ray.get(refs)
