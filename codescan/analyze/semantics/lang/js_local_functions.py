"""Same-file named functions of a JS/TS file and the calls made to them from outside their own body: what helpers
that recurse (deep merges, folder walkers) are given at their call sites (lang/js_proto, lang/js_wipe)."""
from __future__ import annotations

import re
from itertools import islice

DEFS = re.compile(rb"\bfunction\s*+\*?\s*([A-Za-z_$][\w$]*)\s*\(|\b(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*=\s*"
                  rb"(?:async\s+)?(?:function\b|\([^()]*\)\s*=>|[A-Za-z_$][\w$]*\s*=>)")
FUNCTIONS = ("function_declaration", "generator_function_declaration", "arrow_function", "function_expression",
             "function")
MAX_DEFS = 64


def named_functions(values, source: bytes, max_body: int):
    """(name, function node, body text, calls itself) of the file's functions declared or bound to a name."""
    for match in islice(DEFS.finditer(source), MAX_DEFS):
        group = 1 if match.group(1) else 2
        ident = values.scopes.locate(match.start(group), match.end(group))
        holder = ident.parent if ident is not None else None
        if holder is None:
            continue
        node = holder.child_by_field_name("value") if holder.type == "variable_declarator" else holder
        if node is None or node.type not in FUNCTIONS or node.end_byte - node.start_byte > max_body:
            continue
        block = node.child_by_field_name("body")
        body = source[block.start_byte:block.end_byte] if block is not None else b""
        name = match.group(group)
        recursive = re.search(rb"(?<![\w$.])" + re.escape(name) + rb"\s*\(", body) is not None
        yield name.decode("ascii", "replace"), node, body, recursive


def outside_calls(values, name: str, function, limit: int) -> list:
    """The call nodes of `name(...)` outside the function's own body (its recursion left out), at most `limit`."""
    values.scopes.index(name)
    out = []
    for use in values.scopes.uses.get(name, ()):
        call = use.parent
        if call is None or call.type != "call_expression" or call.child_by_field_name("function") != use or \
                function.start_byte <= call.start_byte < function.end_byte:
            continue
        out.append(call)
        if len(out) >= limit:
            break
    return out
