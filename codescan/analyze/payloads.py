"""Find literal encoded payloads (base64, hex, zlib/gzip, char codes) and decode them, bounded."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Payload:
    line: int  # 1-based line of the literal in its source
    end_line: int
    encoding: str  # e.g. "base64", "base64+zlib", "hex", "char-codes"
    data: bytes  # the decoded text, as code to scan
    preview: str  # what a reader is shown
    language: str | None = None  # when the payload is evidently another language


def find(source: bytes, tree, language: str):
    """Yield decoded payloads found in literals of `tree`."""
    return iter(())
