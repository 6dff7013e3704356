"""A crawl hands a file's versions to the analyzer one after the other, oldest first (a worker then reuses what an
unchanged statement cost), whatever order the history listed them in."""
from __future__ import annotations

from types import SimpleNamespace

from codescan.state.crawl import _by_path


def test_versions_of_a_path_are_read_together_oldest_first():
    listed = {"b3": [("code", "a.py")], "c2": [("code", "b.py")], "b1": [("code", "a.py")],
              "c1": [("code", "b.py")], "b2": [("code", "a.py")]}  # newest commit first, paths interleaved
    intros = {("a.py", "b1"): SimpleNamespace(timestamp=1), ("a.py", "b2"): SimpleNamespace(timestamp=5),
              ("a.py", "b3"): SimpleNamespace(timestamp=9), ("b.py", "c1"): SimpleNamespace(timestamp=2),
              ("b.py", "c2"): SimpleNamespace(timestamp=8)}
    ordered = _by_path(listed, intros)
    assert list(ordered) == ["b1", "b2", "b3", "c1", "c2"]
    assert ordered == listed  # the same blobs, each with its kinds
