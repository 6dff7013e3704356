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
          b"Payload": "message payload", b"Path": "route parameter",
          # NestJS GraphQL / type-graphql: a query's or mutation's argument
          b"Args": "GraphQL argument", b"Arg": "GraphQL argument"}
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


# GraphQL resolver maps: `Query: { user: (parent, args, ctx) => .. }` — the second parameter holds the query's arguments
RESOLVER_ROOTS = frozenset((b"Query", b"Mutation", b"Subscription"))
# calls whose handler's parameters (from this index on) carry what a client sent: Electron's main process
# answering the renderer (a page that may show remote content), Meteor methods called by any browser
IPC_HANDLERS = frozenset((b"handle", b"handleOnce", b"on", b"once"))
# tRPC procedures: `.input(schema).query(({ input }) => ..)` — `input` is the client's call argument
TRPC_RESOLVERS = frozenset((b"query", b"mutation", b"subscription"))


def framework_argument(node, name: str, function, index: int, extra: frozenset) -> Value | None:
    """What a parameter receives when a framework calls its function with a client's data other than as a
    request object: a GraphQL resolver's `args`, a Meteor method's arguments, an Electron ipcMain handler's
    arguments, a tRPC procedure's `input`."""
    what = _framework_input(node, name, function, index)
    if what is None:
        return None
    return Value(UNKNOWN, REQUEST | extra, name, None, (Step(node.start_point[0] + 1, what),))


def _framework_input(node, name: str, function, index: int) -> str | None:
    if index >= 0 and _server_action(function):
        return "argument of a Next.js server action (any client may post it)"
    key, obj = _member_of(function)
    if obj is not None and index == 1:
        holder = obj.parent
        if holder is not None and holder.type == "pair" and _key(holder) in RESOLVER_ROOTS:
            return "arguments of a GraphQL query given to its resolver"
    if obj is not None and index >= 0 and _called_with(obj) == b"Meteor.methods":
        return "argument of a Meteor method (any client may call it)"
    parent = function.parent
    call = parent.parent if parent is not None and parent.type == "arguments" else None
    fn = call.child_by_field_name("function") if call is not None and call.type == "call_expression" else None
    if fn is not None and index == 0 and fn.text.endswith(b"onCall") and _arity(function) >= 2:
        return "data a client sent to a Firebase callable function"  # (data, context): v1; v2's request.data
    if fn is None or fn.type != "member_expression":
        return None
    prop = fn.child_by_field_name("property").text
    target = fn.child_by_field_name("object")
    if index >= 1 and prop in IPC_HANDLERS and target.text.endswith(b"ipcMain"):
        return "argument an Electron renderer sent over IPC"
    if index == 1 and prop in (b"on", b"once") and target.text.endswith(b"app") and _event_name(call) in DEEP_LINKS:
        return "a deep link any web page can open (Electron app 'open-url' / 'second-instance')"
    if index == 0 and name == "input" and prop in TRPC_RESOLVERS and b".input(" in target.text and \
            node.type == "shorthand_property_identifier_pattern":
        return "input of a tRPC procedure (the client's call argument)"
    return None


# Electron app events whose second argument a web page chooses: a custom-protocol link (macOS 'open-url'), the
# command line a second launch passes on (Windows and Linux deep links)
DEEP_LINKS = frozenset(("open-url", "second-instance"))


def _event_name(call) -> str | None:
    args = call.child_by_field_name("arguments")
    first = next((c for c in args.named_children if c.type != "comment"), None) if args is not None else None
    return first.text.decode("utf-8", "replace")[1:-1] if first is not None and first.type == "string" else None


def _member_of(function):
    """(key, object) when the function is a method or a property value of an object literal."""
    parent = function.parent
    if function.type == "method_definition" and parent is not None and parent.type == "object":
        return function.child_by_field_name("name"), parent
    if parent is not None and parent.type == "pair" and parent.child_by_field_name("value") == function:
        return parent.child_by_field_name("key"), parent.parent
    return None, None


def _key(pair) -> bytes:
    key = pair.child_by_field_name("key")
    text = key.text if key is not None else b""
    return text[1:-1] if text[:1] in (b"'", b'"') else text


def _called_with(obj) -> bytes | None:
    """The callee text of the call an object literal is the first argument of."""
    args = obj.parent
    if args is None or args.type != "arguments" or args.parent is None:
        return None
    fn = args.parent.child_by_field_name("function")
    return fn.text if fn is not None else None


USE_SERVER = (b"'use server'", b'"use server"')


def _server_action(function) -> bool:
    """A Next.js server action: a function whose body starts with 'use server', or one a file starting with
    'use server' exports (the client calls it with whatever arguments it likes)."""
    body = function.child_by_field_name("body")
    if body is not None and body.type == "statement_block" and _directive(body):
        return True
    root = function
    while root.parent is not None:
        root = root.parent
    return _directive(root) and _exported_name(function) is not None


def _directive(block) -> bool:
    first = next((c for c in block.named_children if c.type != "comment"), None)
    return first is not None and first.type == "expression_statement" and first.named_children and \
        first.named_children[0].type == "string" and first.named_children[0].text in USE_SERVER


def _arity(function) -> int:
    params = function.child_by_field_name("parameters")
    return len([c for c in params.named_children if c.type != "comment"]) if params is not None else 1
