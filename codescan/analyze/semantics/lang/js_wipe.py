"""Same-file recursive folder walkers that delete or overwrite every file they reach (`fs.unlinkSync(full)` inside
the walk, or a callback given at the call that writes its file): each call of such a walker is reported as a call of
`wipe-tree` with the folder it starts from, so a rule can tell a wiper started on the home folder or a filesystem
root (protestware, a destructive payload) from a build step that empties its own cache folder."""
from __future__ import annotations

import re

from ..facts import Call
from .js_local_functions import FUNCTIONS, named_functions, outside_calls

_LISTS = re.compile(rb"\breaddir(?:Sync)?\s*\(|\bopendir(?:Sync)?\s*\(")
_DESTROYS = re.compile(rb"\b(?:unlink|rm|rmdir|writeFile|truncate)(?:Sync)?\s*\(")
MAX_BODY = 6000
MAX_CALLS = 16


def _walkers(values, source: bytes) -> dict:
    """{name: (function node, destroys inside)} of recursive folder walkers."""
    return {name: (node, bool(_DESTROYS.search(body)))
            for name, node, body, recursive in named_functions(values, source, MAX_BODY)
            if recursive and _LISTS.search(body)}


def wipe_calls(values, source: bytes) -> list:
    out = []
    for name, (function, destroys) in _walkers(values, source).items():
        for call in outside_calls(values, name, function, MAX_CALLS):
            args = [a for a in call.child_by_field_name("arguments").named_children if a.type != "comment"]
            if not args or not (destroys or any(a.type in FUNCTIONS and _DESTROYS.search(a.text) for a in args[1:])):
                continue
            out.append(Call.at(call, "wipe-tree", (values.ev(args[0]),)))
    return out
