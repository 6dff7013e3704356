"""Streaming readers and writers for corpus shards (.jsonl, .jsonl.gz, .jsonl.zst, .parquet), one row at a time."""
from __future__ import annotations

import base64
import datetime
import decimal
import glob
import gzip
import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Iterator

from ..errors import CodescanError
from . import compressed
from .compressed import open_binary

FORMATS = {  # suffix -> format name (longest suffixes first when matching)
    ".jsonl.gz": "jsonl.gz", ".ndjson.gz": "jsonl.gz",
    ".jsonl.zst": "jsonl.zst", ".ndjson.zst": "jsonl.zst",
    ".jsonl": "jsonl", ".ndjson": "jsonl",
    ".parquet": "parquet",
}
PARQUET_BATCH_ROWS = 64  # rows per record batch read from a Parquet shard (few: one row may hold megabytes)
PARQUET_GROUP_ROWS = 65536  # at most this many kept rows are buffered before a row group is written
MAX_LINE = 64 << 20  # a JSONL record longer than this is unreadable: it is never held whole in memory
LINE_CHUNK = 1 << 20
_SPACE = b" \t\r\n\f\v"


class ShardError(CodescanError):
    """An input that is not a readable shard, or an output that cannot be written."""


def shard_format(path: str | Path) -> str | None:
    name = str(path).lower()
    for suffix, fmt in FORMATS.items():
        if name.endswith(suffix):
            return fmt
    return None


@dataclass(frozen=True, slots=True)
class Shard:
    """One input shard: where it is, its path relative to the output root, and its format."""

    path: str
    rel: str
    format: str


def discover(inputs: Iterable[str]) -> list[Shard]:
    """Shards named by files, folders (searched recursively) or globs; relative paths keep the layout."""
    shards: list[Shard] = []
    for raw in inputs:
        found = list(_expand(raw))
        if not found:
            raise ShardError(f"{raw}: no .jsonl, .jsonl.gz, .jsonl.zst or .parquet shard found")
        shards.extend(found)
    seen: dict[str, str] = {}
    for shard in shards:
        if shard.rel in seen and seen[shard.rel] != shard.path:
            raise ShardError(f"two inputs map to the same output shard {shard.rel!r}: {seen[shard.rel]} and "
                             f"{shard.path}; name their folders instead")
        seen[shard.rel] = shard.path
    unique = {s.rel: s for s in shards}
    return [unique[rel] for rel in dict.fromkeys(s.rel for s in shards)]


def _expand(raw: str) -> Iterator[Shard]:
    path = Path(raw)
    if glob.has_magic(raw):
        base = Path(_static_prefix(raw))
        for match in sorted(glob.glob(raw, recursive=True)):
            m = Path(match)
            if m.is_file() and shard_format(m):
                yield Shard(str(m.resolve()), m.resolve().relative_to(base.resolve()).as_posix(), shard_format(m))
    elif path.is_dir():
        for folder, dirs, files in os.walk(path):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            for name in sorted(files):
                full = Path(folder) / name
                if shard_format(full) and not full.is_symlink():
                    yield Shard(str(full.resolve()), full.relative_to(path).as_posix(), shard_format(full))
    elif path.is_file():
        fmt = shard_format(path)
        if fmt is None:
            raise ShardError(f"{raw}: not a shard (expected .jsonl, .jsonl.gz, .jsonl.zst or .parquet)")
        yield Shard(str(path.resolve()), path.name, fmt)
    elif not path.exists():
        raise ShardError(f"{raw}: no such file or folder")


def _static_prefix(pattern: str) -> str:
    parts = []
    for part in Path(pattern).parts:
        if glob.has_magic(part):
            break
        parts.append(part)
    return str(Path(*parts)) if parts else "."


@dataclass(slots=True)
class Row:
    """One record of a shard: its 0-based index, the parsed record (None when unreadable) and why not."""

    index: int
    record: dict | None
    raw: bytes | None = None  # the JSONL line as stored (no line end)
    error: str | None = None
    batch: Any = field(default=None, repr=False)  # Parquet: the record batch holding the row
    offset: int = 0  # Parquet: the row's position inside that batch
    line: int | None = None  # JSONL: the record's 1-based line in the (decompressed) file

    def canonical(self) -> bytes:
        """The bytes a document digest is taken over: the stored line, or a canonical JSON of the row."""
        if self.raw is not None:
            return self.raw
        return canonical_json(self.record)


def canonical_json(value: Any) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      default=_jsonable).encode("utf-8", "surrogatepass")


def _jsonable(value: Any):
    if isinstance(value, (bytes, bytearray, memoryview)):
        return {"$base64": base64.b64encode(bytes(value)).decode("ascii")}
    if isinstance(value, (datetime.date, datetime.time, datetime.datetime)):
        return value.isoformat()
    if isinstance(value, (decimal.Decimal, datetime.timedelta)):
        return str(value)
    return repr(value)


def read_rows(shard: Shard, columns: Iterable[str] | None = None, row_groups: list[int] | None = None
              ) -> Iterator[Row]:
    """Every record of a shard in order, streaming (a Parquet shard batch by batch, only `columns` and
    `row_groups` if given; row indices stay those of the whole shard)."""
    try:
        if shard.format == "parquet":
            yield from _parquet_rows(shard, columns, row_groups)
        else:
            yield from _jsonl_rows(shard)
    except (OSError, EOFError, ValueError) as exc:
        if isinstance(exc, CodescanError):
            raise
        raise ShardError(f"{shard.path}: cannot read {shard.format} shard: {exc}") from None
    except OverflowError as exc:  # a Parquet date or time Python cannot hold
        raise ShardError(f"{shard.path}: cannot read {shard.format} shard: a value is out of range ({exc}); "
                         "dates must lie in years 1 to 9999") from None


def _jsonl_rows(shard: Shard) -> Iterator[Row]:
    index = 0
    with open_binary(shard.path, shard.format) as stream:
        for number, line, size in lines(stream):
            if line is None:
                yield Row(index, None, None, f"a record of {size} bytes, longer than the {MAX_LINE} a "
                                             "record may have (not read)", line=number)
                index += 1
                continue
            line = line.rstrip(b"\r\n")
            if not line.strip():
                continue
            try:
                record = _loads(line)
            except (ValueError, RecursionError) as exc:
                yield Row(index, None, line, f"not valid JSON: {str(exc)[:120]}", line=number)
            else:
                if isinstance(record, dict):
                    yield Row(index, record, line, line=number)
                else:
                    yield Row(index, None, line, f"a JSON {type(record).__name__}, not an object", line=number)
            index += 1


def _loads(line: bytes):
    """A JSONL line's record. A stray byte that is not UTF-8 (one Latin-1 character in a string) does not make
    the record unreadable, which would hide all of it: it is kept as U+DC80..U+DCFF (surrogateescape), which the
    analyzer gets back as that byte and reports as it does for a file (`non-utf8-text`)."""
    try:
        return json.loads(line)
    except UnicodeDecodeError:
        return json.loads(line.decode("utf-8", "surrogateescape"))


def lines(stream, limit: int | None = None) -> Iterator[tuple[int, bytes | None, int]]:
    """(1-based line number, the line without its newline, its length) for each line that is not blank; a line
    longer than `limit` is given as None and never held whole, and runs of blank lines are passed over at C
    speed (a gzip bomb of newlines would otherwise cost a Python step per line)."""
    limit = MAX_LINE if limit is None else limit
    buf, pos, number = b"", 0, 1
    while True:
        if buf[pos:pos + 1] in (b" ", b"\t", b"\r", b"\n", b"\f", b"\v"):
            width = 256  # look at a window growing 8x at a time: the cost follows the white space, not the buffer
            while True:
                window = buf[pos:pos + width]
                rest = window.lstrip(_SPACE)
                if rest or pos + width >= len(buf):
                    break
                width *= 8
            stripped = pos + len(window) - len(rest)  # first byte that is not white space
            blank_end = buf.rfind(b"\n", pos, stripped) + 1  # ... back to the start of its line
            if blank_end > pos:
                number += buf.count(b"\n", pos, blank_end)
                pos = blank_end
        if pos >= len(buf):
            buf, pos = stream.read(LINE_CHUNK), 0
            if not buf:
                return
            continue
        end = buf.find(b"\n", pos)
        if end >= 0:
            yield number, buf[pos:end] if end - pos <= limit else None, end - pos
            number, pos = number + 1, end + 1
            continue
        pieces, size = [buf[pos:]], len(buf) - pos  # the line goes on past this chunk
        buf, pos = b"", 0
        while True:
            chunk = stream.read(LINE_CHUNK)
            if not chunk:
                break
            end = chunk.find(b"\n")
            part = chunk if end < 0 else chunk[:end]
            size += len(part)
            if size <= limit:
                pieces.append(part)
            else:
                pieces.clear()
            if end >= 0:
                buf, pos = chunk, end + 1
                break
        line = b"".join(pieces) if size <= limit else None
        if line is None or line.strip():
            yield number, line, size
        number += 1


def _parquet_rows(shard: Shard, columns: Iterable[str] | None, row_groups: list[int] | None) -> Iterator[Row]:
    import pyarrow.parquet as pq

    pf = pq.ParquetFile(shard.path)
    wanted = None
    if columns is not None:
        names = set(pf.schema_arrow.names)
        wanted = [c for c in dict.fromkeys(columns) if c in names]
    groups = list(range(pf.num_row_groups)) if row_groups is None else sorted(row_groups)
    for group in groups:
        _refuse_bomb(pf.metadata.row_group(group), wanted, f"{shard.path}: row group {group}")
    starts = [0]
    for i in range(pf.num_row_groups):
        starts.append(starts[-1] + pf.metadata.row_group(i).num_rows)
    on_disk, expanded = max(os.path.getsize(shard.path), 1), 0
    for group in groups:
        index = starts[group]
        for batch in pf.iter_batches(batch_size=PARQUET_BATCH_ROWS, columns=wanted, row_groups=[group]):
            expanded += _expanded_bytes(batch)
            if expanded > compressed.BOMB_FLOOR and expanded > compressed.BOMB_RATIO * on_disk:
                raise ShardError(f"{shard.path}: a compression bomb: its {on_disk} bytes already gave {expanded} bytes "
                                 f"of records (more than {compressed.BOMB_RATIO} times as many); not read further")
            for offset, record in enumerate(batch.to_pylist()):
                yield Row(index, record, None, None, batch, offset)
                index += 1


def _expanded_bytes(batch) -> int:
    """What a record batch becomes as Python records: a dictionary-encoded text column counts each row's value,
    not the dictionary once (one 1 MiB value repeated over 3,000 rows of a 7.6 kB shard took 3 GB)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    total = 0
    for column in batch.columns:
        kind = column.type
        if pa.types.is_dictionary(kind) and (pa.types.is_string(kind.value_type) or pa.types.is_binary(kind.value_type)
                                             or pa.types.is_large_string(kind.value_type)
                                             or pa.types.is_large_binary(kind.value_type)):
            lengths = pc.binary_length(column.dictionary).take(column.indices)
            total += (pc.sum(lengths).as_py() or 0) + column.indices.nbytes
        else:
            total += column.nbytes
    return total


def _refuse_bomb(meta, wanted: list[str] | None, where: str) -> None:
    """A row group whose column chunks inflate far past what they take on disk (a 20 kB file holding a 600 MB
    cell took 4-6 GB to scan or filter) is refused before it is read, like a compressed JSONL bomb."""
    packed = unpacked = 0
    for i in range(meta.num_columns):
        column = meta.column(i)
        if wanted is None or column.path_in_schema.split(".")[0] in wanted:
            packed += column.total_compressed_size
            unpacked += column.total_uncompressed_size
    if unpacked > compressed.BOMB_FLOOR and unpacked > compressed.BOMB_RATIO * max(packed, 1):
        raise ShardError(f"{where} is a compression bomb: {packed} compressed bytes would give {unpacked} "
                         f"(more than {compressed.BOMB_RATIO} times as many); not read")


def parquet_row_groups(path: str) -> int:
    import pyarrow.parquet as pq

    return pq.ParquetFile(path).num_row_groups


def file_sha256(path: str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


class ShardWriter:
    """Writes selected rows of one input shard to a new shard of the same format (context manager)."""

    def __init__(self, shard: Shard, out_path: str):
        self.shard, self.out_path = shard, out_path
        self.rows = 0
        Path(out_path).parent.mkdir(parents=True, exist_ok=True)
        self._pending: list = []  # Parquet: kept slices waiting to become a row group
        self._pending_rows = 0
        self._batch = None
        self._take: list[int] = []
        if shard.format == "parquet":
            import pyarrow.parquet as pq

            source = pq.ParquetFile(shard.path)
            meta = source.metadata
            codec = meta.row_group(0).column(0).compression.lower() if meta.num_row_groups else "snappy"
            self._group_rows = min(PARQUET_GROUP_ROWS, max((meta.row_group(i).num_rows
                                                            for i in range(meta.num_row_groups)), default=1))
            self._writer = pq.ParquetWriter(out_path, source.schema_arrow,
                                            compression=codec if codec != "uncompressed" else "none")
            self._stream = None
        else:
            self._writer = None
            self._file = open(out_path, "wb")
            if shard.format == "jsonl.gz":
                self._stream = gzip.GzipFile(filename="", mode="wb", fileobj=self._file, mtime=0)
            elif shard.format == "jsonl.zst":
                import zstandard

                self._stream = zstandard.ZstdCompressor(level=3, write_checksum=True).stream_writer(
                    self._file, closefd=False)
            else:
                self._stream = self._file

    def write(self, row: Row) -> None:
        self.rows += 1
        if self._writer is None:
            if row.raw is not None:  # a record too long to read was never held: the drop report names it
                self._stream.write(row.raw + b"\n")
            return
        if row.batch is not self._batch:
            self._flush_batch()
            self._batch = row.batch
        self._take.append(row.offset)

    def _flush_batch(self) -> None:
        if self._batch is not None and self._take:
            import pyarrow as pa

            self._pending.append(self._batch.take(pa.array(self._take, type=pa.int64())))
            self._pending_rows += len(self._take)
        self._batch, self._take = None, []
        if self._pending_rows >= self._group_rows:
            self._write_group()

    def _write_group(self) -> None:
        import pyarrow as pa

        if self._pending:
            self._writer.write_table(pa.Table.from_batches(self._pending), row_group_size=self._pending_rows)
        self._pending, self._pending_rows = [], 0

    def close(self) -> None:
        if self._writer is not None:
            self._flush_batch()
            self._write_group()
            self._writer.close()
        else:
            if self._stream is not self._file:
                self._stream.close()
            self._file.close()

    def __enter__(self) -> "ShardWriter":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
