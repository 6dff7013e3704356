"""The program of a JavaScript child process whose standard streams a match wires to a socket (`tar.stdout.pipe(sock)`,
`sock.pipe(proc.stdin)`): when the process was started in this file with a fixed program that is not a shell or an
interpreter (`spawn('tar', ['-czf', '-', dir])`), the socket gets that program's output or feeds its input, not a
command line. A rule's `harmless_program` grade applies to such a match (analyze/document._emit); a shell, an
interpreter, a program chosen at run time or a process not found here keeps the rule's severity."""
from __future__ import annotations

import re

# programs that read commands or code: a socket on their streams is a remote console
_CONSOLES = re.compile(
    r"(?i)^(?:(?:ba|da|z|k|c|tc|fi|a)?sh|cmd|command|powershell|pwsh|python[\d.]*|py|node|nodejs|deno|bun|perl|ruby|"
    r"irb|php|lua|tclsh|wish|osascript|nc|ncat|netcat|socat|telnet|ssh|busybox|env|script|expect|gdb|r|rscript|julia|"
    r"java|jshell|scala|ghci|erl|iex|mysql|psql|sqlite3|redis-cli|mongo|mongosh)$")
_STARTERS = re.compile(r"(?:^|\.)(?:spawn|spawnSync|execFile|fork)$")
_BLOCKS = ("statement_block", "program", "switch_case", "class_body")
MAX_HOPS = 2  # same-file functions that return the process, followed this deep


def harmless(node) -> str | None:
    """The fixed, non-console program of the process the match (a `.pipe(...)` call) wires to a socket, or None."""
    process = _process_name(node)
    if process is None:
        return None
    return _program(_binding(node, process), MAX_HOPS)


def _process_name(call):
    """X in `X.stdout.pipe(s)` / `X.stderr.pipe(s)` / `s.pipe(X.stdin)`."""
    if call is None or call.type != "call_expression":
        return None
    fn = call.child_by_field_name("function")
    if fn is None or fn.type != "member_expression":
        return None
    holder = fn.child_by_field_name("object")
    if holder is not None and holder.type == "member_expression" and \
            holder.child_by_field_name("property").text in (b"stdout", b"stderr"):
        inner = holder.child_by_field_name("object")
        return inner if inner.type == "identifier" else None
    args = call.child_by_field_name("arguments")
    first = args.named_children[0] if args is not None and args.named_children else None
    if first is not None and first.type == "member_expression" and \
            first.child_by_field_name("property").text == b"stdin":
        inner = first.child_by_field_name("object")
        return inner if inner.type == "identifier" else None
    return None


def _binding(use, name):
    """The value a `const/let/var name = ...` declared before `use`, in a block around it, holds (None: not found)."""
    block = use.parent
    while block is not None:
        if block.type in _BLOCKS:
            for child in block.named_children:
                if child.start_byte > use.start_byte:
                    break
                if child.type not in ("lexical_declaration", "variable_declaration"):
                    continue
                for declarator in child.named_children:
                    target = declarator.child_by_field_name("name")
                    if target is not None and target.text == name.text:
                        return declarator.child_by_field_name("value")
        block = block.parent
    return None


def _program(value, hops: int) -> str | None:
    """The fixed program a `spawn('tar', ...)`-like call (or a same-file function returning one) starts, when it is
    not a console; None otherwise."""
    while value is not None and value.type in ("await_expression", "parenthesized_expression"):
        value = value.named_children[0] if value.named_children else None
    if value is None or value.type != "call_expression":
        return None
    fn = value.child_by_field_name("function")
    args = value.child_by_field_name("arguments")
    if fn is None or args is None:
        return None
    if _STARTERS.search(fn.text.decode("utf-8", "replace")):
        first = next((a for a in args.named_children if a.type != "comment"), None)
        if first is None or first.type != "string" or any(c.type == "escape_sequence" for c in first.named_children):
            return None
        program = first.text.decode("utf-8", "replace")[1:-1]
        base = re.sub(r"(?i)\.exe$", "", program.replace("\\", "/").rsplit("/", 1)[-1])
        return None if not base or _CONSOLES.match(base) else program
    if fn.type == "identifier" and hops > 0:  # const tar = tarball(dir): what tarball returns
        function = _function_named(value, fn.text)
        for returned in _returns(function):
            program = _program(returned if returned.type != "identifier" else _binding(returned, returned), hops - 1)
            if program is not None:
                return program
    return None


def _function_named(node, name: bytes):
    """A function declared at the top of the program under `name`."""
    root = node
    while root.parent is not None:
        root = root.parent
    for child in root.named_children:
        if child.type == "function_declaration" and child.child_by_field_name("name").text == name:
            return child
    return None


def _returns(function) -> list:
    """The values the body of `function` returns at its own top level (one or two: `return spawn(...)`)."""
    body = function.child_by_field_name("body") if function is not None else None
    if body is None:
        return []
    out = []
    for statement in body.named_children:
        if statement.type == "return_statement" and statement.named_children:
            out.append(statement.named_children[0])
    return out[:2]
