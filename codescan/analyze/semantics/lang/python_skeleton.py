"""The skeleton (semantics/skeleton.py) of a Python `+`, `%` format or f-string not known entirely."""
from __future__ import annotations

import re

from ..constants import UNKNOWN
from ..facts import Value, merge
from ..text_labels import constant_labels
from ..skeleton import HOLE, kept, text_part, texty
from ..string_literals import MISS, text_body

MAX_ITEMS = 32
_CONVERSION = re.compile(r"%(\([^)]{0,64}\))?[-#0 +]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[hlL]?([diouxXeEfFgGcrsa%])")
_NOT_TEXT = (bytes, list, tuple)


def skeleton(values, node, parts: list) -> str | None:
    """The skeleton of `node` whose parts' Values are `parts`; None when no constant text is in it."""
    kind = node.type
    if kind == "binary_operator":
        op = node.child_by_field_name("operator")
        op = op.type if op is not None else ""
        if op == "+" and len(parts) == 2 and (texty(parts[0]) or texty(parts[1])) and \
                not isinstance(parts[0].const, _NOT_TEXT) and not isinstance(parts[1].const, _NOT_TEXT):
            return kept(text_part(parts[0]) + text_part(parts[1]))
        if op == "%" and len(parts) == 2 and texty(parts[0]):
            return kept(_percent(values, text_part(parts[0]), node.child_by_field_name("right"), parts[1]))
        return None
    if kind == "string":
        return kept(_fstring(values, node))
    return None


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
    raw = b"r" in start.text.lower()
    out = []
    for child in node.named_children[1:]:
        if child.type == "string_content":
            text = child.text.decode("utf-8", "replace")
            decoded = text if raw else text_body(text)  # `\n` a newline, as Python reads it
            out.append(text if decoded is MISS else decoded)
        elif child.type == "interpolation":
            inner = child.child_by_field_name("expression")
            out.append(text_part(values.ev(inner)) if inner is not None else HOLE)
    return "".join(out)


_FIELD = re.compile(r"\{\{|\}\}|\{([^{}!:]*)(?:![rsa])?(?::[^{}]*)?\}")


def method_skeleton(values, method: str, receiver: Value, args: list, keywords: list) -> str | None:
    """`"curl {} | sh".format(url)` and `" ".join(["curl", url, "|", "sh"])` when a part is not known here."""
    if method == "format" and texty(receiver):
        positional = [values.ev(a) for a in args[:MAX_ITEMS]]
        named = {k: values.ev(v) for k, v in keywords[:MAX_ITEMS]}
        auto = iter(range(len(positional)))

        def fill(match) -> str:
            token = match.group(0)
            if token in ("{{", "}}"):
                return token[0]
            field = match.group(1)
            key, _, _rest = field.partition(".")
            key, _, _index = key.partition("[")
            if key == "":
                i = next(auto, None)
                return text_part(positional[i]) if i is not None else HOLE
            if key.isdigit():
                i = int(key)
                return text_part(positional[i]) if i < len(positional) else HOLE
            return text_part(named[key]) if key in named else HOLE

        return kept(_FIELD.sub(fill, text_part(receiver)))
    if method == "replace" and not receiver.known and len(args) == 2 and not keywords:
        new = values.ev(args[1])  # text.replace(addr, MINE): what was put in, among parts not known here
        if isinstance(new.const, str):
            return kept(HOLE + new.const + HOLE)
    if method == "join" and isinstance(receiver.const, str) and len(args) == 1 and not keywords:
        items = values.ev(args[0])
        if isinstance(items.const, (list, tuple)) and 0 < len(items.const) <= MAX_ITEMS * 4:
            parts = [item if isinstance(item, str) else HOLE for item in items.const]
            return kept(receiver.const.join(parts))
    return None


# labels of a configured value whose own text stays unknown: `<setting> or "default"` is then the default's text
_SETTING_LABELS = frozenset({"env-var"})


def or_fallback(node, parts) -> Value | None:
    """`os.environ.get("CMD") or "curl … | sh"`, `cfg or "…"`: a value read from the configuration (or from
    nothing known) with a constant string as its fallback. The fallback is what runs unless the setting is made,
    so its text is the value's shape (rules' `matches` read it); None for `and`, a non-constant right side, or a
    left side carrying other data (a download `or` a default keeps the download's own shape)."""
    op = node.child_by_field_name("operator")
    left, right = parts
    if op is None or op.type != "or" or not isinstance(right.const, str) or left.known or left.text is not None:
        return None
    if not {lab for lab in left.labels if not lab.startswith("param:")} <= _SETTING_LABELS:
        return None
    merged = merge(parts)
    return Value(UNKNOWN, merged.labels | constant_labels(right.const), None, None, merged.trace, (), right.const)
