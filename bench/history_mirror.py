"""Real release history for benches: each standard-library package of every Python installed under pyenv (and the
system's), committed release by release into its own bare git repository (files added, changed and removed as
the releases did)."""
from __future__ import annotations

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


def build(root: Path, packages: tuple[str, ...]) -> int:
    """One bare repository per package under root; returns the number of commits made."""
    history = releases()
    commits = 0
    for package in packages:
        stream = bytearray()
        mark = 0
        for version, stdlib in history:
            files = _files(stdlib / package)
            if not files:
                continue
            mark += 1
            label = ".".join(map(str, version))
            when = 1_300_000_000 + (version[0] * 100 + version[1]) * 20 * 86400 + version[2] * 86400
            who = f"Release Manager {version[0]}.{version[1]}"
            email = f"rm{version[0]}{version[1]}@example.org"
            message = f"Python {label}\n".encode()
            stream += f"commit refs/heads/main\nmark :{mark}\n".encode()
            stream += f"author {who} <{email}> {when} +0000\ncommitter {who} <{email}> {when} +0000\n".encode()
            stream += b"data %d\n" % len(message) + message
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
