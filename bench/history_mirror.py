"""Real release history for benches: each standard-library package of every Python installed under pyenv (and the
system's), committed release by release into its own bare git repository (files added, changed and removed as
the releases did). With steps > 1, the way from one release to the next is replayed as that many commits, each
applying a share of every file's diff hunks (real code, changed a few hunks at a time as commits do)."""
from __future__ import annotations

import difflib
import re
import subprocess
from pathlib import Path

from codescan.sources.git_safety import safe_env

PYENV = Path.home() / ".pyenv" / "versions"
SYSTEM = Path("/usr/lib")
MAX_FILE = 400_000
# Two halves of about the same size: the second doubles the state (bench/campaigns_bench.py).
FIRST = ("email", "http", "logging", "asyncio", "concurrent", "importlib", "urllib", "json", "xml",
         "multiprocessing")
SECOND = ("unittest", "ctypes", "sqlite3", "wsgiref", "xmlrpc", "html", "dbm", "collections", "lib2to3", "curses",
          "tkinter")
QUICK = ("json", "http", "logging", "concurrent")


def releases() -> list[tuple[tuple[int, ...], Path]]:
    """(version, stdlib folder) of every Python found, oldest first."""
    found: dict[tuple[int, ...], Path] = {}
    for top in sorted(PYENV.glob("*/lib/python*")) + sorted(SYSTEM.glob("python[0-9].*")):
        if not (top / "os.py").is_file():
            continue
        name = top.parent.parent.name if top.parent.parent.parent == PYENV else top.name.replace("python", "")
        match = re.match(r"(\d+)\.(\d+)(?:\.(\d+))?", name)
        if match:
            version = tuple(int(x) for x in match.groups() if x is not None)
            version = version + (0,) * (3 - len(version))
            found.setdefault(version, top)
    return sorted(found.items())


def _files(folder: Path) -> dict[str, bytes]:
    out = {}
    if not folder.is_dir():
        return out
    for path in sorted(folder.rglob("*.py")):
        if "__pycache__" in path.parts or not path.is_file():
            continue
        data = path.read_bytes()
        if len(data) <= MAX_FILE:
            out[path.relative_to(folder).as_posix()] = data
    return out


def _replay(old: bytes, new: bytes, steps: int) -> list[bytes]:
    """The file after each of `steps` commits that apply the diff's hunks in order (the last one is `new`)."""
    if steps <= 1 or not old or old == new:
        return [new] * max(steps, 1)
    a, b = old.splitlines(keepends=True), new.splitlines(keepends=True)
    ops = difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    changed = [i for i, op in enumerate(ops) if op[0] != "equal"]
    out = []
    for step in range(1, steps + 1):
        applied = set(changed[:len(changed) * step // steps])
        parts = []
        for i, (tag, i1, i2, j1, j2) in enumerate(ops):
            parts.extend(b[j1:j2] if tag == "equal" or i in applied else a[i1:i2])
        out.append(b"".join(parts))
    return out


def _snapshots(packages_dir: str, steps: int) -> list[tuple[str, int, str, dict[str, bytes]]]:
    """(author, unix time, message, files) per commit of one package's history."""
    out = []
    previous: dict[str, bytes] = {}
    for version, stdlib in releases():
        files = _files(stdlib / packages_dir)
        if not files:
            continue
        label = ".".join(map(str, version))
        when = 1_300_000_000 + (version[0] * 100 + version[1]) * 20 * 86400 + version[2] * 86400
        replays = {rel: _replay(previous.get(rel, b""), data, steps) for rel, data in files.items()}
        for step in range(steps if previous else 1):
            last = step == steps - 1 or not previous
            who = f"Release Manager {version[0]}.{version[1]}" if last else f"Contributor {step + 1}"
            snapshot = {rel: versions[step] for rel, versions in replays.items()}
            if not last:  # files the release deleted are still there until it
                snapshot = {**{r: d for r, d in previous.items() if r not in files}, **snapshot}
            out.append((who, when - (steps - 1 - step) * 3600, f"Python {label}" if last else f"towards {label}",
                        snapshot))
        previous = files
    return out


def build(root: Path, packages: tuple[str, ...], steps: int = 1) -> int:
    """One bare repository per package under root; returns the number of commits made."""
    commits = 0
    for package in packages:
        stream = bytearray()
        mark = 0
        for who, when, message, files in _snapshots(package, steps):
            mark += 1
            email = who.lower().replace(" ", ".") + "@example.org"
            text = (message + "\n").encode()
            stream += f"commit refs/heads/main\nmark :{mark}\n".encode()
            stream += f"author {who} <{email}> {when} +0000\ncommitter {who} <{email}> {when} +0000\n".encode()
            stream += b"data %d\n" % len(text) + text
            if mark > 1:
                stream += f"from :{mark - 1}\n".encode()
            stream += b"deleteall\n"
            for rel, data in files.items():
                stream += f"M 100644 inline {rel}\n".encode() + b"data %d\n" % len(data) + data + b"\n"
            stream += b"\n"
        if not mark:
            continue
        gitdir = root / f"{package}.git"
        subprocess.run(["git", "init", "-q", "--bare", "--initial-branch=main", str(gitdir)], env=safe_env(),
                       check=True)
        subprocess.run(["git", f"--git-dir={gitdir}", "fast-import", "--quiet", "--force"], input=bytes(stream),
                       env=safe_env(), check=True)
        commits += mark
    return commits
