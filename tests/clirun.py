"""Helpers for the CLI tests: run `codescan scan` in-process and parse its JSON report."""
import json
from pathlib import Path

from codescan.cli import main

DATA = Path(__file__).resolve().parent / "data"
DEMO_RULES = ("--no-builtin-rules", "--rules", str(DATA / "rules"))


def scan_json(capsys, *args, rules=DEMO_RULES) -> tuple[int, dict]:
    """Exit code and JSON report of `codescan scan ARGS --format json` with the demo rules."""
    code = main(["scan", *map(str, args), *rules, "--format", "json", "--no-progress"])
    out = capsys.readouterr().out
    return code, json.loads(out) if out.strip() else {}


def write(root: Path, rel: str, text: str | bytes) -> Path:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path
