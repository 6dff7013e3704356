"""Many rule gates tested at once against one source: each distinct token is looked up a single time."""
from __future__ import annotations

from itertools import compress

from .rule_gate import _WORD, Gate, Presence


class GateIndex:
    """Many gates tested together: every distinct token is looked up once per source, then each
    gate is a few set intersections (what a file's ~70 rule gates cost drops to well under a ms)."""

    def __init__(self, gates: list[Gate | None]):
        ids: dict[tuple[str, bool], int] = {}

        def ident(token: str, folded: bool) -> int:
            return ids.setdefault((token, folded), len(ids))

        self.gates = [None if g is None else tuple(
            tuple(frozenset([*(ident(t, False) for t in c[0]), *(ident(t, True) for t in c[1])]) for c in clauses)
            for clauses in g.patterns) for g in gates]
        groups: dict[tuple[bool, bool], list[tuple[str, int]]] = {}
        for (token, folded), i in ids.items():
            groups.setdefault((folded, _WORD.fullmatch(token) is not None), []).append((token, i))
        # per group: the tokens as bytes, their (token, folded) memo keys, their ids
        self._groups = [(folded, word, [t.encode("utf-8") for t, _i in tokens], [(t, folded) for t, _i in tokens],
                         [i for _t, i in tokens]) for (folded, word), tokens in groups.items()]

    def admitted(self, seen: Presence) -> list[bool]:
        """For each gate, whether the source may satisfy it (an ungated rule: always)."""
        present: set[int] = set()
        for folded, word, tokens, keys, ids in self._groups:
            if folded and seen.trapped():
                present.update(ids)
                continue
            text = seen.text(word, folded)
            found = [token in text for token in tokens]
            seen.note_all(zip(keys, found))
            present.update(compress(ids, found))
        return [gate is None or any(all(not c.isdisjoint(present) for c in clauses) for clauses in gate)
                for gate in self.gates]
