"""A same-file function installed in place of an HTTP client's sending method: `requests.Session.send =
_wrap(Session.send)`, `urllib.request.OpenerDirector.open = _recording_open`, `setattr(HTTPConnection, "request", f)`.
The client hands it every request the program makes, with the headers that log in (Authorization, cookies, API
keys), so what its parameters carry is labelled like a browser extension's request listener in JavaScript
(`credential-file`): copied to a network call it is credentials leaving. A replacement that only logs, retries or
records into a local list sends nothing; forwarding to the original method is the client's own request."""
from __future__ import annotations

import re

from ..facts import Step, Value

# client classes and the methods every request of theirs goes through
_PATCHABLE = {
    "requests.Session": ("send", "request"), "requests.sessions.Session": ("send", "request"),
    "requests.adapters.HTTPAdapter": ("send",), "urllib.request.OpenerDirector": ("open",),
    "http.client.HTTPConnection": ("request", "putheader", "send", "endheaders"),
    "http.client.HTTPSConnection": ("request", "putheader", "send", "endheaders"),
    "urllib3.PoolManager": ("urlopen", "request"), "urllib3.poolmanager.PoolManager": ("urlopen", "request"),
    "urllib3.connectionpool.HTTPConnectionPool": ("urlopen",), "httpx.Client": ("send", "request"),
    "httpx.AsyncClient": ("send", "request"), "aiohttp.ClientSession": ("_request",),
}
_METHODS = frozenset(m for methods in _PATCHABLE.values() for m in methods)
# `X.send = f` / `X.open = f` (not `==`), or a setattr naming one of those methods
_INSTALL = re.compile(rb"\.(?:send|request|open|urlopen|putheader|endheaders|_request)\s*=(?!=)"
                      rb"|setattr\s*\([^)]*?['\"](?:send|request|open|urlopen|putheader|endheaders|_request)['\"]")
LABEL = "credential-file"
_TARGETS = frozenset(f"{cls}.{method}" for cls, methods in _PATCHABLE.items() for method in methods)
_NOTE = "every request sent through "


def intercepted(values, function, index: int) -> Value | None:
    """What parameter `index` of `function` receives when the file installs that function in place of an HTTP
    client's method (every request the program sends, its credentials among them), else None."""
    target = _installed(values).get(function.start_byte)
    if target is None:
        return None
    params = function.child_by_field_name("parameters")
    names = [p for p in params.named_children if p.type != "comment"] if params is not None else []
    first = names[0].text if names else b""
    if index == 0 and first in (b"self", b"cls"):
        return None  # the client object itself
    line = function.start_point[0] + 1
    return Value(labels=frozenset({LABEL}),
                 trace=(Step(line, f"{_NOTE}{target} (headers with the credentials) given to "
                                   f"the function installed in its place"),))


def forwarded(values, name: str, scope, given: list) -> list:
    """`given` (a call's argument values) as the client's own request when the installed function calls the very
    method it replaced (sentry-sdk: `real_send = Client.send` ... `Client.send = send`, whose body returns
    `real_send(self, request, **kwargs)`): the request goes where the program sent it, so what the interception
    alone put on it is no credential leaving. Data the function added from elsewhere keeps its labels."""
    if name not in _TARGETS or scope is None or _installed(values).get(scope.start_byte) != name:
        return given
    return [Value(v.const, v.labels - {LABEL}, v.name, v.via, v.trace, v.choices, v.text)
            if LABEL in v.labels and v.trace and all(step.note.startswith(_NOTE) for step in v.trace) else v
            for v in given]


def _installed(values) -> dict:
    installs = values._attributes.get(("intercepts",))
    if installs is None:
        installs = values._attributes[("intercepts",)] = _installs(values)
    return installs


def _installs(values) -> dict:
    """{start byte of a replacing function: "requests.Session.send"} for this file."""
    out: dict = {}
    source = values.source
    if not _INSTALL.search(source):
        return out
    for match in _INSTALL.finditer(source):
        node = values.root.descendant_for_byte_range(match.start(), match.start() + 1)
        while node is not None and node.type not in ("assignment", "call", "module", "function_definition"):
            node = node.parent
        if node is None or node.type in ("module", "function_definition"):
            continue
        if node.type == "assignment":
            left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
            if left is None or right is None or left.type != "attribute":
                continue
            owner, method = left.child_by_field_name("object"), left.child_by_field_name("attribute").text.decode()
        else:
            args = node.child_by_field_name("arguments")
            given = [a for a in args.named_children if a.type != "comment"] if args is not None else []
            if len(given) != 3 or given[1].type != "string":
                continue
            owner, right = given[0], given[2]
            method = given[1].text.decode("utf-8", "replace").strip("'\"rbu")
        if method not in _METHODS:
            continue
        cls = values.ev(owner).name or ""
        if method not in _PATCHABLE.get(cls, ()):
            continue
        installed = values.ev(right).name or ""
        if installed.startswith("<def:"):
            try:
                out[int(installed[5:-1])] = f"{cls}.{method}"
            except ValueError:
                continue
    return out
