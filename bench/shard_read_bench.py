"""Reading compressed shards: CPU seconds to stream every line of a .jsonl.zst and a .jsonl.gz shard through
codescan's checked readers (a stream cut short or corrupt is an error), beside the unchecked readers used before
(zstandard's stream_reader, which reads a truncated frame as a shorter or empty shard; plain gzip.GzipFile).

    python -m bench.shard_read_bench                 # 200,000 records (~45 MB), best of 3
    python -m bench.shard_read_bench --records 50000
"""
from __future__ import annotations

import argparse
import gzip
import io
import json
import sys
import tempfile
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from codescan.corpus.compressed import open_binary  # noqa: E402


def _unchecked(path: str, fmt: str):
    raw = open(path, "rb")
    if fmt == "jsonl.gz":
        return gzip.GzipFile(fileobj=raw, mode="rb")
    import zstandard

    reader = zstandard.ZstdDecompressor().stream_reader(raw, read_across_frames=True, closefd=True)
    return io.BufferedReader(reader, buffer_size=1 << 20)


def _cpu(opener, repeat: int) -> tuple[float, int]:
    best, lines = float("inf"), 0
    for _ in range(repeat):
        start = time.process_time()
        with opener() as stream:
            lines = sum(1 for _ in stream)
        best = min(best, time.process_time() - start)
    return best, lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    import zstandard

    data = b"".join(json.dumps({"id": i, "content": f"def f{i}(x):\n    return x * {i}\n" * 5}).encode() + b"\n"
                    for i in range(args.records))
    with tempfile.TemporaryDirectory() as tmp:
        shards = {"jsonl.zst": Path(tmp) / "s.jsonl.zst", "jsonl.gz": Path(tmp) / "s.jsonl.gz"}
        shards["jsonl.zst"].write_bytes(zstandard.ZstdCompressor(level=3, write_checksum=True).compress(data))
        shards["jsonl.gz"].write_bytes(gzip.compress(data, mtime=0))
        print(f"{args.records} records, {len(data) / 1e6:.1f} MB decompressed; CPU seconds, best of {args.repeat}")
        for fmt, path in shards.items():
            before, n1 = _cpu(lambda: _unchecked(str(path), fmt), args.repeat)
            after, n2 = _cpu(lambda: open_binary(str(path), fmt), args.repeat)
            assert n1 == n2 == args.records
            print(f"{fmt:10} unchecked (baseline) {before:6.3f} s   checked (codescan) {after:6.3f} s   "
                  f"{after / before:4.2f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
