"""`this.x` inside a JavaScript class: what the class's methods assign to it, and the network data written to the
file it names (`this.bin = path.join(...)`; `fs.writeFileSync(this.bin, body)`; later `spawn(this.bin)`)."""
from __future__ import annotations

from ..constants import UNKNOWN
from ..facts import Value, merge
from .js_callbacks import written_file

_CLASSES = frozenset(("class_declaration", "class", "class_expression"))
MAX_SITES = 16


def this_field(values, node, prop: str) -> Value | None:
    """The value of `this.prop` at `node` (a member expression in a class), or None outside a class or when no
    method assigns it (a method, or a field the class never sets: the caller's usual reading applies)."""
    cls = node.parent
    while cls is not None and cls.type not in _CLASSES:
        cls = cls.parent
    if cls is None:
        return None
    memo = values.__dict__.setdefault("_this_fields", {})
    key = (cls.start_byte, prop)
    found = memo.get(key)
    if found is None:
        memo[key] = ([], [], [])  # while it is being computed (this.x = this.x + 1)
        found = memo[key] = _sites(values, cls, prop)
    assigned, sites, pushed = found
    # class C { keys = ['NODE_ENV']; } (TypeScript: private readonly keys = ...): a constant initial value (a client
    # made there keeps the name its uses are matched by: `this.http.post`)
    fields = [v for v in (values.ev(f) for f in _field_values(cls, prop)) if v.known]
    if not assigned and not fields:
        return None
    held = [values.ev(at.child_by_field_name("right")) for at in assigned] + fields
    names = {v.name for v in held}
    value = merge(held, _built(assigned, held) if not fields else held[0].const if len(held) == 1 else UNKNOWN)
    if pushed:
        value = _with_pushed(values, value, pushed)
    if len(names) == 1 and held[0].name:  # this.cp = require("child_process"): this.cp.exec is child_process.exec
        value = Value(value.const, value.labels, held[0].name, held[0].via, value.trace)
    written = [written_file(values, f"this.{prop}", use) for use in sites if use.start_byte < node.start_byte]
    if any(w.labels for w in written):  # the path still names the same file: the download it holds comes along
        return merge([value, *written], value.const, value.name)
    return value


def _field_values(cls, prop: str) -> list:
    """The initial values of the class's own (not static) field `prop`."""
    body = cls.child_by_field_name("body")
    out = []
    for member in body.named_children if body is not None else ():
        if member.type not in ("field_definition", "public_field_definition"):
            continue
        name = member.child_by_field_name("name") or member.child_by_field_name("property")
        value = member.child_by_field_name("value")
        if name is not None and value is not None and name.text == prop.encode() and \
                not any(c.type == "static" for c in member.children):
            out.append(value)
    return out


def _with_pushed(values, value: Value, pushed: list) -> Value:
    """`this.steps = []` and, in any method, `this.steps.push(a, b)` / `.unshift(...)`: the array holds those items
    too (constants kept as items while every one is known; otherwise their data comes along)."""
    items = [values.ev(arg) for call in pushed for arg in call.child_by_field_name("arguments").named_children
             if arg.type != "comment"]
    if isinstance(value.const, list) and all(item.known for item in items) and len(value.const) + len(items) <= 64:
        labels = value.labels.union(*(item.labels for item in items))  # a constant's own labels (fetch-and-run)
        return Value(value.const + [item.const for item in items], labels, value.name, value.via, value.trace)
    return merge([value, *items], UNKNOWN, value.name)


def _built(assigned, held):
    """The text `this.x` ends with when the class sets it and then adds to it (`this.cmd = "cur"; this.cmd += "l .."`),
    every part known and written in that order; UNKNOWN otherwise (or when it is set more than once)."""
    if len(held) < 2 or assigned[0].type != "assignment_expression" or \
            any(at.type != "augmented_assignment_expression" or at.child(1).text != b"+=" for at in assigned[1:]) or \
            not all(isinstance(v.const, str) for v in held):
        return held[0].const if len(held) == 1 else UNKNOWN
    return "".join(v.const for v in held)


def _sites(values, cls, prop: str):
    """(assignments to this.prop (`=` and `+=`), this.prop nodes passed as a call's first argument, calls
    this.prop.push(...) / unshift(...)) in the class."""
    needle = b"this." + prop.encode()
    source = values.source
    assigned, sites, pushed = [], [], []
    pos = source.find(needle, cls.start_byte, cls.end_byte)
    while pos >= 0 and len(assigned) + len(sites) + len(pushed) < MAX_SITES:
        end = pos + len(needle)
        if end >= len(source) or not (chr(source[end]).isalnum() or source[end] in b"_$"):
            member = cls.descendant_for_byte_range(pos, end)
            while member is not None and member.type != "member_expression" and member.end_byte <= end:
                member = member.parent
            if member is not None and member.type == "member_expression" and member.start_byte == pos \
                    and member.end_byte == end:
                parent = member.parent
                if parent.type in ("assignment_expression", "augmented_assignment_expression") and \
                        parent.child_by_field_name("left") == member:
                    assigned.append(parent)
                elif parent.type == "arguments" and parent.named_children[:1] == [member]:
                    sites.append(member)
                elif parent.type == "member_expression" and parent.child_by_field_name("object") == member and \
                        parent.child_by_field_name("property").text in (b"push", b"unshift") and \
                        parent.parent is not None and parent.parent.type == "call_expression" and \
                        parent.parent.child_by_field_name("function") == parent:
                    pushed.append(parent.parent)
        pos = source.find(needle, end, cls.end_byte)
    return assigned, sites, pushed



def this_method(fn):
    """The method `this.name` calls inside a class (`run() { return execSync(this.command()); }`), or None."""
    if fn is None or fn.type != "member_expression":
        return None
    obj, prop = fn.child_by_field_name("object"), fn.child_by_field_name("property")
    if obj is None or obj.type != "this" or prop is None:
        return None
    cls = fn.parent
    while cls is not None and cls.type not in _CLASSES:
        cls = cls.parent
    body = cls.child_by_field_name("body") if cls is not None else None
    for member in body.named_children if body is not None else ():
        name = member.child_by_field_name("name") if member.type == "method_definition" else None
        if name is not None and name.text == prop.text and not any(c.type in ("get", "set", "static")
                                                                     for c in member.children[:2]):
            return member
    return None
