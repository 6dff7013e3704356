"""Same-file helpers that write object keys taken from their input without refusing `__proto__`, `constructor` or
`prototype`, at any depth: a recursive deep merge (`merge(target[key], source[key])`) or a dotted-path setter
(`node = node[k]` ... `node[last] = value`). A call of such a helper is reported as a call of `__proto__` with the
helper's arguments: given request data, the sender writes `Object.prototype` for the whole process."""
from __future__ import annotations

import re

from ..facts import Call
from .js_local_functions import named_functions, outside_calls

_KEYED_WRITE = re.compile(rb"[\w$\])]\s*\[(?:[^\[\]\n]|\[[^\[\]\n]{0,40}\]){1,60}\]\s*=(?!=)")  # t[k] = / t[ks[i]] =
_KEYS_FROM_INPUT = re.compile(rb"\bfor\s*\(\s*(?:const|let|var)?\s*[\w$]+\s+in\b|\bObject\s*\.\s*(?:keys|entries)\s*\(|"
                              rb"\.split\s*\(")
_PATH_WALK = re.compile(rb"\b([\w$]+)\s*=\s*\1\s*\[")  # node = node[key]: walking down a path
_GUARDS = re.compile(rb"__proto__|['\"`]constructor['\"`]|\bprototype\b|hasOwnProperty|\bhasOwn\s*\(|"
                     rb"Object\s*\.\s*create\s*\(\s*null|\bisPlainObject\b|\bisSafeKey|\bforbidden|\bdenylist|"
                     rb"\bblocklist|\ballowed|\bALLOWED|\bWHITELIST|\ballowlist|\bObject\.freeze\b|"
                     # a key tested against a list or set (BLOCKED.includes(key), RESERVED.has(k)): a guard
                     rb"\.(?:includes|has|indexOf)\s*\(|(?i:block|deny|forbid|unsafe|reserved|danger)")
MAX_BODY = 4000  # bytes of a helper's text examined
MAX_CALLS = 16  # call sites of one helper


def _unguarded_writers(values, source: bytes) -> dict:
    """{name: function node} of the file's helpers that write keys from their input at depth, unguarded."""
    out = {}
    for name, node, body, recursive in named_functions(values, source, MAX_BODY):
        if not _KEYED_WRITE.search(body) or not _KEYS_FROM_INPUT.search(body) or _GUARDS.search(body):
            continue
        if recursive or _PATH_WALK.search(body):
            out[name] = node
    return out


def proto_writes(values, source: bytes) -> list:
    out = []
    for name, function in _unguarded_writers(values, source).items():
        for call in outside_calls(values, name, function, MAX_CALLS):
            args = call.child_by_field_name("arguments")
            given = tuple(values.ev(a) for a in args.named_children if a.type != "comment") if args else ()
            out.append(Call.at(call, "__proto__", given))
    return out
