"""Answers of pure functions of a name or a constant, kept per process (the same few are asked about file after file)."""
from __future__ import annotations

MAX_MEMO = 65_536  # answers a table keeps; past this it is emptied


class PureMemo(dict):
    """`memo(key)`: `function(key)` computed once per key (the function must depend on nothing else)."""

    def __init__(self, function, limit: int = MAX_MEMO):
        super().__init__()
        self.function = function
        self.limit = limit

    def __call__(self, key):
        found = self.get(key)
        if found is None:
            if len(self) > self.limit:
                self.clear()
            found = self[key] = self.function(key)
        return found
