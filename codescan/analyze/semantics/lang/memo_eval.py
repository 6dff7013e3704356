"""Memoized, bounded evaluation of tree nodes: the caps and budget checks the Python and JS evaluators share."""
from __future__ import annotations

from ...treesitter import Deadline
from ..constants import NotConstant
from ..facts import NOTHING, Value

MAX_DEPTH = 40  # nesting of evaluations (names through names through calls)
MAX_EVALS = 20_000  # expressions evaluated per file


class MemoEval:
    """`ev(node)` runs the subclass's `_eval(node)` once per node: cycles and nesting past MAX_DEPTH give
    NOTHING, more than MAX_EVALS evaluations give NOTHING, and the per-file budget is checked every 64th.
    A subclass sets `_memo`, `_busy`, `_depth`, `_evals` and `deadline` (a Budget or None) in its __init__."""

    _memo: dict[int, Value]
    _busy: set[int]
    _depth: int
    _evals: int
    deadline: object

    def _eval(self, node) -> Value:
        raise NotImplementedError

    def ev(self, node) -> Value:
        if node is None:
            return NOTHING
        key = node.id
        found = self._memo.get(key)
        if found is not None:
            return found
        if key in self._busy or self._depth > MAX_DEPTH or self._evals > MAX_EVALS:
            return NOTHING
        self._evals += 1
        if self.deadline is not None and not self._evals % 64 and self.deadline.expired():
            raise Deadline()
        self._busy.add(key)
        self._depth += 1
        try:
            value = self._eval(node)
        except (NotConstant, RecursionError):
            value = NOTHING
        finally:
            self._depth -= 1
            self._busy.discard(key)
        self._memo[key] = value
        return value
