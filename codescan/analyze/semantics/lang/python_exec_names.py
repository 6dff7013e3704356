"""A name bound by a code string that `exec` runs: `exec("first = request.args.get('name')")` then `first` read
below in the same function. The exec'd line is put in place of the exec statement (same indentation, same line)
and the read is evaluated in that text: what it holds comes from the outer file's imports and names as the
exec'd code would see them. Only a single-line code string, known as a constant, that assigns the name."""
from __future__ import annotations

import re

from ..facts import Value

MAX_EXECS = 8  # exec calls looked at before one read
MAX_CODE = 2_000  # characters of an exec'd code string inlined
MAX_INLINED = 4  # exec statements inlined per file


def exec_bound(values, node, name: str) -> Value | None:
    """The value of the unbound `name` read at `node`, as an earlier same-scope exec of a code string binds it."""
    if getattr(values, "inlined", False) or b"exec" not in values.source:
        return None
    scope = values.scopes.scope_of(node)
    low = 0 if scope is None else scope.start_byte
    source = values.source
    assigns = re.compile(r"(?:^|;)\s*" + re.escape(name) + r"\s*(?::[^=;]+)?=(?!=)")
    found = None
    pos, seen = source.find(b"exec", low, node.start_byte), 0
    while pos >= 0 and seen < MAX_EXECS:
        seen += 1
        statement = _exec_statement(values, pos)
        if statement is not None:
            code = values.ev(statement[1]).const
            if isinstance(code, str) and len(code) <= MAX_CODE and "\n" not in code.strip() and \
                    assigns.search(code) and values.scopes.scope_of(statement[0]) == scope:
                found = (statement[0], code.strip())
        pos = source.find(b"exec", pos + 4, node.start_byte)
    if found is None:
        return None
    statement, code = found
    shift = len(code.encode("utf-8")) - (statement.end_byte - statement.start_byte)
    other = _inlined(values, statement, code)
    if other is None:
        return None
    read = other.root.named_descendant_for_byte_range(node.start_byte + shift, node.end_byte + shift)
    if read is None or read.type != "identifier" or read.text != node.text:
        return None
    value = other.ev(read)
    line = statement.start_point[0] + 1
    return Value(value.const, value.labels, value.name, value.via, value.trace).with_step(
        line, f"{name} bound by the code string exec runs")


def _inlined(values, statement, code: str):
    """The evaluator of the file with the exec statement replaced by its code, made once per statement and at most
    MAX_INLINED times per file (each read of the name asks again: a file re-parsed per read cost the square)."""
    made = values.__dict__.setdefault("_inlined", {})
    if statement.start_byte in made:
        return made[statement.start_byte]
    if len(made) >= MAX_INLINED:
        return None
    from ...languages import parser
    from .python_values import PyValues
    source = values.source
    text = source[:statement.start_byte] + code.encode("utf-8") + source[statement.end_byte:]
    tree = parser("python").parse(text)
    other = made[statement.start_byte] = PyValues(text, tree.root_node, values.deadline)
    other.inlined = True
    return other


def _exec_statement(values, at: int):
    """(statement, code argument) when the text at `at` starts a statement `exec(<code>)` of builtins.exec."""
    node = values.scopes.locate(at, at + 4)
    if node is None or node.type != "identifier" or node.text != b"exec":
        return None
    call = node.parent
    if call is None or call.type != "call" or call.child_by_field_name("function") != node:
        return None
    statement = call.parent
    args = call.child_by_field_name("arguments")
    if statement is None or statement.type != "expression_statement" or args is None or not args.named_children:
        return None
    if values.ev(node).name != "builtins.exec":
        return None
    return statement, args.named_children[0]
