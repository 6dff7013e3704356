"""A hash object fed on its own lines: `const h = crypto.createHash('sha1'); h.update(salt); h.update(password)`.
Each `h.update(...)` is reported as a call of `crypto.createHash` with the algorithm, on the update's line, so the
rules that read the hashed data's words on the call's line (js-weak-hash-for-password) see what it hashes."""
from __future__ import annotations

import re
from itertools import islice

from ..facts import Call

CREATE = re.compile(rb"\bcreateHash\s*\(")
MAX_HASHES = 32  # createHash calls looked at in a file
MAX_UPDATES = 8  # update() calls of one hash object


def split_updates(values, source: bytes) -> list:
    out = []
    for match in islice(CREATE.finditer(source), MAX_HASHES):
        node = values.scopes.locate(match.start(), match.start() + 10)
        call = node
        while call is not None and call.type not in ("call_expression",):
            call = call.parent
        holder = call.parent if call is not None else None
        if holder is None or holder.type != "variable_declarator" or holder.child_by_field_name("value") != call:
            continue
        name_node = holder.child_by_field_name("name")
        if name_node is None or name_node.type != "identifier":
            continue
        if values.ev(call.child_by_field_name("function")).name != "crypto.createHash":
            continue
        args = [a for a in call.child_by_field_name("arguments").named_children if a.type != "comment"]
        if not args:
            continue
        algorithm = values.ev(args[0])
        name = name_node.text.decode("utf-8", "replace")
        values.scopes.index(name)
        found = 0
        for use in values.scopes.uses.get(name, ()):
            member = use.parent
            update = member.parent if member is not None else None
            if member is None or member.type != "member_expression" or member.child_by_field_name("object") != use \
                    or member.child_by_field_name("property").text != b"update" or update is None or \
                    update.type != "call_expression" or use.start_byte < holder.end_byte:
                continue
            if values.scopes.bindings(use) != values.scopes.bindings(name_node):
                continue  # another function's own `h`
            out.append(Call.at(update, "crypto.createHash", (algorithm,)))
            found += 1
            if found >= MAX_UPDATES:
                break
    return out
