"""Request input read through a handler class's own methods and attributes: Tornado's `self.get_argument(...)`,
http.server's `self.path` / `self.headers` / `self.rfile` (a class whose base is a `...RequestHandler`)."""
from __future__ import annotations

import re

from ..constants import UNKNOWN
from ..facts import Step, Value
from .python_classattrs import enclosing_class

# what a handler reads from the request it serves, by framework: Tornado's argument/cookie getters, the standard
# library's http.server and socketserver stream handlers (request line, headers, body stream)
_TORNADO = frozenset({"get_argument", "get_arguments", "get_body_argument", "get_body_arguments",
                      "get_query_argument", "get_query_arguments", "get_cookie", "decode_argument"})
_STREAM = frozenset({"path", "headers", "rfile", "requestline", "raw_requestline"})
_HANDLER_BASE = re.compile(rb"(?:^|[\s.(,])\w*(?:RequestHandler|WebSocketHandler)\s*[,)]")


def handler_input(values, node, attr: str) -> Value | None:
    """`self.<attr>` inside a method of a request handler class when `attr` reads the request: a value labelled
    `request` (named `request.<attr>`, so a call of it is a request source too); else None."""
    if attr not in _TORNADO and attr not in _STREAM:
        return None
    cls = enclosing_class(node)
    if cls is None:
        return None
    bases = cls.child_by_field_name("superclasses")
    if bases is None or not _HANDLER_BASE.search(bases.text):
        return None
    if attr in _STREAM and b"tornado" in bases.text:
        return None  # a Tornado handler's `self.path` is not the request's (its request is `self.request`)
    return Value(UNKNOWN, frozenset({"request"}), f"request.{attr}", None,
                 (Step(node.start_point[0] + 1, f"self.{attr} of a request handler"),))
