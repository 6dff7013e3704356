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
    Pin("pypi", "requests", "2.32.3",
        "55365417734eb18255590a9ff9eb97e9e1da868d4ccd6402399eaf68af20a760"),
    Pin("pypi", "flask", "3.0.3",
        "ceb27b0af3823ea2737928a4d99d125a06175b8512c445cbd9a9ce200ef76842"),
    Pin("pypi", "click", "8.1.7",
        "ca9853ad459e787e2192211578cc907e7594e294c7ccc834310722b41b9ca6de"),
    Pin("pypi", "jinja2", "3.1.4",
        "4a3aee7acbbe7303aede8e9648d13b8bf88a429282aa6122a993f0ac800cb369"),
    Pin("pypi", "attrs", "24.2.0",
        "5cfb1b9148b5b086569baec03f20d7b6bf3bcacc9a42bebf87ffaaca362f6346"),
    Pin("pypi", "urllib3", "2.2.3",
        "e7d814a81dad81e6caf2ec9fdedb284ecc9c73076b62654547cc64ccdcae26e9"),
    Pin("pypi", "httpx", "0.27.2",
        "f7c2be1d2f3c3c3160d441802406b206c2b76f5947b11115e6df10c6c65e66c2"),
    Pin("pypi", "itsdangerous", "2.2.0",
        "e0050c0b7da1eea53ffaf149c0cfbb5c6e2e2b69c4bef22c81fa6eb73e5f6173"),
    Pin("pypi", "werkzeug", "3.0.6",
        "a8dd59d4de28ca70471a34cba79bed5f7ef2e036a76b3ab0835474246eb41f8d"),
    Pin("pypi", "rich", "13.9.4",
        "439594978a49a09530cff7ebc4b5c7103ef57baf48d5ea3184f21d9a2befa098"),
    Pin("pypi", "packaging", "24.2",
        "c228a6dc5e932d346bc5739379109d49e8853dd8223571c7c5b55260edc0b97f"),
    Pin("pypi", "paramiko", "3.5.0",
        "ad11e540da4f55cedda52931f1a3f812a8238a7af7f62a60de538cd80bb28124"),
    Pin("npm", "lodash", "4.17.21",
        "6a087ac9e5702a0c9d60fbcd48696012646ec8df1491dea472b150e79fcaf804"),
    Pin("npm", "express", "4.21.1",
        "4097da0999b7078263460df02b0990244794d84e79e185e6d4ff50ce06d79462"),
    Pin("npm", "axios", "1.7.7",
        "5f2dde3882446ea1cb5094dd7db99b4ed7cf09f0c96be646a8d30959b0923bec"),
    Pin("npm", "commander", "12.1.0",
        "56affc6ddafe486f94b428ae2823d059cf60d4dae2f33eaaf1b1ec4306f73173"),
    Pin("npm", "debug", "4.3.7",
        "c803a8ca9b835b7a75f7150ee52f7f640675515bafbe8f5da78fcc0ae12914ac"),
    Pin("npm", "semver", "7.6.3",
        "376d2ca2c941fc5a37e9ac3ec65302e5e421e2cc1ee3dee57a854d2bd9bee125"),
    Pin("npm", "yargs", "17.7.2",
        "48ec935f10b5d760620a2670fcb2e237a7dee58a1bd4a53f1908dd7dcb83aec9"),
    Pin("npm", "uuid", "10.0.0",
        "d7af318b653a28eb73b1fe62bc6f88b2ccbd85c68c6764f98e8ddeca6f3b54b1"),
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
