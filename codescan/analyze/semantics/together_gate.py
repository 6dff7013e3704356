"""Per file: the `together` fact rules one of whose items cannot occur there (its labels or, in Python, its callees' last words absent)."""
from __future__ import annotations

from ..rule_gate import presence_of

# Python words through which a callee name can be made from a text (getattr(os, "ch" "mod"), globals()[k],
# sys.modules[k], X.__dict__[k], vars(m)[k], eval, the importers, methodcaller("name")): a file holding one
# may call anything, so its words say nothing about its callees. The Python adapter's DYNAMIC words (attrgetter...)
# are added to these when the gate is made.
PY_BUILDERS = frozenset({b"getattr", b"__import__", b"import_module", b"importlib", b"globals", b"locals", b"vars",
                         b"__builtins__", b"__builtin__", b"builtins", b"modules", b"__getattribute__", b"__dict__",
                         b"eval", b"methodcaller"})


class _Item:
    """What one `together` item needs: one of `labels` possible (None: no label needed) and, for a Python
    callee, one of its patterns' last words in the file (`words` None: some pattern needs none)."""

    __slots__ = ("labels", "words", "chunks")

    def __init__(self, item):
        when = item.when
        self.labels = frozenset(when.label) if when is not None and when.label else None
        words: set[bytes] = set()
        chunks: list[tuple[bytes, ...]] = []  # wildcard last words: the literal pieces any fitting word holds
        for pattern in item.callee:
            parts = [p.rstrip("()") for p in pattern.split(".")]
            while len(parts) > 1 and not parts[-1].strip("*"):
                parts.pop()  # as names.last_parts: `subprocess.*` is named through `subprocess`
            last = parts[-1]
            # `<data>.x`, same-file functions, the comparisons auth_gates reports (operator.eq, no word
            # `eq` written), an all-wildcard last part: nothing the file must spell
            if "<" in pattern or parts[0] == "operator" or not last.strip("*") or "$" in last:
                words = None
                break
            if "*" in last:
                chunks.append(tuple(c.encode() for c in last.split("*") if c))
            else:
                words.add(last.encode())
        self.words = None if words is None else frozenset(words)
        self.chunks = tuple(chunks)

    def possible(self, present, word_set: set | None, source: bytes) -> bool:
        if self.labels is not None and not any(present.has(label) for label in self.labels):
            return False  # the item's value must carry a label no source in the file can give
        if word_set is None or self.words is None:
            return True
        if not self.words.isdisjoint(word_set):
            return True
        return any(all(c in source for c in chunk) for chunk in self.chunks)


class TogetherGate:
    """`possible(rule, present, source, language)` for the `together` rules of one rule set."""

    def __init__(self, rules):
        self._builders: frozenset | None = None  # read from the Python adapter on the first Python source
        self._items = {r.id: tuple(_Item(item) for item in r.facts.together)
                       for r in rules if r.facts is not None and r.facts.sink is None and r.facts.together}

    def words_for(self, source: bytes, language: str) -> set | None:
        """The file's distinct words when they bound its callees' names (Python without a name builder), else None."""
        if language != "python":
            return None
        if self._builders is None:
            # the adapter's name-building words, whatever it learns later; imported here, not when the analyzer
            # is built, so a scan without Python never loads the Python adapter
            from .lang.python import DYNAMIC
            self._builders = PY_BUILDERS | frozenset(DYNAMIC)
        words = presence_of(source).word_set()
        return None if not self._builders.isdisjoint(words) else words

    def possible(self, rule, present, word_set: set | None, source: bytes) -> bool:
        items = self._items.get(rule.id)
        return items is None or all(item.possible(present, word_set, source) for item in items)
