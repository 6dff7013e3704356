"""What a Python program writes to a child process's standard input: `Popen(...).communicate(x)`, `p.stdin.write(x)`,
`os.popen(cmd, "w").write(x)`."""
from __future__ import annotations

import re

from ..facts import Value, merge

MAX_FEEDS = 8  # writes to one process's standard input looked at
_FEED = r"\s*\.\s*(?:communicate|stdin\s*\.\s*write(?:lines)?)\s*\("
_PIPE_FEED = r"\s*\.\s*write(?:lines)?\s*\("  # os.popen(cmd, "w"): the pipe object is the child's standard input


def fed_input(values, node, pipe: bool = False) -> tuple[Value, int] | None:
    """For a `subprocess.Popen(...)` call node: what the code then writes to that process's standard input (the
    same data `subprocess.run(..., input=x)` gives it), as one value, and the line of the first write; None when
    nothing is written. Followed: a `.communicate(x)` chained on the call, and `p.communicate(x)` /
    `p.stdin.write(x)` / `p.stdin.writelines(x)` on the name the process is bound to (`p = Popen(...)`,
    `with Popen(...) as p:`), later in the same function; with `pipe`, os.popen(cmd, "w") and its `.write(x)`."""
    if pipe and not _write_mode(values, node):
        return None  # os.popen(cmd) reads the command's output
    parent = node.parent
    if parent is not None and parent.type == "attribute" and parent.child_by_field_name("object") == node and \
            parent.child_by_field_name("attribute").text in ((b"write", b"writelines") if pipe else (b"communicate",)) \
            and parent.parent is not None and parent.parent.type == "call":
        data = _written(values, parent.parent)
        return None if data is None else (data, parent.parent.start_point[0] + 1)
    name = _bound_name(node)
    if name is None:
        return None
    scope = values.scopes.scope_of(node)
    end = scope.end_byte if scope is not None else len(values.source)
    pattern = re.compile(rb"(?<![\w.])" + re.escape(name) + (_PIPE_FEED if pipe else _FEED).encode())
    found, line = [], 0
    for match in pattern.finditer(values.source, node.end_byte, end):
        ident = values.scopes.locate(match.start(), match.start() + len(name))
        call = _call_above(ident)
        if call is None:
            continue
        data = _written(values, call)
        if data is not None:
            found.append(data)
            line = line or call.start_point[0] + 1
        if len(found) >= MAX_FEEDS:
            break
    if not found:
        return None
    if len(found) == 1:
        return found[0], line
    texts = [v.const for v in found]
    const = "".join(texts) if all(isinstance(t, str) for t in texts) else \
        b"".join(texts) if all(isinstance(t, bytes) for t in texts) else None
    return (merge(found) if const is None else merge(found, const)), line


def _bound_name(node) -> bytes | None:
    """`p` in `p = Popen(...)`, `with Popen(...) as p:` and `p = await create_subprocess_exec(...)`."""
    parent = node.parent
    if parent is not None and parent.type == "await":
        node, parent = parent, parent.parent
    if parent is None:
        return None
    if parent.type == "assignment" and parent.child_by_field_name("right") == node:
        left = parent.child_by_field_name("left")
        return left.text if left is not None and left.type == "identifier" else None
    if parent.type == "as_pattern" and parent.child_by_field_name("alias") is not None:
        alias = parent.child_by_field_name("alias")
        target = alias.named_children[0] if alias.named_children else None
        return target.text if target is not None and target.type == "identifier" else None
    return None


def _call_above(ident):
    """The call `p.communicate(...)` / `p.stdin.write(...)` whose callee starts at identifier `ident`."""
    if ident is None or ident.type != "identifier":
        return None
    current = ident
    for _ in range(3):
        parent = current.parent
        if parent is None:
            return None
        if parent.type == "call" and parent.child_by_field_name("function") == current:
            return parent
        if parent.type != "attribute" or parent.child_by_field_name("object") != current:
            return None
        current = parent
    return None


def _written(values, call) -> Value | None:
    """The data a feeding call writes: its first argument or its `input=` keyword."""
    args = call.child_by_field_name("arguments")
    if args is None or args.type != "argument_list":
        return None
    for child in args.named_children:
        if child.type == "keyword_argument":
            name = child.child_by_field_name("name")
            if name is not None and name.text == b"input":
                return values.ev(child.child_by_field_name("value"))
        elif child.type != "comment":
            return values.ev(child)
    return None


def _write_mode(values, node) -> bool:
    """os.popen(cmd, "w") / os.popen(cmd, mode="w"): a pipe to the command's standard input."""
    args = node.child_by_field_name("arguments")
    given = [c for c in args.named_children if c.type != "comment"] if args is not None else []
    for i, child in enumerate(given):
        if child.type == "keyword_argument":
            key = child.child_by_field_name("name")
            if key is not None and key.text == b"mode":
                return str(values.ev(child.child_by_field_name("value")).const).startswith("w")
        elif i == 1:
            return str(values.ev(child).const).startswith("w")
    return False
