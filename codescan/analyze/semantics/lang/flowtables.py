"""Allow-list tables in the other languages: `Map.of("date", "created_at", ...)` held as the texts it may give,
`TABLE.get(key)` / `TABLE.getOrDefault(key, "id")` as one of them, and `"... ORDER BY " + col` as every text
the concatenation may give (the constant-only check then holds: nothing from the key reaches the text)."""
from __future__ import annotations

from ..constants import UNKNOWN
from ..facts import Value, merge

TABLE = "<table>"  # the name a constant map's Value carries; its choices are the map's values
MAX_CHOICES = 32
_BUILDERS = ("java.util.Map.of", "Map.of", "java.util.Map.ofEntries", "ImmutableMap.of",
             "com.google.common.collect.ImmutableMap.of", "mapOf", "kotlin.collections.mapOf")
_LOOKUPS = frozenset(("get", "getOrDefault", "getOrElse", "GetValueOrDefault"))


def table_value(callee: str | None, args: list[Value]) -> Value | None:
    """Map.of(k1, v1, k2, v2...) with every key and value a constant text."""
    if callee not in _BUILDERS or not args or len(args) % 2 or len(args) // 2 > MAX_CHOICES:
        return None
    if not all(v.known and isinstance(v.const, str) and not v.labels for v in args):
        return None
    return Value(UNKNOWN, name=TABLE, choices=tuple(Value(v.const) for v in args[1::2]))


def lookup_value(callee: str | None, receiver: Value | None, args: list[Value]) -> Value | None:
    """TABLE.get(key) / TABLE.getOrDefault(key, constant): any of the table's texts (or the default)."""
    method = (callee or "").rsplit(".", 1)[-1]
    if receiver is None or receiver.name != TABLE or method not in _LOOKUPS or not args:
        return None
    choices = receiver.choices
    if method != "get":
        if len(args) < 2 or not (args[1].known and isinstance(args[1].const, str)):
            return None
        choices = choices + (Value(args[1].const),)
    return Value(UNKNOWN, via="dynamic", choices=choices)


def joined(left: Value, right: Value) -> Value | None:
    """`a + b` where a side is a table's choice and the other is known text: every text it may give."""
    if not (left.choices or right.choices):
        return None
    sides = [v.choices if v.choices else (v,) for v in (left, right)]
    if not all(c.known and isinstance(c.const, str) for side in sides for c in side):
        return None
    if len(sides[0]) * len(sides[1]) > MAX_CHOICES:
        return None
    held = merge((left, right))
    return Value(UNKNOWN, held.labels, None, "dynamic", held.trace,
                 tuple(Value(a.const + b.const) for a in sides[0] for b in sides[1]))
