"""What of a caller's data a parsed message keeps, and switches read from settings with an "off" default: `json.loads(x)` clears labels (the parsed values are data, not
the environment's or a file's text), except a client's own fields (web request, socket). Of a parameter, the
placeholder is kept as `param:<def>:<i>:client`: at each call site only the request and socket data the caller
passes take its place (`def handle(reader): msg = json.loads(reader.readline())` called with a connection)."""
from __future__ import annotations

import re

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


# a settings object read with a switch's default: `settings.get("JWT_VERIFY", False)`, `config.get("verify", 0)`
_SETTINGS = re.compile(rb"(?i)(?:^|[._])(?:settings|config|conf|cfg|options|opts|env)$")


def off_by_default(fn, arg_values) -> bool:
    """`<settings>.get(key, False)` (or 0): the switch is off unless the deployment sets it, like
    os.getenv("VERIFY_TLS", False) (label `off-by-default`, python_calls)."""
    if fn.type != "attribute" or fn.child_by_field_name("attribute").text != b"get" or len(arg_values) != 2:
        return False
    default = arg_values[1].const
    if isinstance(default, (str, bytes)) or default is None or not isinstance(default, (bool, int)) or default:
        return False
    return _SETTINGS.search(fn.child_by_field_name("object").text) is not None


def getattr_off_by_default(holder_node, default) -> bool:
    """`getattr(settings, "VERIFY_TLS", False)` (or 0): a settings object's switch, off unless the deployment sets it."""
    if isinstance(default, (str, bytes)) or default is None or not isinstance(default, (bool, int)) or default:
        return False
    return holder_node.type in ("identifier", "attribute") and _SETTINGS.search(holder_node.text) is not None
