"""A Python f-string as a template: its text with a marker for each placeholder, and what each placeholder may be.
One place for the constant interpreter (every placeholder one constant: one text) and for allow-listed f-strings
(a placeholder one of a constant table's entries: a few texts)."""
from __future__ import annotations

import ast
import re
import warnings
from itertools import product


class NotTemplate(Exception):
    """A placeholder with a format specifier or a conversion (`{x:>10}`, `{x!r}`): not filled here."""


_MARK = re.compile("\ue000(\\d+)\ue001")


def literal(text: str):
    """A literal's value (never runs code); a scanned file's odd escapes must not warn on our stderr."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return ast.literal_eval(text)


def template(node, slot) -> tuple[str, list]:
    """(the f-string's text with placeholder i written \\ue000i\\ue001, [slot(expression) for each placeholder]).
    `slot` may raise to refuse a placeholder; SyntaxError/ValueError come from a text Python would not read."""
    children = node.children
    start = children[0].text.decode("utf-8", "replace")
    prefix = start.rstrip("'\"")
    quote = start[len(prefix):]
    parts: list[str] = []
    slots: list = []
    for child in children[1:-1]:
        if child.type == "interpolation":
            if child.child_by_field_name("format_specifier") or child.child_by_field_name("type_conversion"):
                raise NotTemplate
            parts.append(f"\ue000{len(slots)}\ue001")
            slots.append(slot(child.child_by_field_name("expression")))
        else:
            parts.append(child.text.decode("utf-8").replace("{{", "{").replace("}}", "}"))
    return literal(prefix.replace("f", "").replace("F", "") + quote + "".join(parts) + quote), slots


def filled(text: str, slots: list[tuple[str, ...]]) -> list[str]:
    """Every text the template gives, one option per placeholder (in order, without repeats)."""
    out = [_MARK.sub(lambda m: chosen[int(m.group(1))], text) for chosen in product(*slots)]
    return list(dict.fromkeys(out))
