"""Value helpers the other-language adapters share: `+` of strings, joined arrays, labelled source values."""
from __future__ import annotations

from ..constants import UNKNOWN
from ..facts import NOTHING, Step, Value, merge
from .clike_literals import Char

MAX_TEXT = 8192  # longest constant string built


def concat(left: Value, right: Value) -> Value:
    """`left + right` for strings (constant when both are; a char code counts as its character), labels and
    traces joined."""
    const = UNKNOWN
    a, b = _textual(left.const), _textual(right.const)
    if a is not None and b is not None and len(a) + len(b) <= MAX_TEXT:
        const = a + b
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
    texts = [_textual(v.const) for v in values]
    if values and all(t is not None for t in texts):
        text = sep.join(texts)
        if len(text) <= MAX_TEXT:
            return merge(values, const=text) if any(v.labels for v in values) else Value(text)
    return merge(values)


def _textual(const) -> str | None:
    """A constant as text for `+` and joins: strings, and char codes as their character."""
    if isinstance(const, str):
        return const
    if isinstance(const, Char):
        return chr(const)
    return None
