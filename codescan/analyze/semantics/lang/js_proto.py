"""Same-file helpers that write object keys taken from their input without refusing `__proto__`, `constructor` or
`prototype`, at any depth: a recursive deep merge (`merge(target[key], source[key])`) or a dotted-path setter
(`node = node[k]` ... `node[last] = value`). A call of such a helper is reported as a call of `__proto__` with the
helper's arguments: given request data, the sender writes `Object.prototype` for the whole process."""
from __future__ import annotations

import re

from ..facts import Call

_DEFS = re.compile(rb"\bfunction\s*\*?\s*([A-Za-z_$][\w$]*)\s*\(|\b(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*=\s*"
                   rb"(?:async\s+)?(?:function\b|\([^()]*\)\s*=>|[A-Za-z_$][\w$]*\s*=>)")
_KEYED_WRITE = re.compile(rb"[\w$\])]\s*\[(?:[^\[\]\n]|\[[^\[\]\n]{0,40}\]){1,60}\]\s*=(?!=)")  # t[k] = / t[ks[i]] =
_KEYS_FROM_INPUT = re.compile(rb"\bfor\s*\(\s*(?:const|let|var)?\s*[\w$]+\s+in\b|\bObject\s*\.\s*(?:keys|entries)\s*\(|"
                              rb"\.split\s*\(")
_PATH_WALK = re.compile(rb"\b([\w$]+)\s*=\s*\1\s*\[")  # node = node[key]: walking down a path
_GUARDS = re.compile(rb"__proto__|['\"`]constructor['\"`]|\bprototype\b|hasOwnProperty|\bhasOwn\s*\(|"
                     rb"Object\s*\.\s*create\s*\(\s*null|\bisPlainObject\b|\bisSafeKey|\bforbidden|\bdenylist|"
                     rb"\bblocklist|\ballowed|\bALLOWED|\bWHITELIST|\ballowlist|\bObject\.freeze\b|"
                     # a key tested against a list or set (BLOCKED.includes(key), RESERVED.has(k)): a guard
                     rb"\.(?:includes|has|indexOf)\s*\(|(?i:block|deny|forbid|unsafe|reserved|danger)")
_FUNCTIONS = ("function_declaration", "generator_function_declaration", "arrow_function", "function_expression",
              "function")
MAX_DEFS = 64
MAX_BODY = 4000  # bytes of a helper's text examined
MAX_CALLS = 16  # call sites of one helper


def _unguarded_writers(values, source: bytes) -> dict:
    """{name: function node} of the file's helpers that write keys from their input at depth, unguarded."""
    out = {}
    for count, match in enumerate(_DEFS.finditer(source)):
        if count >= MAX_DEFS:
            break
        group = 1 if match.group(1) else 2
        name = match.group(group).decode("ascii", "replace")
        ident = values.scopes.locate(match.start(group), match.end(group))
        holder = ident.parent if ident is not None else None
        if holder is None:
            continue
        node = holder.child_by_field_name("value") if holder.type == "variable_declarator" else holder
        if node is None or node.type not in _FUNCTIONS or node.end_byte - node.start_byte > MAX_BODY:
            continue
        block = node.child_by_field_name("body")
        body = source[block.start_byte:block.end_byte] if block is not None else b""
        if not _KEYED_WRITE.search(body) or not _KEYS_FROM_INPUT.search(body) or _GUARDS.search(body):
            continue
        if re.search(rb"(?<![\w$.])" + re.escape(name.encode()) + rb"\s*\(", body) or _PATH_WALK.search(body):
            out[name] = node
    return out


def proto_writes(values, source: bytes) -> list:
    out = []
    for name, function in _unguarded_writers(values, source).items():
        values.scopes.index(name)
        found = 0
        for use in values.scopes.uses.get(name, ()):
            call = use.parent
            if call is None or call.type != "call_expression" or call.child_by_field_name("function") != use or \
                    function.start_byte <= call.start_byte < function.end_byte:
                continue  # (the helper's own recursive call)
            args = call.child_by_field_name("arguments")
            values_given = tuple(values.ev(a) for a in args.named_children if a.type != "comment") if args else ()
            out.append(Call(callee="__proto__", args=values_given, line=call.start_point[0] + 1,
                            end_line=call.end_point[0] + 1, column=call.start_point[1] + 1, scope=-1))
            found += 1
            if found >= MAX_CALLS:
                break
    return out
