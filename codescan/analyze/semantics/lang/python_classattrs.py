"""`Cls.attr` read from the class itself (not an instance): the class body's binding, then the module's own
rebinds and `+=` of `Cls.attr` (`Names.mod = "subpro"; Names.mod += "cess"`)."""
from __future__ import annotations

from ..facts import Value, merge


def class_level(values, cls, cls_name: str, attr: str) -> Value | None:
    """The value of `cls_name.attr`, or None when the class body does not bind `attr`."""
    body = cls.child_by_field_name("body")
    current = None
    for child in body.named_children if body is not None else ():
        current = _apply(values, child, attr, current)
    if current is None:
        return None
    dotted = f"{cls_name}.{attr}".encode()
    for statement in values.root.named_children:  # module-level statements only (in order)
        if dotted in statement.text[:256]:
            current = _apply(values, statement, dotted.decode(), current)
    return current


def _apply(values, statement, target: str, current: Value | None) -> Value | None:
    if statement.type != "expression_statement" or not statement.named_children:
        return current
    binding = statement.named_children[0]
    if binding.type not in ("assignment", "augmented_assignment"):
        return current
    left, right = binding.child_by_field_name("left"), binding.child_by_field_name("right")
    if left is None or right is None or left.text.decode("utf-8", "replace") != target:
        return current
    value = None
    if right.type == "call" and binding.type == "assignment":  # a dataclass field: what its default (factory) gives
        from .python_instances import field_factory
        value = field_factory(values, right)
    if value is None:
        value = values.ev(right)
    if binding.type == "assignment" or current is None:
        return value
    operator = binding.child_by_field_name("operator")
    if operator is not None and operator.text == b"+=" and isinstance(current.const, str) and \
            isinstance(value.const, str):
        return merge([current, value], current.const + value.const)
    return merge([current, value])


def bound_in_class_body(node, attr: bytes) -> bool:
    """Whether a class enclosing `node` binds `attr` in its own body (`class C: run = staticmethod(exec)`): then
    `self.attr`/`cls.attr` there may be any function, whatever the attribute's name says."""
    current = node.parent
    while current is not None:
        if current.type == "class_definition":
            body = current.child_by_field_name("body")
            for child in body.named_children if body is not None else ():
                binding = child.named_children[0] if child.type == "expression_statement" and \
                    child.named_children else None
                if binding is not None and binding.type == "assignment":
                    left = binding.child_by_field_name("left")
                    if left is not None and left.type == "identifier" and left.text == attr:
                        return True
        current = current.parent
    return False


def enclosing_class(node):
    """The innermost class definition around `node`, or None."""
    current = node.parent
    while current is not None and current.type != "class_definition":
        current = current.parent
    return current


def cls_attribute(values, node, attr: str) -> Value | None:
    """`cls.attr` in a method of a class (a classmethod's first parameter): the class body's binding of `attr`."""
    current = enclosing_class(node)
    if current is None:
        return None
    named = current.child_by_field_name("name")
    return class_level(values, current, named.text.decode("utf-8", "replace") if named is not None else "", attr)
