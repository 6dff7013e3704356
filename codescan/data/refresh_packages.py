"""Rebuild the package-name lists (popular-*.txt, malicious-packages.csv) from downloaded dumps; never run by a scan."""
from __future__ import annotations

import argparse
import csv
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
OSV_ECOSYSTEMS = {"PyPI": "pypi", "npm": "npm", "crates.io": "crates", "Go": "go"}
HEADER = {
    "pypi": "Widely used PyPI distribution names (normalized: lowercase, runs of -_. as -), one per line.",
    "npm": "Widely used npm package names (unscoped, lowercase), one per line.",
    "crates": "Widely used crates.io crate names (lowercase, _ read as -), one per line.",
    "go": "Widely used Go module paths (lowercase), one per line.",
}


def osv_malicious(folder: Path) -> dict[tuple[str, str], str]:
    """(ecosystem, name) -> "OSV <id>" for every MAL- advisory JSON under folder."""
    out: dict[tuple[str, str], str] = {}
    for path in sorted(folder.rglob("MAL-*.json")):
        try:
            record = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        for affected in record.get("affected", []):
            package = affected.get("package", {})
            ecosystem = OSV_ECOSYSTEMS.get(package.get("ecosystem", ""))
            if ecosystem and package.get("name"):
                out.setdefault((ecosystem, package["name"].strip().lower()), f"OSV {record.get('id', path.stem)}")
    return out


def merge_malicious(found: dict[tuple[str, str], str]) -> int:
    path = HERE / "malicious-packages.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    known = {tuple(line.split(",", 2)[:2]) for line in lines if line and not line.startswith("#")}
    added = [f"{eco},{name},{source}" for (eco, name), source in sorted(found.items()) if (eco, name) not in known]
    path.write_text("\n".join(lines + added) + "\n", encoding="utf-8")
    return len(added)


def top_pypi(path: Path, n: int) -> list[str]:
    rows = json.loads(path.read_text(encoding="utf-8"))["rows"]
    rows.sort(key=lambda r: -int(r.get("download_count", 0)))
    return [r["project"] for r in rows[:n]]


def top_lines(path: Path, n: int) -> list[str]:
    names = [ln.strip() for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip()]
    return [n_ for n_ in names if not n_.startswith("#")][:n]


def top_crates(path: Path, n: int) -> list[str]:
    csv.field_size_limit(sys.maxsize)
    with path.open(encoding="utf-8", newline="") as handle:
        rows = [(int(r.get("downloads") or 0), r["name"]) for r in csv.DictReader(handle)]
    return [name for _, name in sorted(rows, reverse=True)[:n]]


def write_popular(ecosystem: str, names: list[str], source: str) -> None:
    from codescan.analyze.typosquat import normalize

    unique = list(dict.fromkeys(normalize(ecosystem, name) for name in names if name))
    header = f"# {HEADER[ecosystem]}\n# Rebuilt by refresh_packages.py from {source}.\n"
    (HERE / f"popular-{ecosystem}.txt").write_text(header + "\n".join(unique) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--osv-dir", type=Path, help="folder of unzipped OSV advisories (MAL-*.json)")
    parser.add_argument("--pypi-top", type=Path, help="top-pypi-packages JSON ({'rows': [...]})")
    parser.add_argument("--npm-top", type=Path, help="npm names, one per line, most used first")
    parser.add_argument("--crates-csv", type=Path, help="crates.io db-dump crates.csv")
    parser.add_argument("--go-top", type=Path, help="Go module paths, one per line, most used first")
    parser.add_argument("--top", type=int, default=5000, help="names kept per ecosystem (default 5000)")
    args = parser.parse_args(argv)
    if args.osv_dir:
        print(f"malicious-packages.csv: {merge_malicious(osv_malicious(args.osv_dir))} names added")
    sources = (("pypi", args.pypi_top, top_pypi), ("npm", args.npm_top, top_lines),
               ("crates", args.crates_csv, top_crates), ("go", args.go_top, top_lines))
    for ecosystem, path, reader in sources:
        if path:
            names = reader(path, args.top)
            write_popular(ecosystem, names, path.name)
            print(f"popular-{ecosystem}.txt: {len(names)} names")
    return 0


if __name__ == "__main__":
    sys.exit(main())
