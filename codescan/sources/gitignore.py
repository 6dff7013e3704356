"""What a project leaves out of its own scan: .gitignore patterns, virtual environments and node_modules."""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

DEPENDENCY_DIRS = frozenset({"node_modules"})
ENV_MARKERS = ("pyvenv.cfg", "conda-meta")  # a virtual environment (any name), a conda environment


@dataclass(frozen=True, slots=True)
class Pattern:
    regex: re.Pattern
    negate: bool
    dir_only: bool


@dataclass(frozen=True, slots=True)
class IgnoreFile:
    """The patterns of one .gitignore, the folder (relative to the scanned root, '' for it) it applies to, and for
    a .gitignore above the root, the path from its folder down to the root."""

    base: str
    patterns: tuple[Pattern, ...]
    prefix: str = ""


def parse(text: str) -> tuple[Pattern, ...]:
    """gitignore(5) lines: `#` comments, `!` negation, trailing `/` for folders, a `/` anywhere but at the end
    anchors the pattern to the file's folder, `*`/`?`/`[...]` stay within one path part, `**` crosses parts."""
    out = []
    for raw in text.splitlines():
        line = raw.rstrip("\r")
        if not line or line.startswith("#"):
            continue
        if not line.endswith("\\ "):
            line = line.rstrip(" ")
        negate = line.startswith("!")
        if negate or line.startswith("\\"):
            line = line[1:]
        dir_only = line.endswith("/")
        line = line.rstrip("/")
        if not line:
            continue
        anchored = "/" in line
        body = _translate(line.lstrip("/"))
        out.append(Pattern(re.compile(body if anchored else f"(?:.*/)?{body}", re.S), negate, dir_only))
    return tuple(out)


def _translate(glob: str) -> str:
    out, i = [], 0
    while i < len(glob):
        if glob.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif glob.startswith("/**", i) and i + 3 == len(glob):
            out.append("/.*")
            i += 3
        elif glob.startswith("**", i):
            out.append(".*")
            i += 2
        elif glob[i] == "*":
            out.append("[^/]*")
            i += 1
        elif glob[i] == "?":
            out.append("[^/]")
            i += 1
        elif glob[i] == "[" and "]" in glob[i + 2:]:
            end = glob.index("]", i + 2)
            inner = glob[i + 1:end]
            out.append("[" + ("^" + inner[1:] if inner[:1] in "!^" else inner).replace("\\", "\\\\") + "]")
            i = end + 1
        elif glob[i] == "\\" and i + 1 < len(glob):
            out.append(re.escape(glob[i + 1]))
            i += 2
        else:
            out.append(re.escape(glob[i]))
            i += 1
    return "".join(out)


def read(folder: Path, base: str) -> IgnoreFile | None:
    try:
        text = (folder / ".gitignore").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    patterns = parse(text)
    return IgnoreFile(base, patterns) if patterns else None


def ignored(files: list[IgnoreFile], rel: str, is_dir: bool) -> bool:
    """Whether `rel` (relative to the scanned root) is ignored: the last matching pattern decides, deeper
    .gitignore files after shallower ones."""
    verdict = False
    for ignore in files:
        if ignore.base and not rel.startswith(ignore.base + "/"):
            continue
        local = rel[len(ignore.base) + 1:] if ignore.base else rel
        local = f"{ignore.prefix}/{local}" if ignore.prefix else local
        for pattern in ignore.patterns:
            if pattern.dir_only and not is_dir:
                continue
            if pattern.regex.fullmatch(local):
                verdict = not pattern.negate
    return verdict


def is_environment(folder: Path, name: str) -> bool:
    """node_modules, or a folder holding a virtual environment's marker."""
    return name in DEPENDENCY_DIRS or any((folder / marker).exists() for marker in ENV_MARKERS)


def above(root: Path) -> list[IgnoreFile]:
    """The .gitignore files of the folders above a scanned root, up to its repository's top (the folder that
    holds .git), rebased onto the root: `codescan scan src` honours the project's own .gitignore."""
    chain = []
    here = root.resolve()
    if (here / ".git").exists():
        return []
    for folder in here.parents:
        chain.append(folder)
        if (folder / ".git").exists():
            break
    else:
        return []
    out = []
    for folder in reversed(chain):
        ignore = read(folder, "")
        if ignore is not None:
            out.append(IgnoreFile("", ignore.patterns, here.relative_to(folder).as_posix()))
    return out
