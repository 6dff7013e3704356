"""Dataset files met by `codescan scan` and pre-commit (data/*.jsonl, *.parquet): their records as Documents."""
from __future__ import annotations

from dataclasses import replace
from typing import Iterator

from ..records import Document, Skip
from .records import MESSAGE_FIELDS, TEXT_FIELDS, Fields, documents, opaque_fields
from .shards import Shard, ShardError, read_rows, shard_format


def is_dataset_file(path: str) -> bool:
    return shard_format(path) is not None


def record_documents(full_path: str, rel: str, trusted: bool = True, fields: Fields = Fields(),
                     record_lines: dict | None = None) -> Iterator[Document | Skip]:
    """One Document per record part, path = the file, `id` = `<record id>:<field>` (what a finding's
    `record` says), lines in field coordinates; an unreadable record or file becomes a Skip. `record_lines`
    gains (path, id) -> the record's line in a JSONL file, for reports that point into the file (SARIF)."""
    shard = Shard(full_path, rel, shard_format(rel) or "jsonl")
    records, parts, seen = 0, 0, set()
    try:
        for row in read_rows(shard, fields.columns()):
            if row.record is None:  # the row number counts records; with blank lines it is not the line number
                where = f"record {row.index}" + (f" (line {row.line})" if row.line is not None else "")
                yield Skip(rel, f"{where}: {row.error}")
                continue
            records += 1
            if len(seen) < 50:
                seen.update(row.record)
            for reason in opaque_fields(row.record, fields):
                yield Skip(rel, f"record {row.index}: {reason}")
            for part, doc in documents(row.record, row.index, rel, fields):
                parts += 1
                if record_lines is not None and row.line is not None:
                    held = record_lines.get((doc.path, doc.id))
                    if held is not None and held != row.line:  # an id used again: this record is named by its line
                        rid = doc.id[:len(doc.id) - len(part.field) - 1]
                        doc = replace(doc, id=f"{rid} (line {row.line}):{part.field}")
                    record_lines[(doc.path, doc.id)] = row.line
                yield doc if not trusted else replace(doc, trusted=True)
    except ShardError as exc:
        yield Skip(rel, str(exc), exhausted="compression bomb" in str(exc))
        return
    if records and not parts:  # every record read, none analyzed: not a clean file, an unread one
        has = f"; its records have: {', '.join(sorted(map(str, seen))[:12])}" if seen else ""
        yield Skip(rel, f"no record holds text in a field codescan reads ({fields.content}, "
                        f"{', '.join(MESSAGE_FIELDS[:1] + TEXT_FIELDS[:3])}, ...){has}")


class RecordTally:
    """As items stream past `scan`, counts the records and files of dataset files: their Documents are record
    parts, so the summary can say "N files (M records)" instead of counting every part as a file."""

    def __init__(self):
        self.parts = self.records = self.files = 0
        self._record: tuple | None = None
        self._path: str | None = None

    def watch(self, items):
        for item in items:
            if isinstance(item, Document) and item.id and is_dataset_file(item.path):
                self.parts += 1
                record = (item.path, item.id.rsplit(":", 1)[0])  # id = <record id>:<field>
                if record != self._record:
                    self.records += 1
                    self._record = record
                if item.path != self._path:
                    self.files += 1
                    self._path = item.path
            yield item
