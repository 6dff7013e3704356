"""The crawl's progress on a terminal: ONE status line (repositories walked of all found, blobs and MB analyzed of
those read so far, the rate in MB/s, an ETA, findings), notes printed above it.

A crawl reads a repository's blobs only when it reaches it, so what is read is a few batches ahead of what is
analyzed: an ETA for that alone said seconds all through a crawl of thousands of repositories. While repositories
are left, the ETA is for the whole crawl, its MB taken as what the repositories walked so far read per repository
(`ETA ~`); once every repository is walked, for what is read (exact but for the rate).

One line, not stacked bars: stacked tqdm bars move the cursor up and down, and a closing bar left the cursor in
the middle of the line the summary was then printed on; a terminal that reports no width showed no bar at all."""
from __future__ import annotations

import shutil
import sys
import time

REFRESH = 0.5  # seconds between redraws
FORMAT = "crawl: {desc} [{elapsed}]"


class Bars:
    """A tqdm status line on stderr when `enabled`; every method is a no-op otherwise."""

    def __init__(self, enabled: bool):
        self.enabled = enabled
        self._bar = None
        self._repos = (0, 0)  # walked, total
        self._blobs = 0
        self._queued = 0
        self._findings = 0
        self._bytes = (0, 0)  # analyzed, read
        self._started = time.monotonic()
        self._phase = ""
        self._drawn = 0.0

    def open(self, repos: int) -> None:
        if not self.enabled:
            return
        from tqdm import tqdm

        width = shutil.get_terminal_size((0, 0)).columns
        # A pty that reports no size (CI runners, `script`): tqdm would take it as -1 rows and draw nothing.
        size = {"dynamic_ncols": True} if width > 0 else {"ncols": 100, "nrows": 20}
        self._repos = (0, repos)
        self._bar = tqdm(desc=self._text(), bar_format=FORMAT, file=sys.stderr, leave=False,
                         mininterval=REFRESH, **size)
        self._postfix(force=True)

    def tick(self, name: str, findings: int = 0, size: int = 0) -> None:
        """`repos` walked, a blob `queued` for the analyzer, or a blob analyzed (`blobs`) with its findings; size is
        the blob's bytes."""
        if self._bar is None:
            return
        if name == "repos":
            self._repos = (self._repos[0] + 1, self._repos[1])
        elif name == "queued":
            self._queued += 1
            self._bytes = (self._bytes[0], self._bytes[1] + size)
        else:
            self._blobs += 1
            self._findings += findings
            self._bytes = (self._bytes[0] + size, self._bytes[1])
        self._postfix()

    def phase(self, text: str) -> None:
        """A word on what the crawl does now (e.g. re-analyzing under new rules), shown in the line."""
        self._phase = text
        self._postfix(force=True)

    def _postfix(self, force: bool = False) -> None:
        now = time.monotonic()
        if self._bar is None or (not force and now - self._drawn < REFRESH):
            return
        self._drawn = now
        self._bar.set_description_str(self._text(), refresh=True)

    def _text(self) -> str:
        """ASCII only (any terminal encoding) and short (fits 80 columns)."""
        done, read = self._bytes
        parts = [f"{self._repos[0]:,}/{self._repos[1]:,} repos", f"{self._blobs:,}/{self._queued:,} blobs",
                 f"{done / 1e6:,.1f}/{read / 1e6:,.1f} MB"]
        elapsed = time.monotonic() - self._started
        if done and elapsed > 0:
            rate = done / elapsed
            parts.append(f"{rate / 1e6:.2f} MB/s")
            walked, repos = self._repos
            if 0 < walked < repos:
                parts.append(f"ETA ~{_clock((read * repos / walked - done) / rate)}")
            elif read > done:
                parts.append(f"ETA {_clock((read - done) / rate)}")
        parts.append(f"{self._findings:,} findings")
        return (f"{self._phase}: " if self._phase else "") + ", ".join(parts)

    def write(self, note, message: str) -> None:
        """Hand `message` to `note` (which prints it), with the line cleared meanwhile and redrawn below it."""
        if self._bar is not None:
            from tqdm import tqdm

            with tqdm.external_write_mode(file=sys.stderr):
                note(message)
        else:
            note(message)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()  # leave=False: the line is cleared and the cursor is back at its start
            self._bar = None


def _clock(seconds: float) -> str:
    seconds = int(seconds)
    hours, rest = divmod(seconds, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60}:{rest % 60:02d}"
