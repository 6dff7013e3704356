"""The fields of an options object passed to a JS constructor, as dotted keyword facts (`webPreferences.sandbox`)."""
from __future__ import annotations

from .js_calls import arguments
from .js_cors import origin_option

# constructors whose options rules read (Electron windows; Vue components, whose `template` is compiled)
WITH_OPTIONS = ("BrowserWindow", "BrowserView", "WebContentsView", "createSSRApp", "createApp", "defineComponent")
MAX_FIELDS = 64
MAX_DEPTH = 3


def option_fields(values, node, name: str) -> list[tuple[str, object, int]]:
    """[(dotted key, Value, line written)] of the first argument's object (written there or bound to a name once or more;
    nested objects and `...spread` of such names followed), for the constructors in WITH_OPTIONS only."""
    tls = name in TLS_OPTIONS
    jwt = name in JWT_OPTIONS
    cors = name in CORS_OPTIONS
    yaml = name in YAML_OPTIONS
    xml = name in XML_OPTIONS
    if name.rsplit(".", 1)[-1] not in WITH_OPTIONS and not tls and not jwt and not cors and not yaml and not xml:
        return []
    args = arguments(node)
    out: list = []
    # https.Agent(options), https.request(url, options), tls.connect(port, host, options); jwt.verify(t, key, options)
    for arg in (args[:3] if tls else args[2:3] if jwt else args[1:2] if yaml or xml else args[:1]):
        _fields(values, arg, "", out, 0)
    if tls:  # only the verification switches: the other fields are data the rules read from the arguments
        out = [field for field in out if field[0].rsplit(".", 1)[-1] in TLS_FIELDS]
    if jwt:
        out = [field for field in out if field[0] in JWT_FIELDS]
    if cors:
        out = [field for field in out if field[0] in CORS_FIELDS]
    if yaml:
        out = [field for field in out if field[0] == "schema"]
    if xml:
        out = [field for field in out if field[0] == "noent"]
    return out[:MAX_FIELDS]


TLS_OPTIONS = frozenset({"https.Agent", "https.request", "https.get", "tls.connect", "tls.createSecureContext",
                         "axios.create", "undici.Agent", "ws.WebSocket", "WebSocket",
                         "https.createServer", "tls.createServer", "http2.createSecureServer"})
# (a server's rejectUnauthorized is about client certificates, and means something only with requestCert)
TLS_FIELDS = frozenset({"rejectUnauthorized", "requestCert"})
# jsonwebtoken's sign/verify options: the accepted or chosen algorithms (an options object held in a variable too)
JWT_OPTIONS = frozenset({"jsonwebtoken.verify", "jsonwebtoken.sign"})
JWT_FIELDS = frozenset({"algorithms", "algorithm"})
# the cors middleware's options: which origins are answered, and whether cookies go with them
CORS_OPTIONS = frozenset({"cors"})
CORS_FIELDS = frozenset({"origin", "credentials"})
# js-yaml's load(text, options): the schema decides whether !!js/function tags build functions
YAML_OPTIONS = frozenset({"js-yaml.load", "js-yaml.loadAll", "js-yaml.safeLoad"})
# libxmljs's parse options: noent substitutes entities (external ones included: XXE)
XML_OPTIONS = frozenset(f"{m}.{f}" for m in ("libxmljs", "libxmljs2") for f in ("parseXml", "parseXmlString",
                                                                                "parseXmlAsync"))


def _objects(values, node, depth: int) -> list:
    """The object literals a node stands for: itself, or what its name was assigned (latest wins last)."""
    if node.type == "object":
        return [node]
    if node.type == "parenthesized_expression" and node.named_children:
        return _objects(values, node.named_children[0], depth)
    if node.type == "member_expression" and depth <= MAX_DEPTH:  # ...cfg.tls: a class field or getter's object
        return _member_objects(values, node, depth)
    if node.type == "identifier" and depth <= MAX_DEPTH:
        found = []
        for kind, what, _scope in values.scopes.bindings(node):
            if kind == "assign" and what is not None and hasattr(what, "type"):
                found.extend(_objects(values, what, depth + 1))
        return found
    return []


def _fields(values, node, prefix: str, out: list, depth: int) -> None:
    if depth > MAX_DEPTH or len(out) >= MAX_FIELDS:
        return
    for obj in _objects(values, node, depth):
        for child in obj.named_children:
            if child.type == "spread_element" and child.named_children:
                _fields(values, child.named_children[0], prefix, out, depth + 1)
                continue
            if child.type != "pair":
                continue
            key_node = child.child_by_field_name("key")
            value_node = child.child_by_field_name("value")
            if key_node is None or value_node is None:
                continue
            key = key_node.text.decode("utf-8", "replace").strip("'\"`")
            if _objects(values, value_node, depth + 1):
                _fields(values, value_node, f"{prefix}{key}.", out, depth + 1)
            elif key == "origin" and (allowed := origin_option(value_node)) is not None:
                out.append((f"{prefix}{key}", allowed, value_node.start_point[0] + 1))  # cb(null, true), /.*/
            else:
                out.append((f"{prefix}{key}", values.ev(value_node), value_node.start_point[0] + 1))


def _member_objects(values, node, depth: int) -> list:
    """`cfg.tls` where `cfg = new Config()` and the class declares `tls = {...}` or `get tls() { return {...} }`."""
    owner = node.child_by_field_name("object")
    prop = node.child_by_field_name("property")
    if owner is None or prop is None or owner.type != "identifier":
        return []
    found = []
    for kind, what, _scope in values.scopes.bindings(owner):
        if kind != "assign" or what is None or not hasattr(what, "type") or what.type != "new_expression":
            continue
        made = values.ev(what.child_by_field_name("constructor")).name or ""
        cls = values.defs.get(int(made[5:-1])) if made.startswith("<def:") and made[5:-1].isdigit() else None
        body = cls.child_by_field_name("body") if cls is not None and cls.type in ("class_declaration", "class") \
            else None
        for member in body.named_children if body is not None else ():
            name = member.child_by_field_name("property") or member.child_by_field_name("name")
            if name is None or name.text != prop.text:
                continue
            if member.type in ("field_definition", "public_field_definition"):
                value = member.child_by_field_name("value")
                if value is not None:
                    found.extend(_objects(values, value, depth + 1))
            elif member.type == "method_definition" and any(c.type == "get" for c in member.children):
                block = member.child_by_field_name("body")
                for statement in block.named_children if block is not None else ():
                    if statement.type == "return_statement" and statement.named_children:
                        found.extend(_objects(values, statement.named_children[0], depth + 1))
    return found
