"""JavaScript files named by the same constant path in several places: a path written with network data
(`fs.writeFileSync('/tmp/.tool', Buffer.concat(parts))`) and later run or made executable by its text
(`execFileSync('/tmp/.tool')`, `exec('chmod +x /tmp/.tool && /tmp/.tool')`)."""
from __future__ import annotations

import re

from ..facts import Value
from .js_callbacks import written_file
from .written_paths import MIN_PATH, constant_writes, runs_path, with_writes

# callees that run (or make runnable) the file their first argument names
RUNNERS = frozenset({"child_process.exec", "child_process.execSync", "child_process.execFile",
                     "child_process.execFileSync", "child_process.spawn", "child_process.spawnSync",
                     "child_process.fork", "fs.chmodSync", "fs.chmod", "fs.promises.chmod"})
_SHELLS = frozenset({"child_process.exec", "child_process.execSync"})
_WRITES = re.compile(rb"\b(?:writeFileSync|writeFile|appendFileSync|appendFile|createWriteStream)\s*\(")
_WORDS = (b"writeFile", b"appendFile", b"createWriteStream")


def _write_at(values, call, _word):
    first = call.child_by_field_name("arguments").named_children[0]
    path = values.ev(first)
    if not isinstance(path.const, str) or len(path.const) < MIN_PATH:
        return None
    data = written_file(values, path.const, first)
    return (path.const, call, data) if data.labels else None


def linked(values, callee: str, call, arg: Value) -> Value:
    """`arg` (a runner's first argument) with the data of a download written earlier to the path its text names."""
    if callee not in RUNNERS or not isinstance(arg.const, str) or "downloaded" in arg.labels:
        return arg
    text = arg.const
    writes = constant_writes(values, _WRITES, _WORDS, "arguments", lambda call, word: _write_at(values, call, word))
    # `exec('unzip /tmp/a.zip')` reads the file; `exec('chmod +x /tmp/t && /tmp/t')` runs it
    return with_writes(arg, call, writes, lambda path: path == text or path in text and callee in _SHELLS and
                       runs_path(text, path))
