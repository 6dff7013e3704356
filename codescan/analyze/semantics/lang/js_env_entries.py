"""Environment settings written as a table: the entries of an object copied into the process environment one by one
(`for (const [k, v] of Object.entries(DEFAULTS)) process.env[k] = v`, `Object.keys(D).forEach(k => process.env[k] =
D[k])`, `for (k in D)`), and the entries of an object that is an environment itself (`process.env = {...}`,
`{ ...process.env, K: v }` handed to a child process). Each entry becomes the set `process.env(key, value)` at the
entry's line, so a rule on one setting reads it however the table is applied."""
from __future__ import annotations

from ..facts import Call, Step, Value

MAX_DEPTH = 3  # objects spread into objects (`{ ...BASE, ...OVERRIDES }`) followed this deep
_LOOPS = ("for_in_statement",)
_FUNCTIONS = ("arrow_function", "function_expression", "function")
_DECLARATIONS = ("lexical_declaration", "variable_declaration")


def entry_sets(values, callee: str, assign, index, room: int) -> list:
    """`process.env[k] = v` where k walks the keys of an object known here: one set per entry of that object, with
    the entry's value when v is the entry's value (the loop's `v`, or `D[k]`), else with v."""
    if index is None or index.type != "identifier" or room <= 0:
        return []
    name = index.text
    found = _walked(assign, name)
    if found is None:
        return []
    table, value_name = found
    right = assign.child_by_field_name("right")
    own = right is not None and (right.type == "identifier" and value_name is not None and right.text == value_name or
                                 right.type == "subscript_expression" and right.child_by_field_name("index") is not None
                                 and right.child_by_field_name("index").text == name and
                                 right.child_by_field_name("object").text == table.text)
    given = None if own else values.ev(right)
    line = assign.start_point[0] + 1
    out = []
    for key, value, pair in _entries(values, object_of(table), 0):
        if len(out) >= room:
            break
        out.append(Call(callee=callee, args=(key, value if given is None else given), line=pair.start_point[0] + 1,
                        end_line=pair.end_point[0] + 1, column=pair.start_point[1] + 1, scope=-1,
                        trace=(Step(line, "each entry is copied into process.env here"),)))
    return out


def literal_sets(values, callee: str, literal, room: int) -> list:
    """The entries of an object literal that is an environment (assigned to process.env, or spreading it)."""
    out = []
    for key, value, pair in _entries(values, literal, 0):
        if len(out) >= room:
            break
        out.append(Call(callee=callee, args=(key, value), line=pair.start_point[0] + 1, end_line=pair.end_point[0] + 1,
                        column=pair.start_point[1] + 1, scope=-1))
    return out


def _walked(node, name: bytes):
    """(the object whose keys `name` walks, the name its values are bound to or None), from the nearest loop or
    iteration callback around `node` that binds `name`."""
    current = node.parent
    for _ in range(12):
        if current is None:
            return None
        if current.type in _LOOPS:
            left, right = current.child_by_field_name("left"), current.child_by_field_name("right")
            operator = current.child_by_field_name("operator")
            if left is not None and right is not None:
                if operator is not None and operator.text == b"in" and left.text == name:
                    return right, None  # for (k in D)
                bound = _bound(left, name)
                table = _iterated(right)
                if bound is not None and table is not None:  # for (const [k, v] of Object.entries(D))
                    return table[0], bound[1] if table[1] == "entries" else None
        elif current.type in _FUNCTIONS:
            call = current.parent.parent if current.parent is not None else None
            fn = call.child_by_field_name("function") if call is not None and call.type == "call_expression" else None
            if fn is not None and fn.type == "member_expression" and \
                    fn.child_by_field_name("property").text in (b"forEach", b"map"):
                table = _iterated(fn.child_by_field_name("object"))
                params = current.child_by_field_name("parameters")
                first = current.child_by_field_name("parameter") or (
                    params.named_children[0] if params is not None and params.named_children else None)
                bound = _bound(first, name) if first is not None else None
                if table is not None and bound is not None:
                    return table[0], bound[1] if table[1] == "entries" else None
            return None  # a function boundary: the key is a parameter of something else
        current = current.parent
    return None


def _bound(pattern, name: bytes):
    """How a loop pattern binds `name`: ("key", None) for `k`, ("entries", v-name) for `[k, v]`; None otherwise."""
    if pattern.type == "identifier" and pattern.text == name:
        return "key", None
    if pattern.type in ("lexical_declaration", "variable_declaration"):  # the older grammar's `const k`
        return None
    if pattern.type == "array_pattern":
        items = [c for c in pattern.named_children if c.type != "comment"]
        if items and items[0].type == "identifier" and items[0].text == name:
            value = items[1].text if len(items) > 1 and items[1].type == "identifier" else None
            return "entries", value
    return None


def _iterated(node):
    """(D, "entries" | "keys") for `Object.entries(D)` / `Object.keys(D)`, else None."""
    if node is None or node.type != "call_expression":
        return None
    fn = node.child_by_field_name("function")
    args = node.child_by_field_name("arguments")
    if fn is None or fn.type != "member_expression" or fn.child_by_field_name("object").text != b"Object" or \
            args is None or not args.named_children:
        return None
    kind = fn.child_by_field_name("property").text
    if kind not in (b"entries", b"keys"):
        return None
    return args.named_children[0], kind.decode()


def object_of(node):
    """The object literal `node` is, or the one a name declared in a block around it holds."""
    if node is None:
        return None
    if node.type == "object":
        return node
    if node.type != "identifier":
        return None
    block = node.parent
    while block is not None:
        for child in block.named_children:
            if child.type not in _DECLARATIONS or child.start_byte > node.start_byte:
                continue
            for declarator in child.named_children:
                target = declarator.child_by_field_name("name")
                value = declarator.child_by_field_name("value")
                if target is not None and target.text == node.text and value is not None and value.type == "object":
                    return value
        block = block.parent
    return None


def _entries(values, literal, depth: int):
    """(key Value, value Value, pair node) for each entry of an object literal, spreads of known objects included
    (the process environment itself is not a table of settings)."""
    if literal is None or depth > MAX_DEPTH:
        return
    for part in literal.named_children:
        if part.type == "pair":
            name = part.child_by_field_name("key")
            key = Value(name.text.decode("utf-8", "replace").strip("'\"`")) if name.type in (
                "property_identifier", "string") else values.ev(name)
            yield key, values.ev(part.child_by_field_name("value")), part
        elif part.type == "spread_element" and part.named_children:
            spread = part.named_children[0]
            if spread.type != "member_expression" or spread.text.replace(b" ", b"") != b"process.env":
                yield from _entries(values, object_of(spread), depth + 1)
