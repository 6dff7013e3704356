"""Files a constant path names in several places (JavaScript and Python): the writes of network data to a
constant path in a file, and a later command that names that path where it runs."""
from __future__ import annotations

import re

from ... import budget as budgets
from ..facts import Value, merge

MAX_WRITES = 16  # writes of network data kept per file
MAX_TRIED = 256  # write calls looked at per file (each is evaluated): 10,000 open() calls cost no more
MIN_PATH = 4  # shorter constants ("a", "./") are not taken for a file's name
# where a command runs the file it names: as the command, or given to chmod or an interpreter
RUN_AT = r"(?:^|[;&|(]\s*|\b(?:chmod\s+(?:-\w+\s+)*\S+|sh|bash|zsh|dash|node|python[\d.]*|perl|ruby|exec|nohup|" \
         r"start|sudo|env|cmd(?:\.exe)?\s+/[ck]|powershell(?:\.exe)?(?:\s+-\w+)*)\s+)[\"']?"


def constant_writes(values, pattern: re.Pattern, words: tuple, args_type: str, write_at) -> list:
    """(path text, write call, data written) for each match of `pattern` (ending in the call's `(`) that
    `write_at(call, word)` takes for a write of network data to a constant path; memoized on `values`."""
    found = getattr(values, "_const_writes", None)
    if found is not None:
        return found
    found = []
    source = values.source
    if any(word in source for word in words):
        for tried, match in enumerate(pattern.finditer(source)):
            if len(found) >= MAX_WRITES or tried >= MAX_TRIED:
                break
            budgets.tick()
            open_at = match.end() - 1
            node = values.scopes.root.descendant_for_byte_range(open_at, open_at + 1)
            args = node.parent if node is not None else None
            if args is None or args.type != args_type or not args.named_children or args.parent is None:
                continue
            write = write_at(args.parent, match.group().split(b"(")[0].strip())
            if write is not None:
                found.append(write)
    values._const_writes = found
    return found


def runs_path(text: str, path: str) -> bool:
    """`text`, a command, runs the file `path` (or makes it runnable): `tar -xf /tmp/a` only reads it."""
    return text == path or re.search(RUN_AT + re.escape(path) + r"[\"']?(?:$|[\s;&|)])", text) is not None


def with_writes(arg: Value, call, writes: list, runs) -> Value:
    """`arg` with the data of each earlier write whose path `runs(path)` says the command runs."""
    hits = []
    for path, write, data in writes:
        if write.start_byte >= call.start_byte or not runs(path):
            continue
        hits.append(data.with_step(call.start_point[0] + 1,
                                   f"the path {path} written at line {write.start_point[0] + 1}"))
    if not hits:
        return arg
    joined = merge([arg, *hits])
    return Value(arg.const, joined.labels, arg.name, arg.via, joined.trace)
