"""Scoring helpers for the quick evaluation: items, a per-file index of findings, shares as metrics."""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Callable, Iterable

HIGH = frozenset({"high", "critical"})


@dataclass(frozen=True)
class Item:
    """One file written into the scan folder: its relative path, text, and the set's labels for it."""

    path: str
    content: str
    labels: dict = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class Metric:
    """One table row: hits out of total for a named figure of a set."""

    set: str
    metric: str
    hits: int
    total: int

    @property
    def rate(self) -> float | None:
        return self.hits / self.total if self.total else None


class FindingIndex:
    """Findings of one codescan JSON report, looked up by path (and line)."""

    def __init__(self, findings: Iterable[dict]):
        self._by_path: dict[str, list[dict]] = defaultdict(list)
        for f in findings:
            self._by_path[f["path"]].append(f)

    @classmethod
    def from_report(cls, report: dict) -> "FindingIndex":
        return cls(report.get("findings", []))

    def _of(self, path: str, high: bool, category: str | None) -> list[dict]:
        return [f for f in self._by_path.get(path, ())
                if (not high or f["severity"] in HIGH) and (category is None or f["category"] == category)]

    def findings_at(self, path: str, line: int | None = None, high: bool = False) -> list[dict]:
        """Findings of the file (line None) or those starting on or spanning `line`."""
        found = self._of(path, high, None)
        if line is None:
            return found
        return [f for f in found if f["line"] <= line <= max(f.get("end_line") or f["line"], f["line"])]

    def paths(self) -> set[str]:
        return set(self._by_path)

    def flagged(self, path: str, high: bool = False, category: str | None = None) -> bool:
        """Any finding in the file (at high/critical when high)."""
        return bool(self._of(path, high, category))

    def at_line(self, path: str, line: int, high: bool = False) -> bool:
        """A finding that starts on `line` or spans it (line..end_line)."""
        return any(f["line"] == line or f["line"] <= line <= (f.get("end_line") or f["line"])
                   for f in self._of(path, high, None))


def share(set_name: str, metric: str, items: Iterable, hit: Callable[[object], bool]) -> Metric:
    """Metric counting the items for which hit(item) is true."""
    items = list(items)
    return Metric(set_name, metric, sum(1 for i in items if hit(i)), len(items))


def flag_rates(set_name: str, label: str, items: list[Item], index: FindingIndex) -> list[Metric]:
    """Two rows for a group of files: flagged at any severity, flagged at high+."""
    return [share(set_name, f"{label}: flagged any", items, lambda i: index.flagged(i.path)),
            share(set_name, f"{label}: flagged high+", items, lambda i: index.flagged(i.path, high=True))]


def safe_name(text: str, limit: int = 60) -> str:
    """A file-name-safe version of text (letters, digits, '-', '_', '.')."""
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", text).strip("._")[:limit] or "item"
