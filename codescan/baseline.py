"""Baseline files: the fingerprints of accepted findings, so adoption starts without a flood."""
from __future__ import annotations

import json
from pathlib import Path

from .records import SCHEMA_VERSION, Finding
from .errors import CodescanError


class BaselineError(CodescanError, ValueError):
    """A baseline file that cannot be read."""


def load(path: str) -> set[str]:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BaselineError(f"{path}: baseline file not found (create one with --write-baseline)") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BaselineError(f"{path}: not a readable codescan baseline: {exc}") from None
    if not isinstance(data, dict) or not isinstance(data.get("findings"), list):
        raise BaselineError(f"{path}: not a codescan baseline (no 'findings' list)")
    return {entry["fingerprint"] for entry in data["findings"] if isinstance(entry, dict) and "fingerprint" in entry}


def write(path: str, findings: tuple[Finding, ...]) -> None:
    """No line numbers and no timestamps: the file stays stable under edits and merges."""
    entries = sorted(
        ({"fingerprint": f.fingerprint, "rule_id": f.rule_id, "path": f.path} for f in findings),
        key=lambda e: (e["path"], e["rule_id"], e["fingerprint"]),
    )
    unique = list({e["fingerprint"]: e for e in entries}.values())
    text = json.dumps({"schema_version": SCHEMA_VERSION, "findings": unique}, indent=2) + "\n"
    Path(path).write_text(text, encoding="utf-8")


def filter_new(findings: tuple[Finding, ...], known: set[str]) -> tuple[tuple[Finding, ...], int]:
    kept = tuple(f for f in findings if f.fingerprint not in known)
    return kept, len(findings) - len(kept)
