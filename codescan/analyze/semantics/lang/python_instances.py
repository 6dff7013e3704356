"""An instance of a same-file class read from outside it: `ctx.env` after `ctx = RunContext(job)` is what the class
assigns to `self.env` (or binds in its body, a dataclass field's default factory included), and the whole instance
(`vars(ctx)`, `ctx.__dict__`, `dataclasses.asdict(ctx)`) holds every such attribute."""
from __future__ import annotations

import re

from ..constants import UNKNOWN
from ..facts import NOTHING, Step, Value, merge

MAX_ATTRIBUTES = 16  # attributes of one class merged into the value of a whole instance
_SELF_ASSIGNED = re.compile(rb"\bself\.([A-Za-z_]\w*)\s*(?::[^=\n]{1,80})?=(?!=)")
WHOLE_INSTANCE = frozenset({"builtins.vars", "dataclasses.asdict", "dataclasses.astuple", "copy.copy",
                            "copy.deepcopy", "dataclasses.replace"})


def instance_class(values, instance: Value):
    """The class node of `<class:N>()` (an instance made by calling a same-file class), or None."""
    name = instance.name
    if not name or not name.startswith("<class:") or not name.endswith(">()"):
        return None
    try:
        return values.defs.get(int(name[len("<class:"):-3]))
    except ValueError:
        return None


def instance_attribute(values, cls, attr: str) -> Value | None:
    """`obj.attr` for an instance of `cls`: the class's `self.attr` bindings, else its body's (once per class)."""
    from .python_selfattrs import class_attribute
    key = (cls.start_byte, attr)
    if key not in values._attributes:
        values._attributes[key] = NOTHING  # while it is being computed
        values._attributes[key] = class_attribute(values, cls, attr)
    return values._attributes[key]


def instance_data(values, cls, line: int) -> Value:
    """Every attribute an instance of `cls` holds, merged: what `vars(obj)` / `asdict(obj)` give."""
    body = cls.child_by_field_name("body")
    names: list[str] = []
    for child in body.named_children if body is not None else ():
        binding = child.named_children[0] if child.type == "expression_statement" and child.named_children else None
        left = binding.child_by_field_name("left") if binding is not None and binding.type == "assignment" else None
        if left is not None and left.type == "identifier":
            names.append(left.text.decode("utf-8", "replace"))
    for found in _SELF_ASSIGNED.finditer(values.source, cls.start_byte, cls.end_byte):
        names.append(found.group(1).decode("utf-8", "replace"))
    held = poured(values, cls)
    for attr in dict.fromkeys(names).keys():
        if len(held) >= MAX_ATTRIBUTES:
            break
        value = instance_attribute(values, cls, attr)
        if value is not None and value.labels:
            held.append(value)
    if not held:
        return Value(UNKNOWN)
    whole = merge(held)
    return Value(UNKNOWN, whole.labels, None, None, (*whole.trace, Step(line, "the instance's attributes read"))[-4:])


_POURED = re.compile(rb"\bself\.__dict__\s*\.\s*update\s*\(|\bvars\(\s*self\s*\)\s*\.\s*update\s*\(|"
                     rb"\bsetattr\(\s*self\s*,")
MAX_POURED = 4  # calls pouring data into a class's instances looked at


def poured(values, cls) -> list[Value]:
    """Data a class pours into its instances' attributes by name: `self.__dict__.update(os.environ)`,
    `vars(self).update(d)`, `setattr(self, k, v)` (the values given, their names unknown here)."""
    key = ("poured", cls.start_byte)
    if key in values._attributes:
        return list(values._attributes[key])
    values._attributes[key] = ()  # while it is being computed
    found = []
    for match in _POURED.finditer(values.source, cls.start_byte, cls.end_byte):
        if len(found) >= MAX_POURED:
            break
        node = values.scopes.locate(match.start(), match.start() + 4)
        for _ in range(5):  # up from `self` / `vars` to the call
            if node is None or node.type == "call" and node.child_by_field_name("function").type in (
                    "attribute", "identifier") and node.child_by_field_name("function").text.endswith(
                    (b"update", b"setattr")):
                break
            node = node.parent
        args = node.child_by_field_name("arguments") if node is not None and node.type == "call" else None
        if args is None or args.type != "argument_list":
            continue
        given = [a for a in args.named_children if a.type != "comment"]
        given = given[2:3] if node.child_by_field_name("function").text == b"setattr" else given[:1]
        for arg in given:
            value = values.ev(arg)
            if value.labels:
                found.append(value.with_step(node.start_point[0] + 1, "poured into the instance's attributes"))
    values._attributes[key] = tuple(found)
    return found


def field_factory(values, call) -> Value | None:
    """`field(default_factory=F)` in a dataclass body: what calling F gives (a lambda's body, or F's own labels)."""
    fn = call.child_by_field_name("function")
    from .python_candidates import FIELD_CALLS
    if fn is None or fn.text not in FIELD_CALLS:
        return None
    args = call.child_by_field_name("arguments")
    for arg in args.named_children if args is not None else ():
        if arg.type == "keyword_argument" and arg.child_by_field_name("name").text == b"default_factory":
            factory = arg.child_by_field_name("value")
            if factory.type == "lambda":
                body = factory.child_by_field_name("body")
                return values.ev(body) if body is not None else None
            held = values.ev(factory)
            from ..sources import labels_of
            labels = labels_of(held.name) | held.labels
            return Value(UNKNOWN, labels, None, None, held.trace) if labels else None
        if arg.type == "keyword_argument" and arg.child_by_field_name("name").text == b"default":
            return values.ev(arg.child_by_field_name("value"))
    return None
