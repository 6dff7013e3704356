"""Request input a framework hands to a handler's parameter other than by the `req`/`request` name:
- through a TypeScript decorator (NestJS, routing-controllers, tsoa): `thumbnail(@Body() body)`, `find(@Query('q') q)`,
  `get(@Param() { id })`, `upload(@UploadedFile() file)`;
- as a field of the event an exported route function receives (SvelteKit `GET({ url })`, Remix `action({ params })`,
  Next.js / SvelteKit / Astro `GET`, `POST`... and `load` / `loader` / `action`).
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
        if fn.text in WHOLE_REQUEST and holder.child_by_field_name("pattern") == node:
            return Value(name="req")
        what = INPUTS.get(fn.text)
        if what is not None:
            step = Step(child.start_point[0] + 1, f"{what} given by @{fn.text.decode()}()")
            return Value(UNKNOWN, REQUEST | extra, name, None, (step,))
    return None


# exported functions a file-based router calls for a request, and the event fields that carry the client's data
ROUTE_EXPORTS = frozenset((b"GET", b"POST", b"PUT", b"PATCH", b"DELETE", b"HEAD", b"OPTIONS", b"ALL", b"loader",
                           b"action", b"load"))
EVENT_FIELDS = {"url": "the request's URL", "params": "route parameters", "cookies": "request cookies"}


def event_field(node, name: str, function, extra: frozenset) -> Value | None:
    """What `{ url }` / `{ params }` destructured from the first parameter of an exported route function holds."""
    what = EVENT_FIELDS.get(name)
    if what is None or node.type != "shorthand_property_identifier_pattern" or node.parent is None or \
            node.parent.type != "object_pattern":
        return None
    holder = node.parent.parent
    if holder is not None and holder.type in ("required_parameter", "optional_parameter"):
        holder = holder.parent
    if holder is None or holder.type != "formal_parameters":
        return None
    first = next((c for c in holder.named_children if c.type != "comment"), None)
    if first not in (node.parent, node.parent.parent):  # a field of the first parameter only (the event)
        return None
    if _exported_name(function) not in ROUTE_EXPORTS:
        return None
    step = Step(node.start_point[0] + 1, f"{what} given to an exported route function")
    return Value(UNKNOWN, REQUEST | extra, name, None, (step,))


def _exported_name(function) -> bytes | None:
    """The name an exported function goes by: `export async function GET(..)`, `export const load = (..) => ..`."""
    parent = function.parent
    if function.type == "function_declaration" and parent is not None and parent.type == "export_statement":
        named = function.child_by_field_name("name")
        return named.text if named is not None else None
    if function.type in ("arrow_function", "function_expression", "function") and parent is not None and \
            parent.type == "variable_declarator" and parent.parent is not None and \
            parent.parent.parent is not None and parent.parent.parent.type == "export_statement":
        named = parent.child_by_field_name("name")
        return named.text if named is not None else None
    return None
