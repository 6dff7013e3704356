"""What a project leaves out of its own scan: .gitignore patterns, virtual environments and node_modules."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pathspec

DEPENDENCY_DIRS = frozenset({"node_modules"})
ENV_MARKERS = ("pyvenv.cfg", "conda-meta")  # a virtual environment (any name), a conda environment


@dataclass(frozen=True, slots=True)
class IgnoreFile:
    """The patterns of one .gitignore, the folder (relative to the scanned root, '' for it) it applies to, and for
    a .gitignore above the root, the path from its folder down to the root."""

    base: str
    spec: pathspec.GitIgnoreSpec
    prefix: str = ""


def parse(text: str) -> pathspec.GitIgnoreSpec | None:
    """gitignore(5) patterns (pathspec's implementation of git's own matching rules), None when there are none."""
    spec = pathspec.GitIgnoreSpec.from_lines(text.splitlines())
    return spec if any(pattern.include is not None for pattern in spec.patterns) else None


def read(folder: Path, base: str) -> IgnoreFile | None:
    try:
        text = (folder / ".gitignore").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    return read_text(text, base)


def read_text(text: str, base: str) -> IgnoreFile | None:
    """One .gitignore's text as the patterns that apply under `base`, None when it holds none."""
    spec = parse(text)
    return IgnoreFile(base, spec) if spec is not None else None


def ignored(files: list[IgnoreFile], rel: str, is_dir: bool) -> bool:
    """Whether `rel` (relative to the scanned root) is ignored: the last matching pattern decides, deeper
    .gitignore files after shallower ones."""
    verdict = False
    for ignore in files:
        if ignore.base and not rel.startswith(ignore.base + "/"):
            continue
        local = rel[len(ignore.base) + 1:] if ignore.base else rel
        local = f"{ignore.prefix}/{local}" if ignore.prefix else local
        decided = ignore.spec.check_file(local + "/" if is_dir else local).include
        if decided is not None:
            verdict = decided
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
            out.append(IgnoreFile("", ignore.spec, here.relative_to(folder).as_posix()))
    return out
