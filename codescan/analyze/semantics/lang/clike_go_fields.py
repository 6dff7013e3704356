"""Go: the struct type a field assignment's owner has, through chains (`tr.TLSClientConfig.InsecureSkipVerify = v`)."""
from __future__ import annotations

# fields of library structs that hold a TLS configuration (net/http's Transport and Server, httptest, websocket
# dialers, SMTP/LDAP/Redis/gRPC clients all name it one of these)
TLS_CONFIG = "crypto/tls.Config"
FIELD_TYPES = {"TLSClientConfig": TLS_CONFIG, "TLSConfig": TLS_CONFIG, "TLS": TLS_CONFIG, "TlsConfig": TLS_CONFIG,
               "TLSClientCfg": TLS_CONFIG}
# a field only crypto/tls.Config has among the standard library's structs: `x.InsecureSkipVerify = v` sets it on a
# TLS configuration (or on a wrapper copied into one) whatever x's type is written as
OWNED_FIELDS = {"InsecureSkipVerify": TLS_CONFIG}
MAX_CHAIN = 8


def owner_type(flow, selector) -> str | None:
    """The struct type whose field `selector` (`a.b.Field`) sets: the operand's type when the flow knows it (a
    variable, a type assertion `.(*http.Transport)`, a field of a known TLS-holding name), else the type a field
    name only one struct has belongs to."""
    operand = selector.child_by_field_name("operand")
    field = selector.child_by_field_name("field")
    typ = _type_of(flow, operand, 0) if operand is not None else None
    if typ is None and field is not None:
        typ = OWNED_FIELDS.get(field.text.decode("utf-8", "replace"))
    return typ


def _type_of(flow, node, depth: int) -> str | None:
    if node is None or depth > MAX_CHAIN:
        return None
    kind = node.type
    if kind == "identifier":
        return flow.types.get(node.text.decode("utf-8", "replace"))
    if kind == "selector_expression":
        field = node.child_by_field_name("field")
        return FIELD_TYPES.get(field.text.decode("utf-8", "replace")) if field is not None else None
    if kind == "type_assertion_expression":
        return flow.type_name(node.child_by_field_name("type"))
    if kind in ("parenthesized_expression", "unary_expression") and node.named_children:
        return _type_of(flow, node.named_children[-1], depth + 1)
    if kind == "index_expression":
        return None
    return flow.expr_type(node)


def foreign_literals(flow) -> list:
    """`Field: v` of an owned field (InsecureSkipVerify) in a struct literal of another type than its owner (an
    options struct of the file or a library that is copied into a tls.Config): [(keyed element, owner, field, value
    node)], as the owner's field set. The owner's own literals are facts already."""
    out = []
    for field, owner in OWNED_FIELDS.items():
        needle = field.encode()
        pos = flow.source.find(needle)
        while pos >= 0 and len(out) < 64:
            element = _keyed_element(flow.root.descendant_for_byte_range(pos, pos + len(needle)), needle)
            if element is not None:
                literal = element.parent.parent if element.parent is not None else None
                typ = flow.type_name(literal.child_by_field_name("type")) \
                    if literal is not None and literal.type == "composite_literal" else None
                value = element.child_by_field_name("value")
                if value is not None and value.named_children:
                    value = value.named_children[0]  # literal_element -> the expression
                if typ != owner and value is not None:
                    out.append((element, owner, field, value))
            pos = flow.source.find(needle, pos + len(needle))
    return out


def _keyed_element(node, name: bytes):
    """The keyed_element whose key is the identifier `node` (Go `Key: value`), else None."""
    if node is None or node.text != name:
        return None
    current = node
    for _ in range(3):
        parent = current.parent
        if parent is None:
            return None
        if parent.type == "keyed_element":
            key = parent.child_by_field_name("key")
            return parent if key is not None and key.start_byte <= node.start_byte < key.end_byte else None
        current = parent
    return None
