"""The known text of a Python string built partly from data not known here (`"curl -s %s | sh" % url`,
f"https://127.0.0.1:{port}/"): its constant parts kept and each unknown part one HOLE, so that rules matching a
command's or a URL's shape (`matches`, `not_matches`) see it. Never a constant: equality and `constant` tests
do not read it."""
from __future__ import annotations

import re

from ..facts import Value

HOLE = "\ufffc"  # OBJECT REPLACEMENT CHARACTER: stands for text not known here
MAX_SKELETON = 4096
MAX_ITEMS = 32
_CONVERSION = re.compile(r"%(\([^)]{0,64}\))?[-#0 +]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[hlL]?([diouxXeEfFgGcrsa%])")


def text_part(value: Value) -> str:
    """What a part adds to the text: a constant as str() gives it, a skeleton as it is, else a hole."""
    const = value.const
    if isinstance(const, str):
        return const
    if isinstance(const, (int, float)) and not isinstance(const, bool):
        return str(const)
    return value.text or HOLE


def _texty(value: Value) -> bool:
    return isinstance(value.const, str) or bool(value.text)


def skeleton(values, node, parts: list) -> str | None:
    """The skeleton of a `+`, a `%` format or an f-string whose value is not known entirely; None when no
    constant text is in it."""
    kind = node.type
    if kind == "binary_operator":
        op = node.child_by_field_name("operator")
        op = op.type if op is not None else ""
        if op == "+" and len(parts) == 2 and (_texty(parts[0]) or _texty(parts[1])) and \
                not isinstance(parts[0].const, (bytes, list, tuple)) and not isinstance(parts[1].const, (bytes, list, tuple)):
            text = text_part(parts[0]) + text_part(parts[1])
        elif op == "%" and len(parts) == 2 and _texty(parts[0]):
            text = _percent(values, text_part(parts[0]), node.child_by_field_name("right"), parts[1])
        else:
            return None
    elif kind == "string":
        text = _fstring(values, node)
    else:
        return None
    if text is None or len(text) > MAX_SKELETON or not text.replace(HOLE, "").strip():
        return None
    return text


def _percent(values, template: str, right, right_value: Value) -> str | None:
    if right is not None and right.type == "tuple":
        items = [values.ev(c) for c in right.named_children[:MAX_ITEMS] if c.type != "comment"]
    else:
        items = [right_value]
    position = 0

    def fill(match) -> str:
        nonlocal position
        if match.group(2) == "%":
            return "%"
        if match.group(1):  # %(name)s: a mapping's entry
            return HOLE
        item = items[position] if position < len(items) else None
        position += 1
        return HOLE if item is None else text_part(item)

    return _CONVERSION.sub(fill, template)


def _fstring(values, node) -> str | None:
    start = node.named_children[0] if node.named_child_count else None
    if start is None or start.type != "string_start" or b"f" not in start.text.lower():
        return None
    out = []
    for child in node.named_children[1:]:
        if child.type == "string_content":
            out.append(child.text.decode("utf-8", "replace"))
        elif child.type == "interpolation":
            inner = child.child_by_field_name("expression")
            out.append(text_part(values.ev(inner)) if inner is not None else HOLE)
    return "".join(out)
