"""Assignments into the process environment as facts: `process.env.X = v`, `process.env[k] = v` (key and value
however built) become the call `process.env(key, value)` a rule can read."""
from __future__ import annotations

import re

from ..facts import Call, Value

ENV_SET = "process.env"  # (a pseudo-callee: its last word, env, is what gates the layer on a file)
_ASSIGNED = re.compile(rb"env\s*(?:\[[^\]\n]{1,200}\]|\.\s*[A-Za-z_$][\w$]*)\s*=(?![=>])")
MAX_SETS = 32


def env_sets(values, source: bytes) -> list:
    """One Call per assignment whose target's object is the process environment."""
    out: list = []
    if b"env" not in source:
        return out
    for match in _ASSIGNED.finditer(source):
        if len(out) >= MAX_SETS:
            break
        node = values.scopes.locate(match.start(), match.start() + 3)
        for _ in range(4):  # env -> process.env -> process.env.X, whose parent is the assignment
            parent = node.parent if node is not None else None
            if parent is None or parent.type == "assignment_expression":
                break
            node = parent
        assign = node.parent if node is not None else None
        if assign is None or assign.type != "assignment_expression" or assign.child_by_field_name("left") != node \
                or node.type not in ("member_expression", "subscript_expression"):
            continue
        holder = values.ev(node.child_by_field_name("object"))
        if holder.name not in ("process.env",):
            continue
        if node.type == "member_expression":
            key = Value(node.child_by_field_name("property").text.decode("utf-8", "replace"))
        else:
            key = values.ev(node.child_by_field_name("index"))
        value = values.ev(assign.child_by_field_name("right"))
        scope = assign.parent
        while scope is not None and scope.type not in ("function_declaration", "function_expression",
                                                       "arrow_function", "method_definition", "function"):
            scope = scope.parent
        out.append(Call(callee=ENV_SET, args=(key, value), line=assign.start_point[0] + 1,
                        end_line=assign.end_point[0] + 1, column=assign.start_point[1] + 1,
                        scope=-1 if scope is None else scope.start_byte))
    return out
