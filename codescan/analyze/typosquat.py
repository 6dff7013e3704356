"""Dependency names that are on the shipped known-malicious list or look like a popular package (typosquats)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "data"
ECOSYSTEMS = ("pypi", "npm", "crates", "go")
_SEPARATORS = re.compile(r"[-_.]+")
# Characters and pairs that read alike in a package name (digit/letter swaps, rn/m, vv/w).
_LOOKALIKE = (("rn", "m"), ("vv", "w"), ("cl", "d"), ("0", "o"), ("1", "l"), ("i", "l"), ("5", "s"), ("3", "e"))


@dataclass(frozen=True, slots=True)
class Match:
    kind: str  # "malicious" | "typosquat"
    name: str
    target: str  # the popular package imitated, or the report that lists the name
    reason: str


def normalize(ecosystem: str, name: str) -> str:
    """The registry's notion of "the same name": PyPI folds -_. runs, crates fold _ and -, all lowercase."""
    name = name.strip().lower()
    if ecosystem == "pypi":
        return _SEPARATORS.sub("-", name)
    if ecosystem == "crates":
        return name.replace("_", "-")
    return name


def _lines(path: Path):
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if line and not line.startswith("#"):
            yield line


@lru_cache(maxsize=None)
def popular(ecosystem: str) -> frozenset[str]:
    path = DATA / f"popular-{ecosystem}.txt"
    return frozenset(normalize(ecosystem, n) for n in _lines(path)) if path.exists() else frozenset()


@lru_cache(maxsize=None)
def _popular_by_length(ecosystem: str) -> dict[int, tuple[str, ...]]:
    out: dict[int, list[str]] = {}
    for name in popular(ecosystem):
        out.setdefault(len(name), []).append(name)
    return {k: tuple(sorted(v)) for k, v in out.items()}


@lru_cache(maxsize=None)
def malicious() -> dict[tuple[str, str], str]:
    """(ecosystem, normalized name) -> the public report that lists it."""
    out: dict[tuple[str, str], str] = {}
    path = DATA / "malicious-packages.csv"
    for line in _lines(path):
        ecosystem, name, source = (line.split(",", 2) + ["", ""])[:3]
        out[(ecosystem, normalize(ecosystem, name))] = source.strip()
    return out


def distance(a: str, b: str, limit: int) -> int:
    """Damerau-Levenshtein (optimal string alignment) distance, or limit+1 once it must exceed limit."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        cur = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        if min(cur) > limit:
            return limit + 1
        prev2, prev = prev, cur
    return prev[-1]


def allowed_edits(length: int) -> int:
    """Edits tolerated for a popular name of this length: none below 5 (too many real neighbours)."""
    if length < 5:
        return 0
    return 1 if length < 9 else 2


def _skeleton(name: str) -> str:
    out = _SEPARATORS.sub("", name)
    for seq, repl in _LOOKALIKE:
        out = out.replace(seq, repl)
    return out


def check(ecosystem: str, name: str) -> Match | None:
    """Why a declared dependency name is suspicious, or None."""
    norm = normalize(ecosystem, name)
    report = malicious().get((ecosystem, norm))
    if report is not None:
        return Match("malicious", name, report, f"listed as malicious: {report}")
    if ecosystem == "npm" and norm.startswith("@"):
        return None  # scoped names are owned by their scope; look-alike scopes are out of reach here
    known = popular(ecosystem)
    if not known or norm in known or len(norm) < 4:
        return None
    skeleton = _skeleton(norm)
    by_length = _popular_by_length(ecosystem)
    best: tuple[int, str] | None = None
    for length in range(len(norm) - 2, len(norm) + 3):
        for target in by_length.get(length, ()):
            if _skeleton(target) == skeleton:
                return Match("typosquat", name, target, f"reads like '{target}' (separators or look-alike letters)")
            limit = allowed_edits(len(target))
            if limit and (best is None or best[0] > 1):
                d = distance(norm, target, limit)
                if d <= limit and (best is None or d < best[0]):
                    best = (d, target)
    if best is not None:
        edits = "edit" if best[0] == 1 else "edits"
        return Match("typosquat", name, best[1], f"{best[0]} {edits} away from the popular package '{best[1]}'")
    return None
