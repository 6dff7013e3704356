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
_TORNADO_WRITERS = frozenset({"write", "finish"})
TORNADO_WRITERS = frozenset(w.encode() for w in _TORNADO_WRITERS)
_HANDLER_BASE = re.compile(rb"(?:^|[\s.(,])\w*(?:RequestHandler|WebSocketHandler)\s*[,)]")


def handler_input(values, node, attr: str) -> Value | None:
    """`self.<attr>` inside a method of a request handler class when `attr` reads the request: a value labelled
    `request` (named `request.<attr>`, so a call of it is a request source too); a Tornado handler's own
    response writers (`self.write`, `self.finish`: named as the base's methods); else None."""
    if attr not in _TORNADO and attr not in _STREAM and attr not in _TORNADO_WRITERS:
        return None
    cls = enclosing_class(node)
    if cls is None:
        return None
    bases = lineage(values, cls)
    if not _HANDLER_BASE.search(bases):
        return None
    if attr in _TORNADO_WRITERS:
        if b"tornado" not in values.source or re.search(rb"\bdef\s+" + attr.encode() + rb"\b", cls.text):
            return None  # not a Tornado handler, or the class's own write: what it does is in its body
        return Value(name=f"tornado.web.RequestHandler().{attr}")
    if attr in _STREAM and b"tornado" in bases:
        return None  # a Tornado handler's `self.path` is not the request's (its request is `self.request`)
    return Value(UNKNOWN, frozenset({"request"}), f"request.{attr}", None,
                 (Step(node.start_point[0] + 1, f"self.{attr} of a request handler"),))


MAX_LINEAGE = 3  # same-file base classes followed up from a class (class H(BaseHandler), BaseHandler(RequestHandler))


def lineage(values, cls) -> bytes:
    """The text of `cls`'s bases and of its same-file bases' bases (`class PreviewHandler(BaseHandler)` where
    `class BaseHandler(tornado.web.RequestHandler)`), nearest first; b"" without bases."""
    out, seen = [], set()
    for _ in range(MAX_LINEAGE):
        bases = cls.child_by_field_name("superclasses") if cls is not None else None
        if bases is None or cls.start_byte in seen:
            break
        seen.add(cls.start_byte)
        out.append(bases.text)
        first = next((b for b in bases.named_children if b.type == "identifier"), None)
        name = values.ev(first).name if first is not None else None
        if not name or not name.startswith("<class:") or not name.endswith(">"):
            break
        cls = values.defs.get(int(name[len("<class:"):-1]))
    return b" ".join(out)


# callbacks a server framework calls with what a peer sent, by the method's name: the base classes the method must
# be declared under (in the class's bases' text) and the label of what it is given (after self)
_CALLBACKS = {
    # Twisted protocols (basic.LineReceiver, Protocol, DatagramProtocol, Int32StringReceiver...), asyncio protocols
    b"dataReceived": (re.compile(rb"Protocol|Receiver"), "socket"),
    b"lineReceived": (re.compile(rb"Receiver|Protocol"), "socket"),
    b"rawDataReceived": (re.compile(rb"Receiver|Protocol"), "socket"),
    b"stringReceived": (re.compile(rb"Receiver|Protocol"), "socket"),
    b"datagramReceived": (re.compile(rb"Protocol"), "socket"),
    b"data_received": (re.compile(rb"Protocol"), "socket"),
    b"datagram_received": (re.compile(rb"Protocol"), "socket"),
    # a WebSocket message from a browser: Tornado's WebSocketHandler, Channels' consumers
    b"on_message": (re.compile(rb"WebSocketHandler"), "request"),
    b"receive": (re.compile(rb"WebsocketConsumer|WebSocketConsumer"), "request"),
    b"receive_json": (re.compile(rb"WebsocketConsumer|WebSocketConsumer"), "request"),
    # Starlette's WebSocketEndpoint: on_receive(self, websocket, data) gets the browser's message as `data`
    b"on_receive": (re.compile(rb"WebSocketEndpoint"), "request"),
    # a Django form view's bound form (its cleaned_data is the posted fields), a DRF view's bound serializer
    b"form_valid": (re.compile(rb"FormView|CreateView|UpdateView|FormMixin"), "request"),
    b"perform_create": (re.compile(rb"APIView|ViewSet|GenericAPIView"), "request"),
    b"perform_update": (re.compile(rb"APIView|ViewSet|GenericAPIView"), "request"),
    # a DRF serializer's create(self, validated_data) / update(self, instance, validated_data): the posted fields
    b"create": (re.compile(rb"Serializer"), "request"),
    b"update": (re.compile(rb"Serializer"), "request"),
}
_SERVICER = re.compile(rb"(?:^|[\s.(,])\w*Servicer\s*[,)]")  # a gRPC service: each method's `request`


def callback_input(function, index: int) -> str | None:
    """The label (`socket`, `request`) of parameter `index` of a method a network framework calls with a peer's
    data (`lineReceived(self, line)` of a Twisted protocol, `on_message(self, message)` of a Tornado WebSocket
    handler, `request` of a gRPC servicer's method, a WSGI application's `environ`), else None."""
    if index < 0 or function.type != "function_definition":
        return None
    if wsgi_environ(function, index) or falcon_request(function, index) or graphql_argument(function, index) or \
            cloud_event(function, index):
        return "request"
    if queue_body(function, index) or mqtt_message(function, index):
        return "socket"
    if socketio_event(function, index):
        return "request"
    if index < 1:
        return None
    named = function.child_by_field_name("name")
    cls = enclosing_class(function)
    bases = cls.child_by_field_name("superclasses") if cls is not None else None
    if named is None or bases is None:
        return None
    wanted = _CALLBACKS.get(named.text)
    if wanted is not None:
        if named.text == b"on_receive" and index != 2:
            return None  # the websocket itself, not the message
        if named.text in (b"create", b"update") and _param_names(function)[index:index + 1] != [b"validated_data"]:
            return None  # the instance being updated is the database's
        return wanted[1] if wanted[0].search(bases.text) else None
    if index == 1 and _SERVICER.search(bases.text) and named.text[:1].isupper():
        return "request"
    return None


_FALCON_RESPONDER = re.compile(rb"on_(?:get|post|put|patch|delete|head|options)(?:_\w+)?")


def falcon_request(function, index: int) -> bool:
    """Parameter `index` is the request of a Falcon resource's responder: `def on_get(self, req, resp, ...)`
    (a plain class; Falcon finds the responder by its name and passes the request and the response)."""
    named = function.child_by_field_name("name")
    if index != 1 or named is None or not _FALCON_RESPONDER.fullmatch(named.text):
        return False
    params = function.child_by_field_name("parameters")
    names = [p.text for p in params.named_children if p.type == "identifier"] if params is not None else []
    return len(names) >= 3 and names[0] == b"self" and names[2] in (b"resp", b"response") and \
        enclosing_class(function) is not None


# stdlib classes whose inherited methods run code given as text: `self.runsource(line)` in a subclass is a call of
# the base's method (only these bases: naming every inherited `self.x` would rename calls other rules match)
_CODE_RUNNERS = ("code.InteractiveInterpreter", "code.InteractiveConsole")
RUNNER_METHODS = frozenset({b"runsource", b"runcode", b"push"})


def inherited_runner(values, node, attr: str) -> Value | None:
    """`self.runsource` inside a class derived from code.InteractiveInterpreter/InteractiveConsole that does not
    define `runsource` itself: the base's method (`code.InteractiveInterpreter().runsource`), else None."""
    if attr.encode() not in RUNNER_METHODS:
        return None
    cls = enclosing_class(node)
    bases = cls.child_by_field_name("superclasses") if cls is not None else None
    if bases is None or b"Interactive" not in bases.text:
        return None
    body = cls.child_by_field_name("body")
    if body is not None and re.search(rb"\bdef\s+" + attr.encode() + rb"\b", body.text):
        return None  # the class's own runsource: what it does is in its body
    for base in bases.named_children:
        if base.type in ("identifier", "attribute"):
            name = values.ev(base).name or ""
            if name in _CODE_RUNNERS:
                return Value(name=f"{name}().{attr}")
    return None


def wsgi_environ(function, index: int) -> bool:
    """Parameter `index` is the `environ` of a WSGI callable: `def app(environ, start_response)`, a middleware's
    `__call__(self, environ, start_response)` (the request's headers, query string and body stream)."""
    params = function.child_by_field_name("parameters")
    if params is None or b"start_response" not in params.text:
        return False
    names = [p.text for p in params.named_children if p.type == "identifier"]
    return index + 1 < len(names) and names[index + 1] == b"start_response" and names[index] in (b"environ", b"env")


def _param_names(function) -> list[bytes]:
    """Each parameter's name (typed and defaulted ones too; `*args` / `**kw` as written)."""
    params = function.child_by_field_name("parameters")
    names = []
    for p in params.named_children if params is not None else ():
        ident = p if p.type == "identifier" else (p.child_by_field_name("name") or
                                                  (p.named_children[0] if p.named_children else None))
        names.append(ident.text if ident is not None and ident.type == "identifier" else p.text)
    return names


def _decorator_heads(function) -> list[bytes]:
    """What each decorator calls or names, without its arguments (`@query.field("x")` -> `query.field`)."""
    parent = function.parent
    if parent is None or parent.type != "decorated_definition":
        return []
    return [d.text[1:].split(b"(", 1)[0].strip() for d in parent.children if d.type == "decorator"]


_GRAPHENE_TYPE = re.compile(rb"ObjectType|Mutation|Interface|graphene\.")
_STRAWBERRY = frozenset({b"strawberry.field", b"strawberry.mutation", b"strawberry.subscription",
                         b"strawberry_django.field", b"strawberry_django.mutation"})


def graphql_argument(function, index: int) -> bool:
    """Parameter `index` holds a field argument a GraphQL client sent: a graphene resolver
    (`resolve_<field>(root, info, **args)` or `mutate(root, info, ...)` in a graphene type), an ariadne resolver
    (`@query.field("name")` / `@mutation.field(...)` over `(obj, info, ...)`), a strawberry `@strawberry.field` /
    `@strawberry.mutation` method's parameters other than self and `info`."""
    if index < 1:
        return False
    heads = _decorator_heads(function)
    named = function.child_by_field_name("name")
    strawberry = any(h in _STRAWBERRY for h in heads)
    ariadne = any(h.endswith(b".field") or h.endswith(b".mutation") for h in heads)  # ObjectType().field("x")
    graphene = named is not None and (named.text.startswith(b"resolve_") or named.text == b"mutate")
    if not (strawberry or ariadne or graphene):
        return False
    names = _param_names(function)
    if index >= len(names) or names[index] in (b"info", b"self", b"cls"):
        return False
    if strawberry:
        return True
    if index < 2 or names[1] != b"info":
        return False
    if ariadne:
        return True
    cls = enclosing_class(function)
    bases = cls.child_by_field_name("superclasses") if cls is not None else None
    return bases is not None and bool(_GRAPHENE_TYPE.search(bases.text))


def cloud_event(function, index: int) -> bool:
    """Parameter `index` is the event of a serverless function: `def handler(event, context)` at module level
    (AWS Lambda; a Google Cloud background function): the HTTP request or message that triggered it."""
    if index != 0 or function.parent is None or function.parent.type not in ("module", "decorated_definition"):
        return False
    params = function.child_by_field_name("parameters")
    if params is None or b"event" not in params.text:
        return False
    names = _param_names(function)
    return len(names) == 2 and names[0] == b"event" and names[1] in (b"context", b"_context", b"ctx")


_PROPERTIES = (b"properties", b"props", b"_properties", b"header", b"header_frame", b"_props", b"_header_frame",
               b"_header")


def queue_body(function, index: int) -> bool:
    """Parameter `index` is the body of a message a RabbitMQ consumer receives: pika's callback signature
    `(channel, method, properties, body)` (also as a method after self)."""
    params = function.child_by_field_name("parameters")
    if index < 3 or params is None or b"method" not in params.text:
        return False
    names = _param_names(function)
    start = 1 if names[:1] == [b"self"] else 0
    if len(names) != start + 4 or index != start + 3:
        return False
    return names[start + 1].lstrip(b"_").startswith(b"method") and names[start + 2] in _PROPERTIES


def mqtt_message(function, index: int) -> bool:
    """Parameter `index` is the message of a paho-mqtt callback: `on_message(client, userdata, msg)` (also as a
    method after self): msg.payload is what a publisher on the broker sent."""
    params = function.child_by_field_name("parameters")
    if index < 2 or params is None or b"userdata" not in params.text:
        return False
    names = _param_names(function)
    start = 1 if names[:1] == [b"self"] else 0
    return len(names) == start + 3 and index == start + 2 and names[start + 1].lstrip(b"_") in (b"userdata",
                                                                                                 b"user_data")


_SOCKETIO = re.compile(rb"(?i)(?:^|\.)\w*(?:socketio|sio|socket_io)\.(?:on|event|on_event)$")


def socketio_event(function, index: int) -> bool:
    """Parameter `index` is what a browser emitted to a Socket.IO event handler: Flask-SocketIO's
    `@socketio.on("event") def h(data)`, python-socketio's `@sio.event` / `@sio.on("x") def h(sid, data)` (the
    session id `sid` and the connect handler's `environ` aside)."""
    heads = _decorator_heads(function)
    if not any(_SOCKETIO.search(h) for h in heads):
        return False
    names = _param_names(function)
    return index < len(names) and names[index] not in (b"sid", b"self", b"environ", b"auth")
