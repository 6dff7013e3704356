"""Same-file helpers that write object keys taken from their input without refusing `__proto__`, `constructor` or
`prototype`, at any depth: a recursive deep merge (`merge(target[key], source[key])`) or a dotted-path setter
(`node = node[k]` ... `node[last] = value`). A call of such a helper is reported as a call of `__proto__` with the
helper's arguments: given request data, the sender writes `Object.prototype` for the whole process. So is a write
two keys deep whose keys both come from the same data (`config[section][key] = value`)."""
from __future__ import annotations

import re

from ..facts import Call
from .js_local_functions import named_functions, outside_calls
from .js_scopes import enclosing_function

_KEYED_WRITE = re.compile(rb"[\w$\])]\s*\[(?:[^\[\]\n]|\[[^\[\]\n]{0,40}\]){1,60}\]\s*=(?!=)")  # t[k] = / t[ks[i]] =
_KEYS_FROM_INPUT = re.compile(rb"\bfor\s*\(\s*+(?:const|let|var)?\s*[\w$]+\s+in\b|\bObject\s*\.\s*(?:keys|entries)\s*\(|"
                              rb"\.split\s*\(")
_PATH_WALK = re.compile(rb"\b([\w$]+)\s*=\s*\1\s*\[")  # node = node[key]: walking down a path
_GUARDS = re.compile(rb"__proto__|['\"`]constructor['\"`]|\bprototype\b|hasOwnProperty|\bhasOwn\s*\(|"
                     rb"Object\s*\.\s*create\s*\(\s*null|\bisPlainObject\b|\bisSafeKey|\bforbidden|\bdenylist|"
                     rb"\bblocklist|\ballowed|\bALLOWED|\bWHITELIST|\ballowlist|\bObject\.freeze\b|"
                     # a key tested against a list or set (BLOCKED.includes(key), RESERVED.has(k)): a guard
                     rb"\.(?:includes|has|indexOf)\s*\(|(?i:block|deny|forbid|unsafe|reserved|danger)")
# `config[section][key] = value`: two keys chosen by the data, the first one's object written through
_TWO_KEYS = re.compile(rb"[\w$\])]\s*\[\s*([\w$.]+)\s*\]\s*\[\s*([\w$.]+)\s*\]\s*=(?!=)")
MAX_TWO_KEYS = 32
_LINE_COMMENT = re.compile(rb"(?<![:\\])//[^\n]*")
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
    return out + _two_key_writes(values, source)


def _two_key_writes(values, source: bytes) -> list:
    """`obj[a][b] = v` where both keys carry the same outside data and the function around never refuses
    `__proto__` (a.k.a. `config[req.body.section][req.body.key] = value`: section `__proto__` writes Object.prototype),
    as `__proto__` calls of (first key, second key)."""
    out = []
    for count, match in enumerate(_TWO_KEYS.finditer(source)):
        if count >= MAX_TWO_KEYS:
            break
        first = values.scopes.locate(match.start(1), match.end(1))
        second = values.scopes.locate(match.start(2), match.end(2))
        if first is None or second is None:
            continue
        keys = (values.ev(first), values.ev(second))
        if not keys[0].labels or not keys[0].labels & keys[1].labels:
            continue
        around = enclosing_function(first)
        text = _LINE_COMMENT.sub(b"", around.text[:MAX_BODY] if around is not None else source[:MAX_BODY])
        if _GUARDS.search(text):  # (a comment that names the prototype guards nothing)
            continue
        out.append(Call.at(first, "__proto__", keys))
    return out
