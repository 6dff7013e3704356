"""Python name bindings per scope, indexed lazily one name (and one scope) at a time, no tree walk.

For a name it is asked about, the index finds the name's occurrences with a regular expression,
maps each to its tree-sitter identifier and classifies it: an assignment of one value, an import,
another binding (parameter, loop target, `global`, augmented assignment...) or a use."""
from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter

from .. import budget as budgets
from .python_bindings import _classify, _imports
from .python_bound import ASKED, bound_anywhere
from .python_scope_index import NO_SCOPES, scope_index

BOUND_CHECK = True  # entries() skips names no occurrence of which can bind them (off: tests compare)
ASSIGNED_INDEX = True  # assignment_count reads one pass over the file for every ASCII name (off: tests compare)
ONE_PARENT = True  # _index_range reads each occurrence's parent once (off: the plain loop, tests compare)

MODULE = -1
_SCOPES = {"function_definition", "lambda", "class_definition"}
_REBINDING_BEFORE = (b"def ", b"class ", b"for ", b"as ", b"*", b"global ", b"lambda ")
_ARGUMENT_BEFORE = (b"(", b", ")
_ARGUMENT_AFTER = b",)=:"


_OCCURRENCES: dict[bytes, re.Pattern] = {}
_ASCII_WORD = re.compile(rb"[A-Za-z0-9_]+")
# `word =` / `word=` (not `==`), the word not after a word character or a dot: what assignment_count's loop counts
# for an ASCII word (its run of word characters ends where ` =` or `=` starts, so the run is the name). Searched in
# the reversed source, where the pattern starts with a literal `=` that `re` finds fast (forward, the leading
# look-behind was tried at every offset: twice the time); each match captures the name reversed.
_ASSIGNED_REVERSED = re.compile(rb"(?<!=)= ?([A-Za-z0-9_]+)(?![A-Za-z0-9_.])")
_ASCII_NAME = re.compile(r"[A-Za-z0-9_]+")


def _whole_words(source: bytes, name: bytes, start: int, end: int):
    """Offsets of `name` in source[start:end] as a whole word not after a dot (`x.name` is an
    attribute); ASCII letters, digits and `_` continue a word, as bytes.isalnum() sees them."""
    size = len(name)
    if not size:  # a zero-width MISSING identifier tree-sitter inserted: no occurrence (find would loop forever)
        return
    # the plain loop (a regex would also try occurrences overlapping rejected ones); for a name with few
    # occurrences it also beats compiling a regex for it (~0.6 ms each, and the semantic layer asks many names).
    # Past 48 occurrences the regex takes over from the next one (not a count of them first: another pass over
    # the range for every name asked about).
    word = _ASCII_WORD.fullmatch(name) is not None
    pattern = _OCCURRENCES.get(name) if word else None
    if pattern is None:
        pos = source.find(name, start, end)
        seen = 0
        while pos >= 0:
            seen += 1
            if seen > 48 and word:
                break
            at, pos = pos, source.find(name, pos + size, end)
            after = source[at + size:at + size + 1]
            if not ((at and (source[at - 1:at].isalnum() or source[at - 1] in b"_.")) or
                    after.isalnum() or after == b"_"):
                yield at
        if pos < 0:
            return
        # An ASCII word's occurrences cannot overlap one another and pass the test, so a regex
        # (whose search runs in C) yields the same offsets from here on.
        if len(_OCCURRENCES) > 4096:
            _OCCURRENCES.clear()
        n = re.escape(name)
        pattern = _OCCURRENCES[name] = re.compile(n + rb"(?<![A-Za-z0-9_.]" + n + rb")(?![A-Za-z0-9_])")
        start = pos
    for match in pattern.finditer(source, start):
        at = match.start()
        if at + size > end:
            return
        yield at


def _rebinding_forms(n: bytes) -> tuple[bytes, ...]:
    """Texts whose presence means name `n` may be rebound (a definition, parameter, loop target...)."""
    return (*(b + n for b in _REBINDING_BEFORE),
            *(b + n + a for b in _ARGUMENT_BEFORE for a in (b",", b")", b"=", b":")), b" " + n + b" in ")


class Scopes:
    """`entries(identifier)`: the bindings of that name in the scope that owns the identifier."""

    def __init__(self, source: bytes, root):
        self.source = source
        self.root = root
        # (scope start byte or MODULE, name) -> [("assign", value) | ("import", dotted|None) | (kind, statement)
        # for augassign/for/param/def/class/with/walrus/setitem bindings | ("other", None)]
        self.bindings: dict[tuple[int, str], list[tuple[str, object]]] = {}
        self._indexed: set[str] = set()  # names indexed over the whole file
        # name -> sorted, disjoint (start, end) byte ranges of scopes already indexed for it
        self._scanned: dict[str, list[tuple[int, int]]] = {}
        self._assigned: dict[str, int] = {}
        self._assignments: Counter | None = None  # ASCII word reversed -> how many `word =` (assignment_count)
        self._rebound: dict[str, bool] = {}
        self.uses: dict[str, list] = {}
        self.scopes_of: dict[str, list] = {}  # name -> binding keys  # name -> identifier nodes that read it
        self.imports: dict[str, list[tuple[int, str | None]]] = {}  # name -> [(scope, target)]
        self._seen_imports: set[int] = set()
        # top-level statement -> the function/lambda/class index of scope_of inside it, built on first use
        self._spans: dict[int, tuple] = {}
        self._whole_tree = root.parent is None  # else a walk up may leave `root`: scope_of walks too
        self.clean = self._whole_tree and not root.has_error  # (python_bound reads the text only then)
        self._bound: dict[str, bool] = {}
        self._tops = root.children  # top-level statements: lookups start here, not at the root
        self._top_starts = [n.start_byte for n in self._tops]
        self._index_imports()

    def locate(self, start: int, end: int, named: bool = True):
        """The smallest (named) node spanning [start, end), searched from its top-level statement."""
        i = bisect_right(self._top_starts, start) - 1
        top = self._tops[i] if i >= 0 and self._tops[i].end_byte >= end else self.root
        return top.named_descendant_for_byte_range(start, end) if named else top.descendant_for_byte_range(start, end)

    def scope_of(self, node):
        """The innermost function, lambda or class above `node` (None: module level), as walking up
        node.parent finds it, looked up in a sorted index of those nodes in its top-level statement
        (built when first asked): each .parent walks down from the root, so that walk cost the square
        of the depth for every name the layer asked about."""
        start, end = node.start_byte, node.end_byte
        i = bisect_right(self._top_starts, start) - 1
        if start == end or i < 0 or self._tops[i].end_byte < end or not self._whole_tree:
            return _climb(node)  # a zero-width (MISSING) node, the module itself, or a subtree's Scopes
        spans = self._spans.get(i)
        if spans is None:
            top = self._tops[i]
            source, a, b = self.source, top.start_byte, top.end_byte
            # a statement without the words cannot hold a scope (most top-level statements: imports...)
            words = any(source.find(word, a, b) >= 0 for word in (b"def", b"class", b"lambda"))
            spans = self._spans[i] = scope_index(top, source if self.clean else None) if words else NO_SCOPES
        starts, ends, nodes, parents = spans
        j = bisect_right(starts, start) - 1
        while j >= 0:  # the last scope starting at or before `node`, then the scopes around that one
            if end <= ends[j] and (starts[j] != start or ends[j] != end):  # not `node`, nor inside it
                return nodes[j]
            j = parents[j]
        return None  # above the top-level statement there is only the module

    def scope_key(self, node) -> int:
        scope = self.scope_of(node)
        return MODULE if scope is None else scope.start_byte

    # -- indexing ----------------------------------------------------------------------------
    def _index_imports(self) -> None:
        source = self.source
        pos = source.find(b"import")
        while pos >= 0:
            start, pos = pos, source.find(b"import", pos + 6)
            after = source[start + 6:start + 7]
            if after not in (b" ", b"\t", b"(", b"\\") or (start and (source[start - 1:start].isalnum()
                                                                    or source[start - 1] in b"_.")):
                continue
            node = self.locate(start, start + 6, named=False)
            while node is not None and node.type not in ("import_statement", "import_from_statement", "module"):
                node = node.parent
            if node is None or node.type == "module" or node.start_byte in self._seen_imports:
                continue
            self._seen_imports.add(node.start_byte)
            scope = self.scope_key(node)
            for name, target in _imports(node):
                self.imports.setdefault(name, []).append((scope, target))

    def assignment_count(self, name: str) -> int:
        """How many `name = ...` statements the source has (a cheap test before indexing)."""
        count = self._assigned.get(name)
        if count is None and ASSIGNED_INDEX and _ASCII_NAME.fullmatch(name):
            if self._assignments is None:  # every `word =`/`word=` of the file, in one pass (a name: two passes)
                self._assignments = Counter(_ASSIGNED_REVERSED.findall(self.source[::-1]))
            count = self._assigned[name] = self._assignments.get(name.encode()[::-1], 0)
        if count is None:
            count = 0
            source = self.source
            for needle in (name.encode() + b" =", name.encode() + b"="):
                pos = source.find(needle)
                while pos >= 0:
                    after = source[pos + len(needle):pos + len(needle) + 1]
                    if after != b"=" and not (pos and (source[pos - 1:pos].isalnum() or source[pos - 1] in b"_.")):
                        count += 1
                    pos = source.find(needle, pos + 1)
            self._assigned[name] = count
        return count

    def maybe_rebound(self, name: str) -> bool:
        """False when nothing in the source could rebind `name` (so `chr` is the builtin)."""
        found = self._rebound.get(name)
        if found is None:
            found = self._rebound[name] = self._maybe_rebound(name)
        return found

    def _maybe_rebound(self, name: str) -> bool:
        if name in self.imports or self.assignment_count(name) > 0:
            return True
        n = name.encode()
        source = self.source
        size = len(n)
        at = source.find(n)
        seen = 0
        while at >= 0:
            # the same test as looking for each form (`def n`, `(n,`, ` n in `...) in the source, one
            # pass over the occurrences of the name instead of sixteen over the whole source
            before = source[max(0, at - 7):at]
            after = source[at + size:at + size + 4]
            if before.endswith(_REBINDING_BEFORE) or (
                    before.endswith(_ARGUMENT_BEFORE) and after[:1] in _ARGUMENT_AFTER and after[:1]) or (
                    before.endswith(b" ") and after == b" in "):
                return True
            seen += 1
            if seen > 64:  # a very common name: sixteen fast substring searches beat this loop
                return any(form in source for form in _rebinding_forms(n))
            at = source.find(n, at + 1)
        return False

    def index(self, name: str) -> None:
        if name not in self._indexed:
            self.index_many((name,))

    def index_many(self, names) -> None:
        """Index every occurrence (binding or use) of these names."""
        names = sorted(set(names) - self._indexed)
        if not names:
            return
        self._indexed.update(names)
        for name in names:
            self._index_range(name, MODULE, len(self.source))

    def _index_scope(self, name: str, scope) -> None:
        """Index the occurrences of `name` inside one function/class/lambda (and scopes nested in it):
        enough to know its bindings there without reading every `self` of a big file."""
        if name in self._indexed:
            return
        start, end = scope.start_byte, scope.end_byte
        ranges = self._scanned.get(name)
        if ranges:
            i = bisect_right(ranges, (start, len(self.source) + 1)) - 1
            if i >= 0 and ranges[i][0] <= start and end <= ranges[i][1]:
                return
        self._index_range(name, start, end)

    def _index_range(self, name: str, start: int, end: int) -> None:
        """Bind/record each occurrence in [start, end) (MODULE: the whole file) not indexed before."""
        ranges = self._scanned.setdefault(name, [])
        done = ranges[:]
        done_starts = [a for a, _b in done]

        def fresh(pos: int) -> bool:
            i = bisect_right(done_starts, pos) - 1
            return i < 0 or pos >= done[i][1]

        whole = start == MODULE
        lo = 0 if whole else start
        binds: list[tuple[int, str, object]] = []
        for scope, target in self.imports.get(name, ()):
            if (whole and scope == MODULE) or (scope != MODULE and lo <= scope < end and fresh(scope)):
                binds.append((scope, "import", target))
        uses = []
        encoded = name.encode()
        if ONE_PARENT:
            self._occurrences(encoded, lo, end, done, fresh, binds, uses)
        else:
            self._occurrences_reference(encoded, lo, end, done, fresh, binds, uses)
        # Recorded once the range is complete: an exception part-way (the budget, a recursion bound an
        # evaluator catches) leaves the name unindexed there, never indexed twice. The folded view and
        # the fact rules share this index, so neither may see the other's half-done work.
        for scope, kind, value in binds:
            self._bind(scope, name, kind, value)
        if uses:
            self.uses.setdefault(name, []).extend(uses)
        # keep the ranges disjoint: the new one swallows those inside it
        ranges[:] = sorted([r for r in ranges if not (lo <= r[0] and r[1] <= end)] + [(lo, end)])

    def _occurrences(self, encoded: bytes, lo: int, end: int, done: list, fresh, binds: list, uses: list) -> None:
        """_index_range's loop over the occurrences, each identifier's parent read once (.parent walks down from
        the root: _classify, _binding_scope and the `global` test each read it) and the budget looked up once."""
        size = len(encoded)
        tick = budgets.current().tick
        tops, top_starts, root = self._tops, self._top_starts, self.root
        for at in _whole_words(self.source, encoded, lo, end):
            tick()
            if done and not fresh(at):
                continue
            i = bisect_right(top_starts, at) - 1  # self.locate(at, at + size), inline
            top = tops[i] if i >= 0 and tops[i].end_byte >= at + size else root
            node = top.named_descendant_for_byte_range(at, at + size)
            if node is None or node.type != "identifier" or node.start_byte != at:
                continue
            parent = node.parent
            kind, value = _classify(node, parent)
            if kind is None:
                uses.append(node)
            elif kind != "skip":
                if parent.type in ("function_definition", "class_definition") and \
                        parent.child_by_field_name("name") == node:
                    binds.append((self.scope_key(parent), kind, value))
                else:
                    binds.append((self.scope_key(node), kind, value))
                if parent.type in ("global_statement", "nonlocal_statement"):
                    binds.append((MODULE, "other", None))

    def _occurrences_reference(self, encoded: bytes, lo: int, end: int, done: list, fresh, binds: list,
                               uses: list) -> None:
        """The loop _occurrences replaces (ONE_PARENT off): .parent read up to three times, locate() called."""
        size = len(encoded)
        for at in _whole_words(self.source, encoded, lo, end):
            budgets.tick()
            if done and not fresh(at):
                continue
            node = self.locate(at, at + size)
            if node is None or node.type != "identifier" or node.start_byte != at:
                continue
            kind, value = _classify(node)
            if kind is None:
                uses.append(node)
            elif kind != "skip":
                binds.append((self._binding_scope(node), kind, value))
                if node.parent.type in ("global_statement", "nonlocal_statement"):
                    binds.append((MODULE, "other", None))

    def _bind(self, scope: int, name: str, kind: str, value) -> None:
        key = (scope, name)
        if key not in self.bindings:
            self.bindings[key] = []
            self.scopes_of.setdefault(name, []).append(key)
        self.bindings[key].append((kind, value))

    # -- lookups -----------------------------------------------------------------------------
    def bound_anywhere(self, name: str) -> bool:
        """False when no occurrence of `name` in the file can bind it (then it has no entries anywhere); searched
        for the builtins only (other names asked about are nearly always bound: the search would add to the index's work)."""
        found = self._bound.get(name)
        if found is None:
            found = self._bound[name] = bound_anywhere(self, name) if BOUND_CHECK and name in ASKED else True
        return found

    def entries(self, node) -> list | None:
        """Bindings of identifier `node`'s name in the scope that owns it; None when unbound."""
        name = node.text.decode("utf-8", "replace")
        if not self.bound_anywhere(name):
            return None  # (not indexed: a builtin's hundreds of calls need not be classified one by one)
        first = True
        current = self.scope_of(node)
        while True:
            if current is None:
                self.index(name)
                return self.bindings.get((MODULE, name))
            if first or current.type != "class_definition":
                self._index_scope(name, current)
                found = self.bindings.get((current.start_byte, name))
                if found is not None:
                    return found
            first = False
            current = self.scope_of(current)

    def _binding_scope(self, node) -> int:
        parent = node.parent
        if parent.type in ("function_definition", "class_definition") and parent.child_by_field_name("name") == node:
            return self.scope_key(parent)
        return self.scope_key(node)


def _climb(node):
    """The innermost function, lambda or class above `node`, found by walking up (the reference scope_of
    follows; each step costs the tree's depth)."""
    current = node.parent
    while current is not None and current.type not in _SCOPES:
        current = current.parent
    return current
