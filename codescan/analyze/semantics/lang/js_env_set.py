"""Assignments into the process environment as facts: `process.env.X = v`, `process.env[k] = v` (key and value
however built), and each key of an object merged into it (`Object.assign(process.env, {X: v})`, also an object held
in a variable declared around the call) become the call `process.env(key, value)` a rule can read; so do the entries
of a table copied in key by key and of an object that is an environment (`lang/js_env_entries.py`)."""
from __future__ import annotations

import re

from ..constants import UNKNOWN
from ..facts import Call, Value
from .js_env_entries import entry_sets, literal_sets, object_of
from .js_property_paths import path_sets

ENV_SET = "process.env"  # (a pseudo-callee: its last word, env, is what gates the layer on a file)
# process.env.X = v / process.env[k] = v / process.env = {...}, and `...process.env` (an environment object)
_ASSIGNED = re.compile(rb"env\s*(?:\[[^\]\n]{1,200}\]|\.\s*[A-Za-z_$][\w$]*)?\s*=(?![=>])|\.\.\.\s*process\s*\.\s*env\b|"
                      rb"\b[sS]et(?:Property)?\s*\(\s*process\s*\.\s*env\s*,")  # _.set(process.env, 'K', v)
MAX_SETS = 32
_MERGED = re.compile(rb"Object\s*\.\s*assign\s*\(\s*(?:globalThis\s*\.\s*|global\s*\.\s*)?process\s*\.\s*env\s*,")


def env_sets(values, source: bytes) -> list:
    """One Call per assignment whose target's object is the process environment."""
    out: list = []
    if b"env" not in source:
        return out
    for match in _ASSIGNED.finditer(source):
        if len(out) >= MAX_SETS:
            break
        if match.group().startswith(b"..."):  # { ...process.env, K: v }: its own entries are settings
            out.extend(_spread_sets(values, match, MAX_SETS - len(out)))
            continue
        if not match.group().startswith(b"env"):  # a property-path setter given the environment
            out.extend(path_sets(values, ENV_SET, values.scopes.locate(match.start(), match.start() + 3)))
            continue
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
        if holder.name == "process" and node.type == "member_expression" and \
                node.child_by_field_name("property").text == b"env":  # process.env = { ... }
            right = object_of(assign.child_by_field_name("right"))
            out.extend(literal_sets(values, ENV_SET, right, MAX_SETS - len(out)))
            continue
        if holder.name not in ("process.env",):
            continue
        if node.type == "member_expression":
            key = Value(node.child_by_field_name("property").text.decode("utf-8", "replace"))
        else:
            key = values.ev(node.child_by_field_name("index"))
        if key.const is UNKNOWN and node.type == "subscript_expression":  # process.env[k] = v, k walks a table
            walked = entry_sets(values, ENV_SET, assign, node.child_by_field_name("index"), MAX_SETS - len(out))
            if walked:
                out.extend(walked)
                continue
        value = values.ev(assign.child_by_field_name("right"))
        scope = assign.parent
        while scope is not None and scope.type not in ("function_declaration", "function_expression",
                                                       "arrow_function", "method_definition", "function"):
            scope = scope.parent
        out.append(Call(callee=ENV_SET, args=(key, value), line=assign.start_point[0] + 1,
                        end_line=assign.end_point[0] + 1, column=assign.start_point[1] + 1,
                        scope=-1 if scope is None else scope.start_byte))
    if b"assign" in source:
        out.extend(_merged(values, source, MAX_SETS - len(out)))
    return out


def _spread_sets(values, match, room: int) -> list:
    """The entries of the object literal a `...process.env` spread sits in."""
    node = values.scopes.locate(match.start(), match.start() + 3)
    while node is not None and node.type != "spread_element":
        node = node.parent
    literal = node.parent if node is not None else None
    if literal is None or literal.type != "object":
        return []
    return literal_sets(values, ENV_SET, literal, room)


def _merged(values, source: bytes, room: int) -> list:
    """`Object.assign(process.env, {K: v}, other)`: one set per key of each object literal merged in."""
    out: list = []
    for match in _MERGED.finditer(source):
        node = values.scopes.locate(match.start(), match.start() + 6)
        call = node
        while call is not None and call.type != "call_expression":
            call = call.parent
        args = call.child_by_field_name("arguments") if call is not None else None
        if args is None:
            continue
        for merged in [a for a in args.named_children if a.type != "comment"][1:]:
            literal = object_of(merged)
            for pair in literal.named_children if literal is not None else ():
                if len(out) >= room:
                    return out
                if pair.type != "pair":
                    continue
                name = pair.child_by_field_name("key")
                key = Value(name.text.decode("utf-8", "replace").strip("'\"`")) if name.type in (
                    "property_identifier", "string") else values.ev(name)
                out.append(Call(callee=ENV_SET, args=(key, values.ev(pair.child_by_field_name("value"))),
                                line=pair.start_point[0] + 1, end_line=pair.end_point[0] + 1,
                                column=pair.start_point[1] + 1, scope=-1))
    return out
