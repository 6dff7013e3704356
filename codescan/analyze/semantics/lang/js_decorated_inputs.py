"""Request input a TypeScript framework hands to a method parameter through a decorator (NestJS, routing-controllers,
tsoa): `thumbnail(@Body() body)`, `find(@Query('q') q)`, `get(@Param() { id })`, `upload(@UploadedFile() file)`.
The parameter holds what the client sent, as `req.body` does in an Express handler."""
from __future__ import annotations

from ..facts import Step, Value
from ..constants import UNKNOWN

# decorator → what the parameter receives; the whole request object is given a request name instead
INPUTS = {b"Body": "request body", b"Query": "query string", b"QueryParam": "query string",
          b"QueryParams": "query string", b"Param": "route parameter", b"Params": "route parameter",
          b"Headers": "request headers", b"HeaderParam": "request header", b"HeaderParams": "request headers",
          b"BodyParam": "request body field", b"Cookies": "request cookies", b"CookieParam": "request cookie",
          b"UploadedFile": "uploaded file", b"UploadedFiles": "uploaded files", b"MessageBody": "message a client sent",
          b"Payload": "message payload", b"Path": "route parameter"}
WHOLE_REQUEST = frozenset((b"Req", b"Request", b"Ctx"))
REQUEST = frozenset({"request"})
_PATTERNS = frozenset(("object_pattern", "array_pattern", "pair_pattern", "assignment_pattern",
                       "shorthand_property_identifier_pattern", "rest_pattern"))
MAX_PATTERN_DEPTH = 6


def decorated_input(node, name: str, extra: frozenset) -> Value | None:
    """What `node` (a parameter's name, or a name destructured from it) receives when its parameter carries a
    request decorator; None otherwise. `extra` are labels the parameter keeps (its place in the function)."""
    holder = node.parent
    for _ in range(MAX_PATTERN_DEPTH):
        if holder is None or holder.type not in _PATTERNS:
            break
        holder = holder.parent
    if holder is None or holder.type not in ("required_parameter", "optional_parameter"):
        return None
    for child in holder.children:
        if child.type != "decorator" or not child.named_children:
            continue
        expr = child.named_children[0]
        fn = expr.child_by_field_name("function") if expr.type == "call_expression" else expr
        if fn is None or fn.type != "identifier":
            continue
        if fn.text in WHOLE_REQUEST and holder.child_by_field_name("pattern") is node:
            return Value(name="req")
        what = INPUTS.get(fn.text)
        if what is not None:
            step = Step(child.start_point[0] + 1, f"{what} given by @{fn.text.decode()}()")
            return Value(UNKNOWN, REQUEST | extra, name, None, (step,))
    return None
