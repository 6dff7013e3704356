"""JavaScript files named by the same constant path in several places: a path written with network data
(`fs.writeFileSync('/tmp/.tool', Buffer.concat(parts))`) and later run or made executable by its text
(`execFileSync('/tmp/.tool')`, `exec('chmod +x /tmp/.tool && /tmp/.tool')`)."""
from __future__ import annotations

import re

from ..facts import Value, merge
from .js_callbacks import written_file

# callees that run (or make runnable) the file their first argument names
RUNNERS = frozenset({"child_process.exec", "child_process.execSync", "child_process.execFile",
                     "child_process.execFileSync", "child_process.spawn", "child_process.spawnSync",
                     "child_process.fork", "fs.chmodSync", "fs.chmod", "fs.promises.chmod"})
_SHELLS = frozenset({"child_process.exec", "child_process.execSync"})
# where a command line runs the file it names: as the command, or given to chmod or an interpreter
_RUN_AT = r"(?:^|[;&|(]\s*|\b(?:chmod\s+(?:-\w+\s+)*\S+|sh|bash|zsh|node|python3?|perl|ruby|exec|nohup|start)\s+)[\"']?"
_WRITES = re.compile(rb"\b(?:writeFileSync|writeFile|appendFileSync|appendFile|createWriteStream)\s*\(")
_WORDS = (b"writeFile", b"appendFile", b"createWriteStream")
MAX_WRITES = 16
MIN_PATH = 4  # shorter constants ("a", "./") are not taken for a file's name


def _writes(values) -> list:
    """(path text, write call, data written) for each write in the file whose path is a constant; memoized."""
    found = getattr(values, "_const_writes", None)
    if found is not None:
        return found
    found = []
    source = values.source
    if any(word in source for word in _WORDS):
        for match in _WRITES.finditer(source):
            if len(found) >= MAX_WRITES:
                break
            open_at = match.end() - 1
            node = values.scopes.root.descendant_for_byte_range(open_at, open_at + 1)
            args = node.parent if node is not None else None
            if args is None or args.type != "arguments" or not args.named_children:
                continue
            first = args.named_children[0]
            path = values.ev(first)
            if not isinstance(path.const, str) or len(path.const) < MIN_PATH:
                continue
            data = written_file(values, path.const, first)
            if data.labels:
                found.append((path.const, args.parent, data))
    values._const_writes = found
    return found


def linked(values, callee: str, call, arg: Value) -> Value:
    """`arg` (a runner's first argument) with the data of a download written earlier to the path its text names."""
    if callee not in RUNNERS or not isinstance(arg.const, str) or "downloaded" in arg.labels:
        return arg
    text = arg.const
    hits = []
    for path, write, data in _writes(values):
        if write.start_byte >= call.start_byte or path not in text:
            continue
        if path != text and not (callee in _SHELLS and re.search(_RUN_AT + re.escape(path) + r"[\"']?(?:$|[\s;&|])",
                                                                text)):
            continue  # `exec('unzip /tmp/a.zip')` reads the file; `exec('chmod +x /tmp/t && /tmp/t')` runs it
        hits.append(data.with_step(call.start_point[0] + 1,
                                   f"the path {path} written at line {write.start_point[0] + 1}"))
    if not hits:
        return arg
    joined = merge([arg, *hits])
    return Value(arg.const, joined.labels, arg.name, arg.via, joined.trace)
