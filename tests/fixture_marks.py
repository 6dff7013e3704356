"""Read `expect: <rule-id>` / `ok: <rule-id>` marks from rule fixtures (shared by tests and tools)."""
from __future__ import annotations

import re
from pathlib import Path

# (batch files' `rem`/`::` and VBScript's `'` too)
MARK = re.compile(r"(?:#|//|/\*|<!--|--|;|\*|\b[Rr][Ee][Mm]\b|::|')\s*(expect|ok|ruleid):\s*([A-Za-z0-9_\-, ]+)")
# A C preprocessor line (#define, #include...) is code, not a `#` comment.
COMMENT_ONLY = re.compile(r"^\s*(#(?!(?:define|undef|include|if|ifdef|ifndef|elif|else|endif|pragma)\b)|//|/\*|<!--|--|;|\*"
                          r"|@?[Rr][Ee][Mm]\b|::)")

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "rules"


def marks(text: str) -> dict[str, dict[int, set[str]]]:
    """{"expect": {line: {rule ids}}, "ok": {...}}; a mark on a comment-only line applies to the next code line
    (an XML comment's closing `-->` is not part of the ids)."""
    out: dict[str, dict[int, set[str]]] = {"expect": {}, "ok": {}}
    pending: list[tuple[str, set[str]]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        found = [(("expect" if kind == "ruleid" else kind), {i.strip().rstrip("-").strip() for i in ids.split(",") if i.strip().rstrip("-").strip()})
                 for kind, ids in MARK.findall(line)]
        stripped = line.strip()
        if found and COMMENT_ONLY.match(line):
            pending.extend(found)
            continue
        if not stripped:
            continue
        if COMMENT_ONLY.match(line) and not found and pending:
            continue
        for kind, ids in pending + found:
            out[kind].setdefault(number, set()).update(ids)
        pending = []
    return out


def fixture_files(rule_id: str) -> list[Path]:
    """Files named after the rule (any extension), or every file in a folder named after it."""
    files = [p for p in FIXTURES.rglob(f"{rule_id}.*") if p.is_file()]
    for folder in FIXTURES.rglob(rule_id):
        if folder.is_dir():
            files.extend(p for p in folder.rglob("*") if p.is_file())
    return sorted(files)
