"""`self.x` in a class: what its methods assign to it, write into the file it names or put into the container it
holds, else the method or class-body binding of that name."""
from __future__ import annotations

from ... import budget as budgets
from ..constants import UNKNOWN
from ..facts import NOTHING, Value, merge
from ..text_labels import constant_labels
from .python_classattrs import class_level, enclosing_class
from .python_method_stores import folded_at_sites
from .python_mutations import written
from .python_unpack import unpacked_at
from .python_summaries import def_start


PREFILTER = True  # class_attribute skips, by the byte after it, a `self.x` that cannot be assigned (off: tests compare)
_NOT_ASSIGNED = (b".", b"(", b"[")
_WORD = frozenset(bytes([c]) for c in b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")


def self_attribute(values, node, attr: str) -> Value | None:
    """`self.x`: the values assigned to `self.x` anywhere in the enclosing class (once per class)."""
    cls = enclosing_class(node)
    if cls is None:
        return None
    key = (cls.start_byte, attr)
    if key not in values._attributes:
        values._attributes[key] = NOTHING  # while it is being computed (self.x = self.x + 1)
        values._attributes[key] = class_attribute(values, cls, attr)
    return values._attributes[key]


def class_attribute(values, cls, attr: str) -> Value | None:
    needle = b"self." + attr.encode()
    found = []
    pos = values.source.find(needle, cls.start_byte, cls.end_byte)
    clean = values.scopes.clean
    while pos >= 0 and len(found) < 8:
        after = values.source[pos + len(needle):pos + len(needle) + 1]
        if PREFILTER and clean and (after in _NOT_ASSIGNED or after in _WORD):
            # `self.x.y`, `self.x(`, `self.x[`, `self.xy`: in a tree without errors, not an assignment's target
            pos = values.source.find(needle, pos + len(needle), cls.end_byte)
            continue
        target = values.scopes.locate(pos, pos + len(needle))
        if target is not None and target.end_byte != pos + len(needle):
            target = None  # `self.cmd_note` when asked for `self.cmd`: another attribute
        if target is not None and target.type == "attribute" and target.parent.type == "assignment" \
                and target.parent.child_by_field_name("left") == target:
            found.append(values.ev(target.parent.child_by_field_name("right")))
        elif target is not None and target.type == "attribute" and target.parent.type == "pattern_list" and \
                target.parent.parent is not None and target.parent.parent.type == "assignment" and \
                target.parent.parent.child_by_field_name("left") == target.parent:  # fd, self.path = mkstemp()
            position = next(i for i, c in enumerate(target.parent.named_children) if c == target)
            found.append(unpacked_at(values, position, target.parent.parent))
        elif target is not None and target.type == "attribute" and target.parent.type == "augmented_assignment" \
                and target.parent.child_by_field_name("left") == target:
            found = _augmented(values, target.parent, found)  # self.cmd = "cu"; self.cmd += "rl … | sh"
        pos = values.source.find(needle, pos + len(needle), cls.end_byte)
    written, stored, keyed, filled = _written_through(values, cls, needle)
    if len(found) == 1 and isinstance(found[0].const, dict) and keyed and not stored.labels:
        # self.kw = dict(timeout=3); self.kw["ver" + "ify"] = False: the entries stored by constant keys
        held = found[0]
        found = [Value({**held.const, **keyed}, held.labels, held.name, held.via, held.trace)]
    if not found:
        held = method(values, cls, attr)
        if held is None:  # `parts = {...}` in the class body, read as self.parts
            name = cls.child_by_field_name("name")
            held = class_level(values, cls, name.text.decode("utf-8", "replace") if name is not None else "", attr)
        if held is not None and filled and isinstance(held.const, list) and not written.labels:
            return _with_items(held, filled, stored)  # `steps = []` in the class body, filled by a method
        if held is None or not (written.labels or stored.labels):
            return held
        return merge([held, _downloaded(written), stored], UNKNOWN, held.name)
    if len(found) == 1 and filled and isinstance(found[0].const, list) and not written.labels:
        return _with_items(found[0], filled, stored)
    if written.labels or stored.labels:  # (a container filled later no longer holds its first constant)
        return merge([*found, _downloaded(written), stored], UNKNOWN, found[0].name if len(found) == 1 else None)
    if len(found) == 1:
        return found[0]
    return merge(found)


def _with_items(held: Value, filled: list, stored: Value) -> Value:
    """self.steps = [] then self.steps.append("curl … | sh") in another method: the list holds what the methods
    put in it (every item a constant; the order and the count are the methods', not known here)."""
    return Value(held.const + filled, held.labels | stored.labels, held.name, held.via, stored.trace or held.trace)


def _augmented(values, statement, found: list) -> list:
    """`self.x += part` after the assignments seen so far (source order): text joined to the last text held,
    else the part's data added to what `self.x` may hold."""
    operator = statement.child_by_field_name("operator")
    part = values.ev(statement.child_by_field_name("right"))
    if operator is not None and operator.text == b"+=" and found and isinstance(found[-1].const, str) \
            and isinstance(part.const, str):
        last = found[-1]
        text = last.const + part.const
        joined = Value(text, last.labels | part.labels | constant_labels(text), None, None, last.trace)
        return [*found[:-1], joined]
    return [*found, Value(UNKNOWN, part.labels, None, None, part.trace)] if part.labels else found


_FILLERS = {"append", "extend", "update", "insert", "add", "setdefault", "appendleft"}
_WRITERS = frozenset(("write_bytes", "write_text"))


def _written_through(values, cls, needle: bytes) -> tuple[Value, Value]:
    """Data methods of the class put into `self.x`: written into the file it names (`self.x.write_bytes(data)`),
    and stored in the container it holds (`self.x[k] = v`, `self.x.append(v)`)."""
    written_to, stored, keyed, filled = [], [], {}, []
    pos = values.source.find(needle, cls.start_byte, cls.end_byte)
    while pos >= 0 and len(written_to) + len(stored) < 8:
        budgets.tick()
        after = values.source[pos + len(needle):pos + len(needle) + 1]
        target = values.scopes.locate(pos, pos + len(needle)) if after in (b".", b"[", b",", b")") else None
        holder = target.parent if target is not None and target.type == "attribute" else None
        if holder is not None and holder.type == "argument_list":  # open(self.x, "wb") as fh: fh.write(data)
            data = written(values, needle.decode(), target, holder.parent)
            if data.labels:
                written_to.append(data)
            holder = None
        if holder is not None and holder.type == "attribute" and holder.child_by_field_name("object") == target \
                and holder.parent.type == "call" and holder.parent.child_by_field_name("function") == holder:
            method_name = holder.child_by_field_name("attribute").text.decode()
            args = holder.parent.child_by_field_name("arguments")
            # only a writer's or a filler's arguments are read (`self.stream.write(msg)`, `self.lock.acquire()`:
            # evaluating what other methods are given cost most of this walk and was never used)
            data = [values.ev(a) for a in args.named_children if a.type != "comment"] \
                if args is not None and (method_name in _FILLERS or method_name in _WRITERS) else []
            if data and method_name in _WRITERS:
                written_to.append(data[0].with_step(holder.start_point[0] + 1, f"{needle.decode()} written"))
            elif data and method_name in _FILLERS:
                stored.append(merge(data).with_step(holder.start_point[0] + 1, f"{needle.decode()}.{method_name}(...)"))
                filled = _filled(values, filled, method_name, data, args)
        elif holder is not None and holder.type == "subscript" and holder.child_by_field_name("value") == target \
                and holder.parent.type == "assignment" and holder.parent.child_by_field_name("left") == holder:
            right = holder.parent.child_by_field_name("right")
            if right is not None:
                item = values.ev(right)
                stored.append(item.with_step(holder.start_point[0] + 1, f"stored in {needle.decode()}[...]"))
                keys = holder.children_by_field_name("subscript")
                key = values.ev(keys[0]) if len(keys) == 1 else NOTHING
                if keyed is not None and isinstance(key.const, str) and item.known and not item.labels:
                    keyed[key.const] = item.const
                else:
                    keyed = None  # an entry not known here: the container's constants are no longer all it holds
        pos = values.source.find(needle, pos + len(needle), cls.end_byte)
    return (merge(written_to) if written_to else NOTHING), (merge(stored) if stored else NOTHING), keyed or {}, \
        filled or []


_ITEM = {"append": 0, "add": 0, "appendleft": 0, "insert": 1}


def _filled(values, filled: list | None, method_name: str, data: list, args) -> list | None:
    """The constant items put into a list so far (`append(c)`, `insert(i, c)`, `extend([...])`, or an item built
    from the method's parameters folded at each call of the method); None once an item is not a constant text or
    number (then the list's constants are not all it holds)."""
    if filled is None:
        return None
    position = _ITEM.get(method_name)
    if method_name == "extend" and data[0].known and isinstance(data[0].const, (list, tuple)):
        items = list(data[0].const)
    elif position is not None and len(data) > position and data[position].known:
        items = [data[position].const]
    elif position is not None and len(data) > position and data[position].labels and \
            all(label.startswith("param:") for label in data[position].labels):
        nodes = [a for a in args.named_children if a.type != "comment"]
        items = folded_at_sites(values, nodes[position])  # self.steps.append(" ".join(parts)) in add(*parts)
        if items is None:
            return None
    else:
        return None
    if not all(isinstance(i, (str, bytes, int, float)) for i in items) or len(filled) + len(items) > 64:
        return None
    return filled + items


def _downloaded(value: Value) -> Value:
    if "network" in value.labels and "downloaded" not in value.labels:
        return Value(value.const, value.labels | {"downloaded"}, value.name, value.via, value.trace)
    return value


def method(values, cls, attr: str) -> Value | None:
    body = cls.child_by_field_name("body")
    for child in body.named_children if body is not None else ():
        function = child.child_by_field_name("definition") if child.type == "decorated_definition" else child
        if function is not None and function.type == "function_definition" and \
                function.child_by_field_name("name").text.decode() == attr:
            values.defs[function.start_byte] = function
            return Value(name=f"<def:{function.start_byte}>")
    return None


def property_value(values, found):
    """A method reached as an attribute (`Runner().run`) is what its getter returns when it is a @property."""
    if found is None or not found.name or not found.name.startswith("<def:"):
        return found
    function = values.defs.get(def_start(found.name))
    holder = function.parent if function is not None else None
    if holder is None or holder.type != "decorated_definition" or not any(
            d.text.strip() in (b"@property", b"@functools.cached_property", b"@cached_property")
            for d in holder.named_children if d.type == "decorator"):
        return found
    return values.returns(function)
