"""Refuse a filter whose field names match nothing in a shard, before any work: a missing code column would keep
every record unscanned."""
from __future__ import annotations

from itertools import islice

from .records import MESSAGE_FIELDS, TEXT_FIELDS, Fields
from .shards import Shard, ShardError, read_rows

PEEK_ROWS = 200  # records of a JSONL shard looked at; a Parquet shard's schema names its columns
DEFAULT_CONTENT = Fields().content


def check_fields(shards: list[Shard], fields: Fields) -> None:
    """Raise ShardError naming the shard, the field and the fields it has, when a named field is in none of
    its first records. The default content field may be absent from chat and instruction records."""
    named = {"--content-field": fields.content, "--id-field": fields.id, "--path-field": fields.path,
             "--lang-field": fields.lang, "--repo-field": fields.repo}
    for shard in shards:
        names = _field_names(shard)
        if names is None:  # empty shard, or no readable record: the run reports those itself
            continue
        for flag, name in named.items():
            if not name or name in names:
                continue
            if flag == "--content-field" and name == DEFAULT_CONTENT and names & {*TEXT_FIELDS, *MESSAGE_FIELDS}:
                continue
            shown = ", ".join(sorted(names)[:12]) + (", ..." if len(names) > 12 else "")
            raise ShardError(f"{shard.path}: no field {name!r} in its records ({flag}); its fields are: {shown}")


def _field_names(shard: Shard) -> set[str] | None:
    if shard.format == "parquet":
        import pyarrow.parquet as pq

        try:
            return set(pq.ParquetFile(shard.path).schema_arrow.names)
        except (OSError, ValueError) as exc:
            raise ShardError(f"{shard.path}: cannot read parquet shard: {exc}") from None
    names: set[str] = set()
    seen = False
    for row in islice(read_rows(shard), PEEK_ROWS):
        if row.record is not None:
            seen = True
            names.update(row.record)
    return names if seen else None
