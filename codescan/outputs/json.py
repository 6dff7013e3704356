"""JSON and JSON Lines output: the machine-readable scan result."""
from __future__ import annotations

import json

from ..records import SCHEMA_VERSION


def document(result) -> dict:
    return {
        "schema_version": SCHEMA_VERSION,
        "findings": [f.to_dict() for f in result.findings],
        "skipped": [s.to_dict() for s in result.skips],
        "suppressed": len(result.suppressed),
        "stats": result.stats.to_dict(),
    }


def write(result, stream) -> None:
    json.dump(document(result), stream, indent=2, ensure_ascii=False)
    stream.write("\n")


def write_lines(result, stream) -> None:
    """One finding per line, then one line per skip (with "skipped": true)."""
    for f in result.findings:
        stream.write(json.dumps({"schema_version": SCHEMA_VERSION, **f.to_dict()}, ensure_ascii=False) + "\n")
    for s in result.skips:
        stream.write(json.dumps({"schema_version": SCHEMA_VERSION, "skipped": True, **s.to_dict()},
                                ensure_ascii=False) + "\n")
