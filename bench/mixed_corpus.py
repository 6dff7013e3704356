"""Build a mixed-language folder for `bench.scan_bench --corpus DIR` from the shared eval sets.

    python -m bench.mixed_corpus /tmp/mixed          # then: python -m bench.scan_bench --corpus /tmp/mixed

Every code sample of the semgrep-rules and PurpleLlama sets in Go, Java, Kotlin, C#, C, C++, PHP, Ruby,
shell, Python and JavaScript is written out as one file (the folder lives outside the repository and is
never committed; nothing in it is run). The same inputs give the same folder on every machine.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

DEFAULT_DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "eval-data"
EXT = {"go": ".go", "java": ".java", "kotlin": ".kt", "csharp": ".cs", "c": ".c", "cpp": ".cpp", "php": ".php",
       "ruby": ".rb", "bash": ".sh", "python": ".py", "javascript": ".js"}


def _rows(path: Path):
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield json.loads(line)


def build(data: Path, dest: Path) -> dict[str, int]:
    """Write the samples under dest/<set>/<language>/; files per language."""
    counts: dict[str, int] = {}
    sources = (("semgrep-rules", data / "semgrep-rules" / "test_files.jsonl", "content"),
               ("purplellama", data / "purplellama-cyberseceval" / "autocomplete_insecure_lines.jsonl",
                "origin_code"))
    for name, path, field in sources:
        seen: set[str] = set()
        for n, row in enumerate(_rows(path)):
            lang, code = row.get("language"), row.get(field) or ""
            if lang not in EXT or code in seen:
                continue
            seen.add(code)
            target = dest / name / lang / f"{n:05d}{EXT[lang]}"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(code, encoding="utf-8")
            counts[lang] = counts.get(lang, 0) + 1
    return counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("dest", type=Path)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    args = parser.parse_args(argv)
    if not args.data.is_dir():
        print(f"no eval data at {args.data}", file=sys.stderr)
        return 2
    if args.dest.exists() and any(args.dest.iterdir()):
        print(f"{args.dest} is not empty", file=sys.stderr)
        return 2
    counts = build(args.data, args.dest)
    print(" ".join(f"{k}={v}" for k, v in sorted(counts.items())), f"total={sum(counts.values())}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
