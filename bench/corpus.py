"""Pick the files a bench run scans: a tree walk, its Python subset, a quick sample, argv-safe targets."""
from __future__ import annotations

import os
import shutil
import sysconfig
from dataclasses import dataclass
from pathlib import Path

# Folder names skipped everywhere: VCS folders (codescan skips them too), byte-code caches, and the
# third-party packages that live inside the interpreter's stdlib folder (not the standard library).
EXCLUDE_DIRS = ("site-packages", "dist-packages", "__pycache__", ".git", ".hg", ".svn")


@dataclass(frozen=True)
class Corpus:
    """The files of one bench run: `files` is the whole tree, `python` its *.py files."""

    root: Path
    files: tuple[Path, ...]
    python: tuple[Path, ...]
    sizes: dict[Path, int]

    def size(self, paths: tuple[Path, ...] | list[Path]) -> int:
        return sum(self.sizes.get(p, 0) for p in paths)


def default_root() -> Path:
    """The running interpreter's standard library folder."""
    return Path(sysconfig.get_paths()["stdlib"])


def collect(root: Path, skip_names: tuple[str, ...] = ()) -> Corpus:
    """Every regular file under root (symbolic links not followed, EXCLUDE_DIRS pruned,
    files named in skip_names left out)."""
    files: list[Path] = []
    sizes: dict[Path, int] = {}
    for folder, dirs, names in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in EXCLUDE_DIRS)
        for name in sorted(names):
            path = Path(folder) / name
            if name in skip_names or path.is_symlink() or not path.is_file():
                continue
            files.append(path)
            sizes[path] = path.stat().st_size
    python = tuple(p for p in files if p.suffix == ".py")
    return Corpus(root, tuple(files), python, sizes)


def sample(paths: tuple[Path, ...], n: int) -> tuple[Path, ...]:
    """n paths spread evenly over the sorted list (deterministic, covers every part of the tree)."""
    if n >= len(paths):
        return paths
    step = len(paths) / n
    return tuple(paths[int(i * step)] for i in range(n))


def quick(corpus: Corpus, n: int) -> Corpus:
    """A smaller corpus: n Python files plus n//3 other files, spread over the tree."""
    python = sample(corpus.python, n)
    others = sample(tuple(p for p in corpus.files if p.suffix != ".py"), n // 3)
    files = tuple(sorted(python + others))
    return Corpus(corpus.root, files, python, {p: corpus.sizes[p] for p in files})


def mirror(paths: tuple[Path, ...], root: Path, dest: Path) -> Path:
    """A folder holding exactly `paths` at their paths relative to root (hard links, else copies).

    Every tool gets this one folder: the same files, and no tool pays per-target start-up costs
    (semgrep starts one helper process per command-line target)."""
    for path in paths:
        target = dest / path.relative_to(root)
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(path, target)
        except OSError:
            shutil.copyfile(path, target)
    return dest
