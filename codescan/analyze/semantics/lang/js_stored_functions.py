"""Functions kept in a table and called through a lookup: `actions.set('shell', (a) => cp.execSync(a))` then
`actions.get(name)(arg)` or `const h = HANDLERS[name]; h(arg)`. The call sites of such a lookup are call sites of every
function stored there (a request's data handed to the looked-up function reaches each one's sinks)."""
from __future__ import annotations

import re
from itertools import islice

MAX_SITES = 8
_FUNCTIONS = frozenset(("arrow_function", "function_expression", "function"))


def stored_function_sites(values, function, source: bytes) -> list:
    """The call expressions that may call `function` through the table it is stored in, or []."""
    if function is None or function.type not in _FUNCTIONS:
        return []
    table, by_get = _table_of(function)
    if table is None:
        return []
    looked = rb"(?<![\w$.])" + re.escape(table) + (rb"\s*\.\s*get\s*\(" if by_get else rb"\s*(?:\?\.)?\[")
    sites = []
    for match in islice(re.finditer(looked, source), 16):
        ident = values.scopes.locate(match.start(), match.start() + len(table))
        lookup = ident.parent if ident is not None else None
        if lookup is not None and by_get:
            lookup = lookup.parent if lookup.type == "member_expression" else None
        if lookup is None or lookup.type != ("call_expression" if by_get else "subscript_expression"):
            continue
        holder = lookup.parent
        if holder is not None and holder.type == "call_expression" and holder.child_by_field_name("function") == lookup:
            sites.append(holder)  # TABLE.get(name)(arg), TABLE[name](arg)
        elif holder is not None and holder.type == "variable_declarator" and \
                holder.child_by_field_name("value") == lookup:
            name = holder.child_by_field_name("name")
            if name is not None and name.type == "identifier":
                sites.extend(_calls_of(values, name.text, source))  # const h = TABLE.get(name); h(arg)
        if len(sites) >= MAX_SITES:
            break
    return sites[:MAX_SITES]


def _table_of(function):
    """(name of the table `function` is stored in, stored by Map.set) or (None, False)."""
    parent = function.parent
    if parent is not None and parent.type == "arguments":
        call = parent.parent
        fn = call.child_by_field_name("function") if call is not None and call.type == "call_expression" else None
        args = [c for c in parent.named_children if c.type != "comment"]
        if fn is not None and fn.type == "member_expression" and fn.child_by_field_name("property").text == b"set" \
                and len(args) == 2 and args[1] == function:
            obj = fn.child_by_field_name("object")
            if obj.type == "identifier":
                return obj.text, True
        return None, False
    if parent is not None and parent.type == "pair" and parent.child_by_field_name("value") == function:
        literal = parent.parent
        holder = literal.parent if literal is not None and literal.type == "object" else None
        if holder is not None and holder.type == "variable_declarator" and holder.child_by_field_name("value") == literal:
            name = holder.child_by_field_name("name")
            if name is not None and name.type == "identifier":
                return name.text, False
    return None, False


def _calls_of(values, name: bytes, source: bytes) -> list:
    out = []
    for match in islice(re.finditer(rb"(?<![\w$.])" + re.escape(name) + rb"\s*(?:\?\.)?\s*\(", source), MAX_SITES):
        ident = values.scopes.locate(match.start(), match.start() + len(name))
        site = ident.parent if ident is not None else None
        if site is not None and site.type == "call_expression" and site.child_by_field_name("function") == ident:
            out.append(site)
    return out
