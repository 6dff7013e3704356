"""`ctx.verify_mode = X` / `ctx.check_hostname = X` / `session.verify = X` as the attribute sets they are: a `<ctx>.__setattr__` fact whose
keyword names the attribute (as `setattr(ctx, "verify_mode", X)` gives, python_setattr), so a rule sees the value
however it is computed (`ctx.verify_mode = _none()`, a helper's constant, a table). The keyword `side` says whose
context it is: `server` when the context was made for a server (ssl.PROTOCOL_TLS_SERVER, Purpose.CLIENT_AUTH),
where CERT_NONE only means clients are not asked for a certificate (the default), else `client`. An HTTP client's
`session.verify = VERIFY` is read the same way (`setattr(session, "verify", ...)` is that set too): the flag's value
from a constant, a settings table or an environment switch, not only a literal False."""
from __future__ import annotations

import re

from ..facts import Call, Value
from ..names import canonical

_SET = re.compile(rb"\.(verify_mode|check_hostname|verify)\s*=(?!=)")
_SERVER = re.compile(rb"PROTOCOL_TLS_SERVER|Purpose\.CLIENT_AUTH|CLIENT_AUTH\b")
MAX_SETS = 64


def tls_sets(facts) -> list:
    source = facts.source
    if b".verify" not in source and b".check_hostname" not in source:
        return []
    values, out = facts.values, []
    for match in list(_SET.finditer(source))[:MAX_SETS]:
        node = values.root.descendant_for_byte_range(match.start(), match.start() + 1)
        while node is not None and node.type not in ("assignment", "expression_statement", "module"):
            node = node.parent
        if node is None or node.type != "assignment":
            continue
        left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
        if left is None or right is None or left.type != "attribute":
            continue
        owner = left.child_by_field_name("object")
        receiver = values.ev(owner)
        callee = canonical(receiver.name + ".__setattr__") if receiver.name else None
        if not callee or not facts.wanted.wants(callee):
            continue
        line = node.start_point[0] + 1
        scope = values.scopes.scope_of(node)
        attr = match.group(1).decode()
        side = Value("server" if _made_for_server(values, owner) else "client")
        out.append(Call(callee=callee, args=(), kwargs=((attr, facts._argument(right)), ("side", side)), line=line,
                        end_line=node.end_point[0] + 1, column=node.start_point[1] + 1,
                        scope=-1 if scope is None else scope.start_byte, receiver=receiver, kwlines=(line, line)))
    return out


def _made_for_server(values, owner) -> bool:
    """The context `owner` names was created, in this scope, by a call naming the server side."""
    if owner.type != "identifier":
        return False
    entries = values.scopes.entries(owner)
    if not entries or len(entries) != 1 or entries[0][0] != "assign" or entries[0][1] is None:
        return False
    made = entries[0][1]
    return made.type == "call" and _SERVER.search(made.text) is not None
