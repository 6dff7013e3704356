"""What of a caller's data a parsed message keeps: `json.loads(x)` clears labels (the parsed values are data, not
the environment's or a file's text), except a client's own fields (web request, socket). Of a parameter, the
placeholder is kept as `param:<def>:<i>:client`: at each call site only the request and socket data the caller
passes take its place (`def handle(reader): msg = json.loads(reader.readline())` called with a connection)."""
from __future__ import annotations

from ..facts import Value

CLIENT_DATA = frozenset(("request", "socket"))
CLIENT_ONLY = ":client"


def client_params(labels) -> frozenset:
    """The parameter placeholders of `labels`, marked to stand for the client data a caller passes."""
    return frozenset(lab if lab.endswith(CLIENT_ONLY) else lab + CLIENT_ONLY
                     for lab in labels if lab.startswith("param:"))


def client_part(given: Value) -> Value:
    """A caller's argument put in a `:client` placeholder: only its request and socket data, and its own
    parameters (further out) as `:client` placeholders."""
    labels = (given.labels & CLIENT_DATA) | client_params(given.labels)
    return Value(given.const, labels, None, None, given.trace if labels else ())


def param_index(label: str, prefix: str) -> int:
    """i of `param:<def>:<i>` or `param:<def>:<i>:client` (prefix `param:<def>:`)."""
    return int(label[len(prefix):].split(":", 1)[0])
