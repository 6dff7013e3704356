"""Scopes of the other-language adapters and the bindings (events) recorded in them."""
from __future__ import annotations

from dataclasses import dataclass

from ..facts import Value


@dataclass(slots=True)
class Event:
    """One binding of a name in a scope: `set` replaces its value, `add` appends to it (`+=`, `sb.append`),
    `param` marks a parameter (position `index`)."""

    pos: int
    kind: str
    node: object = None
    value: Value | None = None
    index: int = -1
    thunk: object = None  # computes the value lazily (a C buffer written by strcpy/sprintf/recv)


class Scope:
    __slots__ = ("node", "parent", "events", "returns", "name", "params", "id")

    def __init__(self, node, parent, name: str | None, sid: int):
        self.node, self.parent, self.name, self.id = node, parent, name, sid
        self.events: dict[str, list[Event]] = {}
        self.returns: list = []
        self.params: list[str] = []
