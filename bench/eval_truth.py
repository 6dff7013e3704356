"""One ground truth shape for every set (file or line targets) and the per-tool summary row scored on it.

Each set's items carry their own labels (see eval_sets*.py); TRUTH[set](items) turns them into
Targets: a positive or negative file (line None) or line, with the codescan categories that count
as right for it. `summarize` scores one tool's findings on them the same way for every tool:
recall at high/critical and at any severity, false positives on the negatives, category accuracy.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Callable

from bench import eval_labels as labels
from bench.eval_score import FindingIndex, Item


@dataclass(frozen=True)
class Target:
    """One labelled unit: a whole file (line None) or one line of it."""

    path: str
    line: int | None
    positive: bool
    categories: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Summary:
    """One table row: a tool's figures on one set (or one scope of it)."""

    set: str
    tool: str
    unit: str
    positives: int
    hit_high: int
    hit_any: int
    negatives: int
    fp_any: int
    fp_high: int
    cat_total: int
    cat_right: int
    seconds: float | None = None
    note: str = ""

    def as_dict(self) -> dict:
        return dict(self.__dict__)


def _file(path: str, positive: bool, cats: frozenset[str] = frozenset()) -> Target:
    return Target(path, None, positive, cats)


def _trojan_source(items: list[Item]) -> list[Target]:
    return [_file(i.path, True, labels.UNICODE) for i in items]


def _trojanpuzzle(items: list[Item]) -> list[Target]:
    # COVERT / TROJANPUZZLE hide the payload in a docstring: payload-in-comment is right as well.
    return [_file(i.path, i.labels["kind"] == "poisoned",
                  labels.for_cwe(i.labels.get("cwe")) | {"payload-in-comment"}) for i in items]


def _codebreaker(items: list[Item]) -> list[Target]:
    return [_file(i.path, True, labels.for_cwe(i.labels["example"].split("/", 1)[-1].split("_", 2)[1]))
            for i in items]


def _guarddog(items: list[Item]) -> list[Target]:
    out = []
    for i in items:
        kind = i.labels["kind"]
        if kind == "semgrep-annotated":
            for lab in i.labels["lines"]:
                if lab["kind"] in ("ruleid", "ok"):
                    cats = frozenset().union(*(labels.for_guarddog_rule(r) for r in lab.get("rule_ids") or ()))
                    out.append(Target(i.path, lab["target_line"], lab["kind"] == "ruleid", cats))
        elif kind in ("yara-positive", "benign"):
            out.append(_file(i.path, kind == "yara-positive", labels.for_guarddog_rule(i.labels.get("rule", ""))))
    return out


def _poisonpy(items: list[Item]) -> list[Target]:
    return [_file(i.path, i.labels["role"] == "unsafe") for i in items]  # TPI/DPI/ICI: attack kinds, no CWE


def _bandit_examples(items: list[Item]) -> list[Target]:
    return [_file(i.path, i.labels["expect"] == "expected issues") for i in items
            if i.labels["expect"] != "unknown"]


def _labelled(items: list[Item]) -> list[Target]:
    """Sets whose loader already attached Targets (eval_sets_extra)."""
    return [t for i in items for t in i.labels["targets"]]


TRUTH: dict[str, Callable[[list[Item]], list[Target]]] = {
    "trojan-source": _trojan_source, "trojanpuzzle": _trojanpuzzle, "codebreaker": _codebreaker,
    "guarddog": _guarddog, "poisonpy": _poisonpy, "bandit-examples": _bandit_examples,
    "purplellama": _labelled, "owasp-benchmark": _labelled, "semgrep-rules": _labelled,
}

# Multi-language sets also get a row restricted to the languages codescan ships rules for.
RULE_LANGUAGES = (".py", ".js", ".mjs", ".cjs", ".ts", ".tsx", ".jsx")
SCOPED = ("purplellama", "semgrep-rules")


def in_rule_languages(target: Target) -> bool:
    return PurePosixPath(target.path).suffix in RULE_LANGUAGES


def _categories(finding: dict) -> set[str]:
    return set(finding.get("categories") or ()) | ({finding["category"]} if finding.get("category") else set())


def summarize(set_name: str, tool: str, targets: list[Target], index: FindingIndex,
              seconds: float | None = None, note: str = "") -> Summary:
    """Score one tool's findings on a set's targets."""
    count: Counter = Counter()
    for t in targets:
        found = index.findings_at(t.path, t.line)
        high = [f for f in found if f["severity"] in ("high", "critical")]
        if t.positive:
            count["pos"] += 1
            count["hit_any"] += bool(found)
            count["hit_high"] += bool(high)
            if found and t.categories:
                count["cat_total"] += 1
                count["cat_right"] += any(_categories(f) & t.categories for f in found)
        else:
            count["neg"] += 1
            count["fp_any"] += bool(found)
            count["fp_high"] += bool(high)
    units = {t.line is None for t in targets}
    unit = "file" if units == {True} else "line" if units == {False} else "file+line"
    return Summary(set_name, tool, unit, count["pos"], count["hit_high"], count["hit_any"], count["neg"],
                   count["fp_any"], count["fp_high"], count["cat_total"], count["cat_right"],
                   None if seconds is None else round(seconds, 2), note)
