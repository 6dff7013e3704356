"""The `origin` option of Express's cors middleware written as a function or a regex literal: a callback that answers
every origin with `true` (or echoes the origin back) and a regex that matches anything are `origin: true` — the
caller's Origin is reflected, cookies and all when `credentials: true`."""
from __future__ import annotations

import re

from ..facts import Value

# cb(null, true) / callback(null, origin): the whole body of the function, nothing tested before it
_ALLOWS_ALL = re.compile(rb"^\s*(?:\{\s*(?:return\s+)?)?([\w$]+)\s*\(\s*null\s*,\s*(?:true|([\w$]+))\s*\)\s*+;?\s*+\}?\s*+$")
_ANY = re.compile(r"^\^?(?:\.\*|\.\+|\[\\s\\S\]\*|\[\\s\\S\]\+)\$?$")
MAX_BODY = 300


def origin_option(node) -> Value | None:
    """`True` for an origin option that lets every origin in, else None (read the value as usual)."""
    if node.type == "regex":
        pattern = node.child_by_field_name("pattern")
        return Value(True) if pattern is not None and _ANY.match(pattern.text.decode("utf-8", "replace")) else None
    if node.type not in ("arrow_function", "function_expression", "function"):
        return None
    params = node.child_by_field_name("parameters") or node.child_by_field_name("parameter")
    names = [p.text for p in (params.named_children if params is not None and params.type == "formal_parameters"
                              else [params] if params is not None else [])]
    body = node.child_by_field_name("body")
    if body is None or len(names) < 2 or body.end_byte - body.start_byte > MAX_BODY:
        return None
    found = _ALLOWS_ALL.match(body.text)
    if found is None or found.group(1) != names[-1] or (found.group(2) and found.group(2) != names[0]):
        return None
    return Value(True)
