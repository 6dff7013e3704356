"""Value helpers the other-language adapters share: `+` of strings, joined arrays, labelled source values."""
from __future__ import annotations

from ..constants import UNKNOWN
from ..facts import NOTHING, Step, Value, merge

MAX_TEXT = 8192  # longest constant string built


def concat(left: Value, right: Value) -> Value:
    """`left + right` for strings (constant when both are), labels and traces joined."""
    const = UNKNOWN
    if isinstance(left.const, str) and isinstance(right.const, str) and len(left.const) + len(right.const) <= MAX_TEXT:
        const = left.const + right.const
    if not left.labels and not right.labels:
        return Value(const) if const is not UNKNOWN else NOTHING
    return merge((left, right), const=const)


def const(text: str) -> Value:
    return Value(text) if len(text) <= MAX_TEXT else NOTHING


def labelled(labels, line: int, note: str, const_value=UNKNOWN) -> Value:
    """A value that comes from a source: its labels and the step where it entered."""
    return Value(const_value, frozenset(labels), None, None, (Step(line, note),))


def join(values: list[Value], sep: str = " ") -> Value:
    """The values as one string joined by sep (constant when all are), labels joined."""
    if values and all(isinstance(v.const, str) for v in values):
        text = sep.join(v.const for v in values)
        if len(text) <= MAX_TEXT:
            return merge(values, const=text) if any(v.labels for v in values) else Value(text)
    return merge(values)
