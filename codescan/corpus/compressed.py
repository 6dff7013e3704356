"""Compressed shard streams that fail loudly: a zstd stream cut short or a corrupt gzip/zstd stream raises
ShardError instead of ending early (a shard cut in half must never read as a shorter or empty shard)."""
from __future__ import annotations

import gzip
import io
import os
import zlib

READ_CHUNK = 1 << 20


class CorruptStream(ValueError):
    """The compressed data is damaged, cut short, or not in the format its name says."""


class _ZstdFrames(io.RawIOBase):
    """The decompressed bytes of every zstd frame in a file, one after another; at the end of the file the last
    frame must be complete."""

    def __init__(self, raw):
        import zstandard

        self._raw, self._zstd = raw, zstandard
        self._dctx = zstandard.ZstdDecompressor()
        self._obj = None  # decompressor of the frame being read (None between frames)
        self._out = memoryview(b"")  # decompressed bytes not handed out yet
        self._done = False

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        while not len(self._out) and not self._done:
            self._fill()
        size = min(len(buffer), len(self._out))
        buffer[:size] = self._out[:size]
        self._out = self._out[size:]  # a view: no copy of what is left
        return size

    def _fill(self) -> None:
        data = self._raw.read(READ_CHUNK)
        if not data:
            if self._obj is not None:
                raise CorruptStream("zstd stream is cut short (its last frame is incomplete)")
            self._done = True
            return
        out = []
        while data:
            if self._obj is None:
                self._obj = self._dctx.decompressobj()
            try:
                out.append(self._obj.decompress(data))
            except self._zstd.ZstdError as exc:
                raise CorruptStream(f"not valid zstd data: {exc}") from None
            if self._obj.eof:
                data = self._obj.unused_data
                self._obj = None
            else:
                data = b""
        self._out = memoryview(b"".join(out))

    def close(self) -> None:
        try:
            self._raw.close()
        finally:
            super().close()


class _CheckedGzip(io.RawIOBase):
    """gzip.GzipFile whose zlib errors (corrupt deflate data) become CorruptStream."""

    def __init__(self, raw):
        self._gz = gzip.GzipFile(fileobj=raw, mode="rb")
        self._raw = raw

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        try:
            return self._gz.readinto(buffer)
        except zlib.error as exc:
            raise CorruptStream(f"corrupt gzip data: {exc}") from None
        except EOFError:
            raise CorruptStream("gzip stream is cut short") from None
        except gzip.BadGzipFile as exc:
            raise CorruptStream(f"not gzip data: {exc}") from None

    def close(self) -> None:
        try:
            self._gz.close()
            self._raw.close()
        finally:
            super().close()


def open_binary(path: str, fmt: str):
    """A buffered binary stream of the shard's decompressed bytes."""
    raw = open(path, "rb")
    if fmt in ("jsonl.gz", "jsonl.zst") and os.fstat(raw.fileno()).st_size == 0:
        raw.close()
        raise CorruptStream(f"empty file: no {fmt.split('.')[-1]} data (a compressed shard is never 0 bytes)")
    if fmt == "jsonl.gz":
        return io.BufferedReader(_CheckedGzip(raw), buffer_size=READ_CHUNK)
    if fmt == "jsonl.zst":
        return io.BufferedReader(_ZstdFrames(raw), buffer_size=READ_CHUNK)
    return raw
