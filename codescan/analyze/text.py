"""Language-agnostic text detectors: hidden Unicode, encoded blobs, secrets, prompt injection."""
from __future__ import annotations


def detect(ctx, tree) -> None:
    """Run every text detector over ctx.text, emitting through ctx.emit."""
    return None
