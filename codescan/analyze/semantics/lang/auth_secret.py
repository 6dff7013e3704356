"""The other side of a granting comparison that is the application's own signing secret (Django's
`settings.SECRET_KEY`, Flask's `app.secret_key` / `app.config["SECRET_KEY"]`), whole or a piece of it, read directly or
returned by a same-file helper: `if password == settings.SECRET_KEY[:12]: user.is_superuser = True` lets in whoever
knows the deployment's key, a backdoor no login needs (a MAC computed with the key is another value, not this)."""
from __future__ import annotations

import re

from ..constants import UNKNOWN
from ..facts import Step, Value

LABEL = "signing-key"
_SECRET = re.compile(r"(?:^|\.)(?:SECRET_KEY|secret_key|SIGNING_KEY|signing_key)$")
_KEY_TEXT = re.compile(rb"^[rbu]?['\"](?:SECRET_KEY|SIGNING_KEY)['\"]$")
_KEEPS = frozenset((b"encode", b"decode", b"strip", b"lower", b"upper", b"casefold"))  # the same secret's text
MAX_DEPTH = 3


def app_secret(values, node, depth: int = 0) -> Value | None:
    """A Value labelled `signing-key` when `node` is the application's secret key or a slice of it, else None."""
    node = _inner(node)
    if node.type == "subscript":
        key = node.child_by_field_name("subscript")
        if key is not None and key.type == "string" and _KEY_TEXT.match(key.text):  # app.config["SECRET_KEY"]
            return _found(node)
    if node.type == "call" and depth < MAX_DEPTH:
        returned = _returned(values, node)
        if returned is not None:
            return app_secret(values, returned, depth + 1)
    if node.type in ("attribute", "identifier") and _SECRET.search(values.ev(node).name or ""):
        return _found(node)
    return None


def _inner(node):
    """The value a slice, an encoding or parentheses are taken of: `settings.SECRET_KEY[:12].encode()`."""
    for _ in range(8):
        if node.type == "parenthesized_expression" and node.named_children:
            node = node.named_children[0]
        elif node.type == "subscript" and any(c.type == "slice" for c in node.named_children):
            node = node.child_by_field_name("value")
        elif node.type == "call":
            fn = node.child_by_field_name("function")
            args = node.child_by_field_name("arguments")
            given = [a for a in args.named_children if a.type != "comment"] if args is not None else []
            if fn.type == "attribute" and fn.child_by_field_name("attribute").text in _KEEPS:
                node = fn.child_by_field_name("object")
            elif fn.type == "identifier" and fn.text in (b"str", b"bytes") and given:
                node = given[0]
            else:
                return node
        else:
            return node
    return node


def _returned(values, call):
    """The one returned expression of the same-file function `call` calls (`self._service_key()`), else None."""
    name = values.ev(call.child_by_field_name("function")).name or ""
    if not name.startswith("<def:"):
        return None
    try:
        function = values.defs.get(int(name[5:-1]))
    except ValueError:
        return None
    body = function.child_by_field_name("body") if function is not None else None
    if body is None:
        return None
    returns = [s for s in body.named_children if s.type == "return_statement"]
    if len(returns) != 1 or not returns[0].named_children:
        return None
    return returns[0].named_children[0]


def _found(node) -> Value:
    return Value(UNKNOWN, frozenset({LABEL}), None, None,
                 (Step(node.start_point[0] + 1, "the application's secret key"),))
