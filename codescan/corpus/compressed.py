"""Compressed shard streams that fail loudly: a zstd stream cut short or a corrupt gzip/zstd stream raises
ShardError instead of ending early (a shard cut in half must never read as a shorter or empty shard), and a
compression bomb is refused instead of being inflated into memory or read for hours."""
from __future__ import annotations

import gzip
import io
import os
import zlib

READ_CHUNK = 1 << 20
ZSTD_SLICE = 512  # compressed bytes per zstd call: a 4-byte RLE block inflates to 128 KiB, so one call gives <= 16 MiB
ZSTD_MAX_WINDOW = 1 << 27
BOMB_RATIO = 250  # code text compresses 3-10x; past BOMB_FLOOR, more than this many bytes out per byte in is a bomb
BOMB_FLOOR = 64 << 20


class _Ratio:
    """Counts decompressed bytes against the compressed bytes read so far and refuses a compression bomb."""

    def __init__(self, raw):
        self._raw, self.out = raw, 0

    def add(self, size: int) -> None:
        self.out += size
        if self.out > BOMB_FLOOR and self.out > BOMB_RATIO * max(self._raw.tell(), 1):
            raise CorruptStream(f"a compression bomb: {self._raw.tell()} compressed bytes already gave {self.out} "
                                f"(more than {BOMB_RATIO} times as many); not read further")


class CorruptStream(ValueError):
    """The compressed data is damaged, cut short, or not in the format its name says."""


class _ZstdFrames(io.RawIOBase):
    """The decompressed bytes of every zstd frame in a file, one after another; at the end of the file the last
    frame must be complete."""

    def __init__(self, raw):
        import zstandard

        self._raw, self._zstd = raw, zstandard
        # zstd's own default for streams: a frame asking for a larger window (its whole content, for a one-shot
        # compressed bomb) is refused instead of being given that much memory
        self._dctx = zstandard.ZstdDecompressor(max_window_size=ZSTD_MAX_WINDOW)
        self._obj = None  # decompressor of the frame being read (None between frames)
        self._out = memoryview(b"")  # decompressed bytes not handed out yet
        self._in = memoryview(b"")  # compressed bytes not fed to the decompressor yet
        self._done = False
        self._ratio = _Ratio(raw)

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
        """Decompress about READ_CHUNK bytes, feeding the input in small slices so that no single call can
        inflate a bomb into memory."""
        out, size = [], 0
        while size < READ_CHUNK:
            if not len(self._in):
                data = self._raw.read(READ_CHUNK)
                if not data:
                    if self._obj is not None:
                        raise CorruptStream("zstd stream is cut short (its last frame is incomplete)")
                    self._done = True
                    break
                self._in = memoryview(data)
            if self._obj is None:
                self._obj = self._dctx.decompressobj()
            piece, self._in = self._in[:ZSTD_SLICE], self._in[ZSTD_SLICE:]
            try:
                got = self._obj.decompress(piece)
            except self._zstd.ZstdError as exc:
                raise CorruptStream(f"not valid zstd data: {exc}") from None
            out.append(got)
            size += len(got)
            self._ratio.add(len(got))
            if self._obj.eof:  # the frame ended inside this slice: the rest starts the next frame
                self._in = memoryview(bytes(self._obj.unused_data) + bytes(self._in))
                self._obj = None
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
        self._ratio = _Ratio(raw)

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        try:
            size = self._gz.readinto(buffer)
        except zlib.error as exc:
            raise CorruptStream(f"corrupt gzip data: {exc}") from None
        except EOFError:
            raise CorruptStream("gzip stream is cut short") from None
        except gzip.BadGzipFile as exc:
            raise CorruptStream(f"not gzip data: {exc}") from None
        self._ratio.add(size)
        return size

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
