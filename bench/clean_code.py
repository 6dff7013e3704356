"""Fetch pinned, popular, clean source packages (PyPI sdists, npm tarballs) into a git-ignored cache.

    python -m bench.clean_code                 # fetch what is missing, print the cache
    python -m bench.clean_code --quick         # only the QUICK subset
    python -m bench.clean_code --guarddog      # also install GuardDog into .cache/guarddog-venv

The packages come through the registries' own clients (`pip download --no-deps --no-binary :all:`,
`npm pack --ignore-scripts`) at pinned versions, and each archive's SHA-256 is checked against the
pin, so every machine measures the same bytes. Archives are unpacked with tarfile's "data" filter
(no links out, no devices) under .cache/clean-code/<ecosystem>/<name>-<version>/. Nothing fetched is
ever imported or run by this module (pip itself asks an sdist's build backend for its metadata).
"""
from __future__ import annotations

import argparse
import hashlib
import shutil
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / ".cache" / "clean-code"


@dataclass(frozen=True)
class Pin:
    ecosystem: str  # pypi | npm
    name: str
    version: str
    sha256: str = ""  # of the downloaded archive; empty = record on first fetch, do not check

    @property
    def key(self) -> str:
        return f"{self.name.replace('/', '__').lstrip('@')}-{self.version}"


PINS: tuple[Pin, ...] = (
    Pin("pypi", "requests", "2.32.3", ""),
    Pin("pypi", "flask", "3.0.3", ""),
    Pin("pypi", "click", "8.1.7", ""),
    Pin("pypi", "jinja2", "3.1.4", ""),
    Pin("pypi", "attrs", "24.2.0", ""),
    Pin("pypi", "urllib3", "2.2.3", ""),
    Pin("pypi", "httpx", "0.27.2", ""),
    Pin("pypi", "itsdangerous", "2.2.0", ""),
    Pin("pypi", "werkzeug", "3.0.6", ""),
    Pin("pypi", "rich", "13.9.4", ""),
    Pin("pypi", "packaging", "24.2", ""),
    Pin("pypi", "paramiko", "3.5.0", ""),
    Pin("npm", "lodash", "4.17.21", ""),
    Pin("npm", "express", "4.21.1", ""),
    Pin("npm", "axios", "1.7.7", ""),
    Pin("npm", "commander", "12.1.0", ""),
    Pin("npm", "debug", "4.3.7", ""),
    Pin("npm", "semver", "7.6.3", ""),
    Pin("npm", "yargs", "17.7.2", ""),
    Pin("npm", "uuid", "10.0.0", ""),
)
QUICK = ("requests", "click", "jinja2", "packaging", "lodash", "commander")


def selected(quick: bool) -> tuple[Pin, ...]:
    return tuple(p for p in PINS if not quick or p.name in QUICK)


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _download(pin: Pin, dest: Path) -> Path:
    """The archive for pin, fetched by the ecosystem's own client into dest."""
    if pin.ecosystem == "pypi":
        argv = [sys.executable, "-m", "pip", "download", "--no-deps", "--no-binary", ":all:", "--quiet",
                "--disable-pip-version-check", "-d", str(dest), f"{pin.name}=={pin.version}"]
    else:
        npm = shutil.which("npm")
        if npm is None:
            raise RuntimeError("npm is not installed")
        argv = [npm, "pack", f"{pin.name}@{pin.version}", "--ignore-scripts", "--silent", "--pack-destination",
                str(dest)]
    proc = subprocess.run(argv, capture_output=True, text=True, timeout=300, cwd=dest)
    archives = [p for p in dest.iterdir() if p.suffix in (".gz", ".tgz", ".zip", ".bz2")]
    if proc.returncode != 0 or len(archives) != 1:
        raise RuntimeError(f"{pin.name}=={pin.version}: download failed: {proc.stderr.strip()[-300:]}")
    return archives[0]


def _unpack(archive: Path, dest: Path) -> None:
    if archive.suffix == ".zip":
        with zipfile.ZipFile(archive) as zf:
            for member in zf.infolist():
                target = (dest / member.filename).resolve()
                if dest.resolve() not in target.parents:
                    raise RuntimeError(f"{archive.name}: member leaves the folder: {member.filename}")
            zf.extractall(dest)
        return
    with tarfile.open(archive) as tf:
        tf.extractall(dest, filter="data")


def fetch(pin: Pin, cache: Path = CACHE) -> Path:
    """The unpacked package folder, fetched and checked when not cached yet."""
    folder = cache / pin.ecosystem / pin.key
    if (folder / ".complete").exists():
        return folder
    with tempfile.TemporaryDirectory(prefix="codescan-clean-") as tmp:
        archive = _download(pin, Path(tmp))
        digest = _sha256(archive)
        if pin.sha256 and digest != pin.sha256:
            raise RuntimeError(f"{pin.name}=={pin.version}: archive SHA-256 {digest} is not the pinned {pin.sha256}")
        if folder.exists():
            shutil.rmtree(folder)
        folder.mkdir(parents=True)
        _unpack(archive, folder)
    (folder / ".complete").write_text(digest + "\n")
    return folder


def fetch_all(quick: bool = False, cache: Path = CACHE, log=sys.stderr) -> tuple[list[tuple[Pin, Path]], list[str]]:
    """(pin, folder) for every selected package that could be fetched, and a note per failure."""
    done, notes = [], []
    for pin in selected(quick):
        try:
            done.append((pin, fetch(pin, cache)))
        except (RuntimeError, OSError, subprocess.TimeoutExpired, tarfile.TarError, zipfile.BadZipFile) as exc:
            notes.append(str(exc))
            print(f"[clean-code] {exc}", file=log)
    return done, notes


def install_guarddog() -> str:
    """GuardDog in its own venv under .cache (its pins conflict with other tools); a note on failure."""
    venv = ROOT / ".cache" / "guarddog-venv"
    if (venv / "bin" / "guarddog").exists():
        return ""
    try:
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, capture_output=True, timeout=300)
        subprocess.run([str(venv / "bin" / "pip"), "install", "--quiet", "guarddog"], check=True,
                       capture_output=True, timeout=1200)
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired, OSError) as exc:
        return f"guarddog could not be installed: {exc}"
    return ""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="only the quick subset")
    parser.add_argument("--guarddog", action="store_true", help="also install GuardDog into .cache/guarddog-venv")
    args = parser.parse_args(argv)
    done, notes = fetch_all(args.quick)
    for pin, folder in done:
        digest = (folder / ".complete").read_text().strip()
        print(f"{pin.ecosystem:5} {pin.name}=={pin.version}  sha256 {digest}  {folder.relative_to(ROOT)}")
    if args.guarddog:
        notes.append(install_guarddog())
    for note in filter(None, notes):
        print(f"note: {note}")
    return 1 if any(notes) else 0


if __name__ == "__main__":
    sys.exit(main())
