"""The crawl's progress on a terminal: a repository bar and a blob counter, and notes printed above them."""
from __future__ import annotations

import sys


class Bars:
    """tqdm bars on stderr when `enabled`; every method is a no-op otherwise."""

    def __init__(self, enabled: bool):
        self.enabled = enabled
        self._bars: dict = {}

    def open(self, repos: int) -> None:
        if not self.enabled:
            return
        from tqdm import tqdm

        common = dict(file=sys.stderr, leave=False, dynamic_ncols=True, mininterval=0.5)
        self._bars["repos"] = tqdm(total=repos, unit="repo", desc="repos", position=0, **common)
        self._bars["blobs"] = tqdm(unit="blob", desc="blobs", position=1, **common)

    def tick(self, name: str) -> None:
        bar = self._bars.get(name)
        if bar is not None:
            bar.update(1)

    def write(self, note, message: str) -> None:
        """Hand `message` to `note` (which prints it), with the bars cleared meanwhile and redrawn below it."""
        if self._bars:
            from tqdm import tqdm

            with tqdm.external_write_mode(file=sys.stderr):
                note(message)
        else:
            note(message)

    def close(self) -> None:
        for bar in self._bars.values():
            bar.close()
        self._bars.clear()
