"""The embedded state store (SQLite, WAL) that makes crawling mirrors incremental and crash-safe."""
from __future__ import annotations

from .records import MirrorFinding, Occurrence
from .store import State, StateError, open_state

__all__ = ["open_state", "State", "StateError", "Occurrence", "MirrorFinding"]
