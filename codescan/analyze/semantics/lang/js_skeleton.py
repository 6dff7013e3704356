"""The skeleton (semantics/skeleton.py) of a JavaScript template literal or `+` not known entirely."""
from __future__ import annotations

from ..skeleton import HOLE, kept, text_part, texty

_NOT_TEXT = (bytes, list, tuple, dict)


def skeleton(values, node) -> str | None:
    kind = node.type
    if kind == "template_string":
        out = []
        for child in node.named_children:
            if child.type == "string_fragment":
                out.append(child.text.decode("utf-8", "replace"))
            elif child.type == "escape_sequence":
                out.append(" " if child.text in (b"\\n", b"\\t", b"\\r") else child.text.decode("utf-8", "replace")[1:])
            elif child.type == "template_substitution":
                inner = [c for c in child.named_children if c.type != "comment"]
                out.append(text_part(values.ev(inner[0])) if len(inner) == 1 else HOLE)
        return kept("".join(out))
    if kind == "binary_expression":
        op = node.child_by_field_name("operator")
        if op is None or op.type != "+":
            return None
        sides = [node.child_by_field_name("left"), node.child_by_field_name("right")]
        if any(side is None for side in sides):
            return None
        parts = [values.ev(side) for side in sides]
        if not (texty(parts[0]) or texty(parts[1])) or any(isinstance(p.const, _NOT_TEXT) for p in parts):
            return None
        return kept(text_part(parts[0]) + text_part(parts[1]))
    return None
