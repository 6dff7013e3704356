"""A parameter that every same-file call fills with the same network client: `def configure(sess)` called as
`configure(session)` where `session = requests.Session()`, a method `_get(self, session, name)` called as
`self._get(session, n)` inside `async with aiohttp.ClientSession() as session`. The parameter is then that client
(`sess.headers.update(...)` is `requests.Session().headers.update`, `session.get(url)` a network read)."""
from __future__ import annotations

# the libraries whose client objects a helper is handed (a request session, a pool, a connection, a mail client)
_CLIENTS = ("requests.", "httpx.", "aiohttp.", "urllib3.", "http.client.", "smtplib.", "ftplib.", "paramiko.",
            "pycurl.", "websocket.", "websockets.")
CLIENT_HEADS = frozenset(c.split(".")[0] for c in _CLIENTS)
MAX_SITES = 8


def passed_at_sites(values, function, position: int, method: bool, limit: int) -> list | None:
    """The argument node at `position` of every same-file call of `function` (a method: `self.name(...)` calls, the
    position counted after self), or None when a site is not a plain call of it, lacks that argument, or there are
    more than `limit` sites."""
    from .python_callsites import _called_at
    from .python_calls import arguments
    named = function.child_by_field_name("name")
    passed = []
    for count, at in enumerate(_called_at(values.source, named.text)):
        node = values.scopes.locate(at, at + len(named.text)) if count < limit else None
        if node is not None and node.parent is not None and node.parent.type == "function_definition":
            continue  # the def itself
        callee = node
        if method and node is not None:
            holder = node.parent
            if holder.type != "attribute" or holder.child_by_field_name("object").text != b"self":
                return None  # the method called on another object: not known to be this class's
            callee = holder
        call = callee.parent if callee is not None else None
        if call is None or call.type != "call" or call.child_by_field_name("function") != callee:
            return None
        args, _keywords = arguments(call)
        if position >= len(args):
            return None
        passed.append(args[position])
    return passed


def client_passed(values, function, index: int) -> str | None:
    """The canonical name (`requests.Session()`) of the client object every same-file call of `function` passes
    as its parameter `index`, or None (no call site, another value at one of them, too many sites)."""
    named = function.child_by_field_name("name") if function.type == "function_definition" else None
    if named is None or function.parent is None:
        return None
    method = function.parent.type == "block" and function.parent.parent is not None and \
        function.parent.parent.type == "class_definition"
    if not method and function.parent.type != "module":
        return None
    position = index - 1 if method else index
    if position < 0 or not imports_client(values):
        return None
    key = ("client", function.start_byte, index)
    if key in values._attributes:
        return values._attributes[key]
    values._attributes[key] = None  # while computing (a call site inside the function itself)
    found = set()
    for arg in passed_at_sites(values, function, position, method, MAX_SITES * 2) or ():
        held = values.ev(arg)
        name = held.name or ""
        if not (name.endswith("()") and name.startswith(_CLIENTS)) or held.labels:
            return None
        found.add(name)
        if len(found) > 1:
            return None
    result = found.pop() if found else None
    values._attributes[key] = result
    return result


def imports_client(values) -> bool:
    """The file imports one of the network client modules (once per file): only then can a parameter be a client."""
    found = values._attributes.get(("client-imports",))
    if found is None:
        found = values._attributes[("client-imports",)] = any(
            (target or name).split(".")[0] in CLIENT_HEADS
            for name, places in values.scopes.imports.items() for _scope, target in places)
    return found
