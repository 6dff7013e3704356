"""Same-file recursive folder walkers that delete or overwrite every file they reach (`fs.unlinkSync(full)` inside
the walk, or a callback given at the call that writes its file): each call of such a walker is reported as a call of
`wipe-tree` with the folder it starts from, so a rule can tell a wiper started on the home folder or a filesystem
root (protestware, a destructive payload) from a build step that empties its own cache folder."""
from __future__ import annotations

import re

from ..facts import Call

_DEFS = re.compile(rb"\bfunction\s*\*?\s*([A-Za-z_$][\w$]*)\s*\(|\b(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*=\s*"
                   rb"(?:async\s+)?(?:function\b|\([^()]*\)\s*=>|[A-Za-z_$][\w$]*\s*=>)")
_LISTS = re.compile(rb"\breaddir(?:Sync)?\s*\(|\bopendir(?:Sync)?\s*\(")
_DESTROYS = re.compile(rb"\b(?:unlink|rm|rmdir|writeFile|truncate)(?:Sync)?\s*\(")
_FUNCTIONS = ("function_declaration", "generator_function_declaration", "arrow_function", "function_expression",
              "function")
MAX_DEFS = 64
MAX_BODY = 6000
MAX_CALLS = 16


def _walkers(values, source: bytes) -> dict:
    """{name: (function node, destroys inside)} of recursive folder walkers."""
    out = {}
    for count, match in enumerate(_DEFS.finditer(source)):
        if count >= MAX_DEFS:
            break
        group = 1 if match.group(1) else 2
        ident = values.scopes.locate(match.start(group), match.end(group))
        holder = ident.parent if ident is not None else None
        if holder is None:
            continue
        node = holder.child_by_field_name("value") if holder.type == "variable_declarator" else holder
        if node is None or node.type not in _FUNCTIONS or node.end_byte - node.start_byte > MAX_BODY:
            continue
        block = node.child_by_field_name("body")
        body = source[block.start_byte:block.end_byte] if block is not None else b""
        name = match.group(group)
        if not _LISTS.search(body) or not re.search(rb"(?<![\w$.])" + re.escape(name) + rb"\s*\(", body):
            continue
        out[name.decode("ascii", "replace")] = (node, bool(_DESTROYS.search(body)))
    return out


def wipe_calls(values, source: bytes) -> list:
    out = []
    for name, (function, destroys) in _walkers(values, source).items():
        values.scopes.index(name)
        found = 0
        for use in values.scopes.uses.get(name, ()):
            call = use.parent
            if call is None or call.type != "call_expression" or call.child_by_field_name("function") != use or \
                    function.start_byte <= call.start_byte < function.end_byte:
                continue
            args = [a for a in call.child_by_field_name("arguments").named_children if a.type != "comment"]
            given = destroys or any(a.type in _FUNCTIONS and _DESTROYS.search(a.text) for a in args[1:])
            if not args or not given:
                continue
            out.append(Call(callee="wipe-tree", args=(values.ev(args[0]),), line=call.start_point[0] + 1,
                            end_line=call.end_point[0] + 1, column=call.start_point[1] + 1, scope=-1))
            found += 1
            if found >= MAX_CALLS:
                break
    return out
