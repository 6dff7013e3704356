"""Many rule gates tested at once against one source: each distinct token is looked up a single time."""
from __future__ import annotations

import re
from bisect import bisect_right
from itertools import accumulate

from .rule_gate import _WORD, END, Gate, Presence, ends_a_word


WORD_MEMO = True  # found from the source's words, each word's tokens remembered (off: one regex pass; tests compare)
WORD_MEMO_SIZE = 1 << 17  # distinct words remembered per language and case (~11 MB at the stdlib's 119,443) before the memo starts again
# A small source (code in a comment or docstring, the folded view's changed lines) is met again in the next version
# of its file: its tokens are remembered by its text (818 of the history bench's 945 small sources were repeats),
# not its ~700 notes (a later has() looks its few tokens up itself): at most SMALL_MEMO_SIZE texts of SMALL_BYTES.
SMALL_MEMO = True  # off: tests compare
# found_in unites the tokens of the source's words that hold one (kept as a set beside the memo), not a lookup of
# every word (most hold none). Off: tests compare
HOLDING = True
SMALL_BYTES = 4096
SMALL_MEMO_SIZE = 2048


class GateIndex:
    """Many gates tested together: every distinct token is looked up once per source, then each
    gate is a few set intersections (what a file's ~70 rule gates cost drops to well under a ms).

    Word-character runs are looked up in the source's distinct words (a sixth of its size). A token
    holding other characters is searched in the whole source only when its longest word run occurs:
    a run inside the token lies inside one of the source's words wherever the token occurs, so most
    such tokens (`"eval"`, `'os'`, `.bashrc`) are ruled out by one cheap word lookup. A word ending in
    END (a whole name) is looked up at the end of the source's words (ends_a_word)."""

    def __init__(self, gates: list[Gate | None]):
        ids: dict[tuple[str, bool], int] = {}

        def ident(token: str, folded: bool) -> int:
            return ids.setdefault((token, folded), len(ids))

        self.gates = [None if g is None else tuple(
            tuple(frozenset([*(ident(t, False) for t in c[0]), *(ident(t, True) for t in c[1])]) for c in clauses)
            for clauses in g.patterns) for g in gates]
        self._anyof = [frozenset() if g is None else frozenset().union(*(c for clauses in g for c in clauses))
                       for g in self.gates]
        # per case (as written, lower-cased): the words to look up, and the other tokens with the
        # index of their longest word run in that list (None: no run, always searched)
        self._cases = []
        self._last: tuple[Presence, set[int]] | None = None  # the last source's tokens (present())
        self._small: dict[bytes, set[int]] = {}  # a small source's tokens, by its text
        # tokens a line break may split (none of today's rules has one): taken as present in an edited source
        self._multiline = frozenset(i for (token, _f), i in ids.items() if "\n" in token.removesuffix(END))
        self._ids = ids  # (token, folded) -> id, for Presence.has to read `present` by (note_all)
        for folded in (False, True):
            words: dict[str, int] = {}
            wordy: list[tuple[bytes, tuple[str, bool], int]] = []
            others: list[tuple[bytes, tuple[str, bool], int, int | None, bool]] = []
            for (token, fold), i in ids.items():
                if fold != folded:
                    continue
                if _WORD.fullmatch(token):
                    words.setdefault(token, len(words))
                    wordy.append((token.encode("utf-8"), (token, fold), i))
                    continue
                runs = _WORD.findall(token)
                run = max(runs, key=len) if runs else None
                others.append((token.encode("utf-8"), (token, fold), i,
                               None if run is None else words.setdefault(run, len(words)), token.endswith(END)))
            # by word index: the word token's id (one at most per case), and the other tokens whose longest run it is
            wordy_of = {words[k[0]]: i for _t, k, i in wordy}
            by_run: dict[int, list[tuple[bytes, bool, int]]] = {}
            for token, _k, i, run, end in others:
                by_run.setdefault(-1 if run is None else run, []).append((token, end, i))
            self._cases.append((folded, _Words([w.encode("utf-8") for w in words]), [i for _t, _k, i in wordy],
                                wordy_of, by_run, [i for _t, _k, i, _r, _e in others]))

    def admitted(self, seen: Presence) -> list[bool]:
        """For each gate, whether the source may satisfy it (an ungated rule: always)."""
        return self._admit(self.present(seen))

    def admitted_edited(self, unchanged: Presence, changed: Presence) -> list[bool]:
        """The gates a source may satisfy that is `unchanged`'s text with some whole lines replaced, the new
        lines joined being `changed`'s text (the folded view). A token lies within one line (a word, a word
        at its end, literal text without a line break), so each token of the edited source occurs in a kept
        line, hence in `unchanged`, or in a new one, hence in `changed`: the union admits every gate the
        edited source would, perhaps more (a rule its gate would leave out matches nothing there anyway).
        A token holding a line break could straddle kept and new lines: taken as present. `unchanged`'s
        tokens were looked up for its own rules (kept), `changed` is a few lines: the whole edited source's
        words are never listed (that cost more than the folded view's queries)."""
        return self._admit(self.present(unchanged) | self.present(changed) | self._multiline)

    def present(self, seen: Presence) -> set[int]:
        """The ids of the tokens `seen`'s source holds (the last source's kept: its folded view asks again)."""
        last = self._last
        if last is not None and last[0] is seen:
            return last[1]
        small = SMALL_MEMO and len(seen.source) <= SMALL_BYTES
        if small:
            known = self._small.get(seen.source)
            if known is not None:  # no notes: a later has() on this small text looks its token up itself
                self._last = (seen, known)
                return known
        present: set[int] = set()
        for folded, words, wordy_ids, wordy_of, by_run, other_ids in self._cases:
            if folded and seen.trapped():
                present.update(wordy_ids)
                present.update(other_ids)
                continue
            # the word indices found: a handful of a source's words hold a token, so only theirs are looked at
            found = words.found_in(seen.word_set(), folded) if WORD_MEMO else words.found(seen.text(True, folded))
            present.update(wordy_of[at] for at in found if at in wordy_of)
            checks = [entry for at in found if at in by_run for entry in by_run[at]] + by_run.get(-1, [])
            if checks:
                listed, source = seen.text(True, folded), seen.text(False, folded)
                present.update(i for token, end, i in checks
                               if (ends_a_word(token, listed) if end else token in source))
        seen.note_all(self._ids, present)
        self._last = (seen, present)
        if small:
            if len(self._small) >= SMALL_MEMO_SIZE:
                self._small.clear()
            self._small[seen.source] = present
        return present

    def _admit(self, present: set[int]) -> list[bool]:
        # most gates hold none of their tokens: one disjointness test rejects them
        return [gate is None or (not anyof.isdisjoint(present) and any(
            all(not c.isdisjoint(present) for c in clauses) for clauses in gate))
            for gate, anyof in zip(self.gates, self._anyof)]


class _Words:
    """Which of many word tokens occur in a text, in one regex pass: a trie-shaped alternation tried
    (as a lookahead) at every position yields the longest token starting there; every token starting
    there is a prefix of it, so the tokens present are exactly those inside the ones it yields."""

    def __init__(self, words: list[bytes]):
        self.size = len(words)
        self._index = {w: i for i, w in enumerate(words)}
        self._inside = {w: _inside(w, self._index) for w in words}
        self._pattern = re.compile(b"(?=(" + _trie(words) + b"))") if words else None
        self._memo: dict[bytes, tuple[int, ...]] = {}  # a source word -> the tokens inside it (found_in)
        self._holding: set[bytes] = set()  # the memo's words with a token inside (most have none)

    def found(self, text: bytes) -> set[int]:
        """The indices of the listed words that occur in `text`."""
        found: set[int] = set()
        if self._pattern is not None:
            for word in set(self._pattern.findall(text)):
                found.update(self._inside[word])
        return found

    def found_in(self, words: set[bytes], folded: bool = False) -> set[int]:
        """found() of the text listing these words one a line (`folded`: lower-cased), from the tokens inside each
        word, remembered per word as written (a memo per case: this index's words are of one case): a token
        without a line break occurs in that text iff it occurs inside one of its words, and the next version of
        a file (or the next file) repeats nearly all of them, so few are searched again (all of them in one pass
        over their list). The lookups and the union run in C: most words hold no token; no lower-cased list of
        the words is made."""
        if self._pattern is None:
            return set()
        memo = self._memo
        if len(memo) > WORD_MEMO_SIZE:
            memo.clear()
            self._holding.clear()
        new = words.difference(memo)
        if new:
            self._search(list(new), folded)
        if not HOLDING:
            return set().union(*map(memo.__getitem__, words))
        return set().union(*map(memo.__getitem__, words.intersection(self._holding)))

    def _search(self, new: list[bytes], folded: bool) -> None:
        """Remember the tokens inside each of these words (`folded`: inside it lower-cased, which keeps every
        offset): one regex pass over them joined by line breaks (a token is a run of word characters, so each
        occurrence lies inside one word, found by its offset)."""
        memo = self._memo
        memo.update(dict.fromkeys(new, ()))
        joined = b"\n".join(new).lower() if folded else b"\n".join(new)
        starts: list[int] | None = None
        inside: dict[int, set[int]] = {}
        for found in self._pattern.finditer(joined):
            if starts is None:  # where each word starts in `joined`
                starts = [at + k for k, at in enumerate(accumulate(map(len, new), initial=0))]
            k = bisect_right(starts, found.start()) - 1
            inside.setdefault(k, set()).update(self._inside[found.group(1)])
        for k, ids in inside.items():
            memo[new[k]] = tuple(sorted(ids))
            self._holding.add(new[k])


def _inside(word: bytes, index: dict[bytes, int]) -> list[int]:
    """The indices of the listed words that occur inside `word`, ascending: its substrings looked up (a word
    is short), not every listed word searched in it (quadratic in the list: ~50 ms per start-up)."""
    size = len(word)
    found = {index[part] for start in range(size) for end in range(start + 1, size + 1)
             if (part := word[start:end]) in index}
    return sorted(found)


def _trie(words: list[bytes]) -> bytes:
    """A regex matching any of `words`, shaped as their trie so that at each position the longest
    word starting there is the one matched (deeper branches are tried first)."""
    root: dict = {}
    for word in words:
        node = root
        for byte in word:
            node = node.setdefault(byte, {})
        node[None] = {}

    def emit(node: dict) -> bytes:
        branches = [re.escape(bytes([b])) + emit(child) for b, child in sorted(
            (k, v) for k, v in node.items() if k is not None)]
        if not branches:
            return b""
        body = b"(?:" + b"|".join(branches) + b")"
        return body + b"?" if None in node else body

    return emit(root)
