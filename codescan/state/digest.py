"""A digest of what decides a blob's findings: codescan's version and the id and content of every selected rule."""
from __future__ import annotations

import hashlib
import json
from dataclasses import asdict

from .. import __version__


def rules_digest(ruleset) -> str:
    """Changes when codescan is upgraded (detectors live in code) or a rule is added, dropped or edited."""
    h = hashlib.sha256(f"codescan {__version__}\n".encode())
    for rule in sorted(ruleset.rules, key=lambda r: r.id):
        body = asdict(rule)
        body.pop("source", None)  # where the file lives does not change what it finds
        h.update(json.dumps(body, sort_keys=True, default=str).encode("utf-8", "surrogatepass"))
        h.update(b"\n")
    return h.hexdigest()[:24]
