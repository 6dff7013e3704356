"""Do two trees report the same findings? Scan one corpus with each (`codescan scan -j 1`) and diff the JSON.

Run from the repository root (a speed change must leave every finding as it was):

    python -m bench.same_findings --base HEAD~1                 # stdlib sample + the labelled sets
    python -m bench.same_findings --base main --quick 300 --sets codebreaker,poisonpy,guarddog
    python bench/same_findings.py --base <rev> --corpus DIR --keep /tmp/out   # keep both reports

The corpus is N Python files of the interpreter's stdlib (the sample bench.semantics_bench takes)
plus the labelled sets of ../shared/eval-data written to a temporary folder (skipped when absent).
A finding is compared whole (rule, line, columns, severity, message, context, trace); the exit code
is 1 when the two lists differ, and the differences are printed.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent
if __package__ in (None, ""):  # `python bench/same_findings.py`
    sys.path.insert(0, str(HERE))

from bench import corpus as corpora  # noqa: E402
from bench import eval_sets  # noqa: E402

DATA = HERE.parent / "shared" / "eval-data"
SETS = {"codebreaker": eval_sets.codebreaker, "poisonpy": eval_sets.poisonpy, "guarddog": eval_sets.guarddog}


def write_sets(names: list[str], data: Path, into: Path) -> list[Path]:
    """The named labelled sets written as files under `into` (one folder each); absent sets are skipped."""
    roots = []
    for name in names:
        folder = data / name
        if not folder.is_dir():
            print(f"same_findings: {folder} absent, skipped", file=sys.stderr)
            continue
        items, _score = SETS[name](folder)
        root = into / name
        for item in items:
            path = root / item.path
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(item.content, encoding="utf-8", errors="surrogatepass")
        roots.append(root)
    return roots


def scan(tree: Path, targets: list[Path], prefixes: dict[str, str]) -> list[str]:
    """Sorted one-line JSON of every finding `tree`'s code reports on `targets`, paths made tree-neutral."""
    env = dict(os.environ, PYTHONPATH=str(tree))
    proc = subprocess.run([sys.executable, "-m", "codescan", "scan", *map(str, targets), "--format", "json",
                           "--no-progress", "-j", "1", "--fail-on", "critical"],
                          cwd=tree, env=env, capture_output=True, text=True)
    if proc.returncode not in (0, 1):
        raise SystemExit(f"same_findings: scan with {tree} failed: {proc.stderr[-300:]}")
    out = []
    for finding in json.loads(proc.stdout).get("findings", []):
        path = finding.get("path", "")
        for prefix, name in prefixes.items():
            if path.startswith(prefix):
                finding["path"] = name + path[len(prefix):]
        out.append(json.dumps(finding, sort_keys=True))
    return sorted(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--base", required=True, help="revision to compare this checkout with")
    parser.add_argument("--quick", type=int, default=300, metavar="N", help="stdlib Python files (0: none)")
    parser.add_argument("--corpus", metavar="DIR", help="scan this folder instead of the stdlib sample")
    parser.add_argument("--sets", default=",".join(SETS), help="labelled sets to add (comma-separated, '' for none)")
    parser.add_argument("--data", default=str(DATA), help="folder of the labelled sets")
    parser.add_argument("--keep", metavar="DIR", help="write both sorted finding lists there")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="codescan-same-") as tmp:
        tmp_path = Path(tmp)
        targets: list[Path] = []
        if args.corpus:
            targets.append(Path(args.corpus).resolve())
        elif args.quick:
            files = corpora.sample(tuple(corpora.collect(corpora.default_root()).python), args.quick)
            targets += list(files)
        names = [n for n in args.sets.split(",") if n]
        unknown = [n for n in names if n not in SETS]
        if unknown:
            raise SystemExit(f"same_findings: unknown set {unknown[0]!r} (known: {', '.join(SETS)})")
        targets += write_sets(names, Path(args.data), tmp_path / "sets")
        base_tree = tmp_path / "base"
        subprocess.run(["git", "-C", str(HERE), "worktree", "add", "--detach", "-f", str(base_tree), args.base],
                       check=True, capture_output=True)
        try:
            prefixes = {str(tmp_path / "sets") + "/": "sets/"}
            before = scan(base_tree, targets, prefixes)
            after = scan(HERE, targets, prefixes)
        finally:
            subprocess.run(["git", "-C", str(HERE), "worktree", "remove", "--force", str(base_tree)],
                           capture_output=True)
    if args.keep:
        keep = Path(args.keep)
        keep.mkdir(parents=True, exist_ok=True)
        (keep / "base.jsonl").write_text("\n".join(before) + "\n")
        (keep / "this.jsonl").write_text("\n".join(after) + "\n")
    gone = sorted(set(before) - set(after))
    new = sorted(set(after) - set(before))
    print(f"{len(targets)} targets; findings: base {len(before)}, this checkout {len(after)}; "
          f"only in base {len(gone)}, only in this checkout {len(new)}")
    for line in gone[:40]:
        print("- " + line)
    for line in new[:40]:
        print("+ " + line)
    return 1 if gone or new else 0


if __name__ == "__main__":
    sys.exit(main())
