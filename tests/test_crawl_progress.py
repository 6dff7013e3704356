"""The crawl's terminal output: one status line that leaves the cursor at column 0 (so the summary prints whole),
drawn even on a terminal that reports no width, and a short summary line."""
from __future__ import annotations

import io
import shutil

from codescan.state.crawl import CrawlStats
from codescan.state.progress import Bars


def _run(monkeypatch, width: int) -> str:
    err = io.StringIO()
    monkeypatch.setattr("sys.stderr", err)
    monkeypatch.setattr(shutil, "get_terminal_size", lambda fallback=(0, 0): __import__("os").terminal_size((width, 0)))
    bars = Bars(True)
    bars.open(3)
    for _ in range(3):
        bars.tick("repos")
    for n in range(5):
        bars.tick("queued")
        bars.tick("blobs", findings=n % 2)
    bars.phase("re-analyzing")
    bars.write(lambda text: err.write(text + "\n"), "codescan: a note")
    bars.close()
    return err.getvalue()


def test_status_line_is_one_line_drawn_without_a_terminal_width(monkeypatch):
    for width in (0, 80):
        out = _run(monkeypatch, width)
        assert "re-analyzing: 3/3 repos, 5/5 blobs, 0.0/0.0 MB, 2 findings" in out, out
        assert "\x1b[A" not in out and "\n" not in out.replace("codescan: a note\n", "")  # no cursor games
        assert out.endswith("\r")  # cleared, and the summary starts at column 0
        assert all(ch.isascii() for ch in out)


def test_summary_line_is_short_and_leaves_out_zero_noise():
    stats = CrawlStats(repos=5, refs=5, new_commits=1, blobs_read=1, bytes_read=2048, blobs_scanned=1, findings=3,
                       blob_findings=1, seconds=0.42, crawl=3)
    assert stats.line() == ("crawl 3: 5 repos, 5 refs, 1 new commit, 1 blob read (2.0 kB), 1 analyzed with 1 finding, "
                            "listed as 3 new findings, 0 skipped in 0.4 s")
    stats.repos_unchanged, stats.reanalyzed = 4, 7
    assert "5 repos (4 unchanged)" in stats.line() and "1 analyzed (7 again, new rules)" in stats.line()
    off = Bars(False)  # --no-progress or not a terminal: every call is a no-op
    off.open(3), off.tick("repos"), off.tick("blobs", 2), off.phase("re-analyzing"), off.close()
    assert off._bar is None


def test_status_line_counts_megabytes_with_a_rate_and_an_eta(monkeypatch):
    bars = Bars(True)
    monkeypatch.setattr(shutil, "get_terminal_size", lambda fallback=(0, 0): __import__("os").terminal_size((80, 0)))
    monkeypatch.setattr("sys.stderr", io.StringIO())
    bars.open(4)
    bars.tick("repos")
    for _ in range(5):
        bars.tick("queued", size=2_000_000)
    bars.tick("blobs", size=2_000_000)
    bars.tick("blobs", findings=1, size=2_000_000)
    bars._started -= 4.0  # four seconds in: 1 MB/s; 1 repository of 4 read 10 MB: ~40 MB in all, ~36 MB to go
    text = bars._text()
    assert text.startswith("1/4 repos, 2/5 blobs, 4.0/10.0 MB, ") and text.endswith(", 1 findings"), text
    rate = float(text.split(" MB/s")[0].rsplit(" ", 1)[1])
    assert 0.9 < rate <= 1.0 and "ETA ~0:3" in text  # the whole crawl's, not the 6 MB read ahead
    for _ in range(3):
        bars.tick("repos")  # every repository walked: what is read is what is left
    text = bars._text()
    bars.close()
    assert "ETA 0:0" in text and "~" not in text, text
