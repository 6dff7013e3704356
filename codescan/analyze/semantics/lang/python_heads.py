"""Per call: the first name parts the evaluator could give `<expr>.attr(...)`'s callee, found without evaluating it."""

from __future__ import annotations

import re

from ..names import BUILTIN_MODULES, MODULE_ALIASES, OBJECT_ALIASES, PY_BUILTINS, canonical
from .python_classattrs import bound_in_class_body
from .python_functions import REQUEST_NAMES
from .python_client_params import CLIENT_HEADS
from .python_handlers import RUNNER_METHODS, TORNADO_WRITERS
from .python_skip import for_patterns

# PyValues names `<obj>.attr` `canonical(<obj's name>.attr)`, `request`, a `<def:N>` (a method, a lambda), or,
# for `self.attr`, whatever is assigned to `self.attr` in the class. Every expression kind other than a name, an
# attribute, a call, a subscript, a lambda or a conditional gets no name at all (its value is a constant or a
# merge, whose name is None). So the possible heads of a chain `a.b.c` follow from how `a` is bound: an import
# gives the imported module's head, a parameter or a free name its own name (or `request`, or `builtins.<it>`),
# a def/class `<`, an assignment or a `with ... as` the heads of its value; a call `<callee>()` its callee's
# (unless call_value treats that callee apart); `d[k] = v`, `n += 1` and `global n` bind no name. Subscripts,
# loop variables and conditionals may build or pick any name (sys.modules[k], TABLE[k]): unknown. Pattern heads a call's attribute could need are compared with
# these; when none can meet, the call's callee cannot be wanted and the candidate is not evaluated.

MAX_HOPS = 4  # assignments followed from the head (a = b; b = c...)
_REQUEST_BYTES = frozenset(n.encode() for n in REQUEST_NAMES)
_OBJECT_HEADS: dict[str, set] = {}  # first part of an aliased object -> first parts of what it is renamed to
for _prefix, _alias in OBJECT_ALIASES.items():  # flask.request -> request, ctypes.CDLL() -> libc
    _OBJECT_HEADS.setdefault(_prefix.split(".")[0], set()).add(_alias.split(".")[0])
# Kinds whose evaluation may give a name (the others give a constant or a merge without one).
_NAMING = frozenset({"identifier", "attribute", "call", "subscript", "lambda", "conditional_expression"})
DYNAMIC = "!"  # a head: may be getattr/__import__/import_module/eval, whose call builds a name
_DYNAMIC = frozenset({b"getattr", b"__import__", b"import_module", b"eval", b"__getattribute__"})


_FITS: dict = {}


def _fits(last: str) -> re.Pattern:
    """The regex of one last part, compiled once per process (rule subsets share most of their ~400)."""
    found = _FITS.get(last)
    if found is None:
        if len(_FITS) > 8192:
            _FITS.clear()
        found = _FITS[last] = re.compile(re.escape(last).replace(r"\*", r"[^.]*") + r"\Z")
    return found




_FITTING: dict = {}  # last part -> attribute -> whether it fits (every rule subset asks about the same few)


def _fitting(last: str, attr: str) -> bool:
    memo = _FITTING.get(last)
    if memo is None:
        if len(_FITTING) > 8192:
            _FITTING.clear()
        memo = _FITTING[last] = {}
    found = memo.get(attr)
    if found is None:
        if len(memo) > 4096:
            memo.clear()
        found = memo[attr] = _fits(last).match(attr) is not None
    return found


class _PatternIndex:
    """Every pattern met so far in this process, by its last part (rule subsets share most of their ~600):
    `exact[last]` and, for a wildcard or empty last part, `wild[last]` -> [(pattern, its head or None: any head)]."""

    def __init__(self):
        self.seen: set = set()
        self.exact: dict[str, list] = {}
        self.wild: dict[str | None, list] = {}

    def add(self, patterns: frozenset) -> None:
        for pattern in patterns - self.seen:
            parts = pattern.split(".")
            last, head = parts[-1], parts[0].rstrip("()")
            any_head = len(parts) < 2 or not head or "*" in head or "(" in head
            last = last.rstrip("()") if last.strip("*") else None  # None: no last part to fit (`subprocess.*`)
            table = self.exact if last is not None and "*" not in last else self.wild
            table.setdefault(last, []).append((pattern, None if any_head else head))
            self.seen.add(pattern)


_INDEX = _PatternIndex()


class NeededHeads:
    """Per set of wanted patterns: the first parts a name ending in `.attr` must start with to be wanted. Answered
    per attribute from the process's index of patterns by last part (one walk over a subset's ~600 patterns cost
    ~1.5 ms, and a scan of the stdlib meets a few hundred subsets)."""

    def __init__(self, patterns):
        self._patterns = frozenset(patterns)
        self.never = any("<" in pattern for pattern in self._patterns)
        _INDEX.add(self._patterns)
        self._memo: dict[str, frozenset | None] = {}

    def for_attr(self, attr: str) -> frozenset | None:
        """Heads a wanted name `<x>.attr` may start with; None when any head (or a whole-name pattern) could fit."""
        if attr in self._memo:
            return self._memo[attr]
        heads: set | None = set()
        if self.never or attr in REQUEST_NAMES:
            heads = None
        else:
            mine = self._patterns
            groups = [_INDEX.exact.get(attr, ())] + [entries for last, entries in _INDEX.wild.items()
                                                     if last is None or _fitting(last, attr)]
            for entries in groups:
                for pattern, head in entries:
                    if pattern in mine:
                        if head is None:
                            heads = None
                            break
                        heads.add(head)
                if heads is None:
                    break
        found = self._memo[attr] = None if heads is None else frozenset(heads)
        return found


def closure(head: str) -> set:
    """First parts a name whose own first part is `head` may have once canonical() has renamed it."""
    out = {head}
    target = MODULE_ALIASES.get(head)
    if target is not None:
        out.add(target.split(".")[0])
    if head in PY_BUILTINS or head in BUILTIN_MODULES:
        out.add("builtins")
    if head in REQUEST_NAMES:
        out.add("request")
    out.update(_OBJECT_HEADS.get(head, ()))
    return out


class Heads:
    """Possible first name parts of expressions of one file (None: unknown); `self.x` writes found by text."""

    def __init__(self, values):
        self.values = values
        self._assigned: dict[bytes, set | None] = {}
        self._clients: set | None = None

    def source_has(self, word: bytes) -> bool:
        return word in self.values.source

    def _client_heads(self) -> set:
        """Heads of the network client modules this file imports: a parameter may be one of their clients
        (python_client_params: every call site passes `requests.Session()`)."""
        if self._clients is None:
            imported = {canonical(target or name).split(".")[0]
                        for name, places in self.values.scopes.imports.items() for _scope, target in places}
            self._clients = imported & CLIENT_HEADS
        return self._clients

    def of(self, node, hops: int = 0) -> set | None:
        kind = node.type
        if kind == "identifier":
            return self._identifier(node, hops)
        if kind == "attribute":
            return self._attribute(node, hops)
        if kind == "call":
            return self._call(node, hops)
        if kind == "lambda":
            return {"<"}
        if kind in ("await", "parenthesized_expression"):  # conn = await asyncpg.connect(): the inner value's heads
            inner = [c for c in node.named_children if c.type != "comment"]
            return self.of(inner[0], hops) if len(inner) == 1 else None
        if kind in _NAMING:  # subscript, conditional: may build or pick any name
            return None
        if kind == "binary_operator" and node.child_by_field_name("operator").type == "/":
            left = node.child_by_field_name("left")  # BASE / name: a pathlib path is named like BASE (PyValues.PATHS)
            return self.of(left, hops) if left is not None else set()
        return set()

    def _call(self, node, hops: int) -> set | None:
        """A call's value is named `<callee>()` (same head), except for the callees call_value treats apart:
        getattr/__import__/import_module/eval (marked DYNAMIC), a same-file function (`<`: its summary
        returns anything), a table's `.get`, and a callee that is itself a call (built names)."""
        fn = node.child_by_field_name("function")
        if fn is None or fn.type not in ("identifier", "attribute"):
            return None
        if fn.type == "attribute":
            attr = fn.child_by_field_name("attribute")
            if attr is None or attr.text == b"get":
                return None
        inner = self.of(fn, hops)
        if inner is None or "<" in inner or DYNAMIC in inner:
            return None
        return inner

    def _attribute(self, node, hops: int) -> set | None:
        obj = node.child_by_field_name("object")
        attr = node.child_by_field_name("attribute")
        if obj is None or attr is None:
            return None
        out = {DYNAMIC} if attr.text in _DYNAMIC else set()
        if obj.type == "identifier" and obj.text == b"self":
            if attr.text in _REQUEST_BYTES:
                return None
            assigned = self._self_values(attr.text, hops)
            if assigned is None:
                return None
            out |= assigned  # `self.run = subprocess.call` in the class: self.run is that
            out.add("<")  # a method of the class: <def:N>
        inner = self.of(obj, hops)
        if inner is None:
            return None
        for head in inner:
            out |= closure(head)
        return out

    def _identifier(self, node, hops: int) -> set | None:
        name = node.text.decode("utf-8", "replace")
        out = closure(name)  # a free name, a parameter, a builtin, `request`
        if node.text in _DYNAMIC:
            out.add(DYNAMIC)
        entries = self.values.scopes.entries(node)
        if not entries:
            return out
        if hops >= MAX_HOPS:
            return None
        for kind, what in entries:
            if kind == "import":
                if what:
                    out |= closure(canonical(what).split(".")[0])
                    if what.rsplit(".", 1)[-1].encode() in _DYNAMIC:
                        out.add(DYNAMIC)
            elif kind in ("def", "class"):
                out.add("<")
            elif kind in ("setitem", "augassign", "other"):
                continue  # PyValues._bind: a merge without a name (`d[k] = v`, `n += 1`), or nothing
            elif kind in ("assign", "with", "walrus"):
                if kind == "with":  # `with open(p) as f`: f is what the item's expression gives
                    item = what.parent
                    if item is None or item.type != "as_pattern" or not item.named_children:
                        continue
                    what = item.named_children[0]
                elif kind == "walrus":
                    what = what.child_by_field_name("value")
                    if what is None:
                        continue
                inner = self.of(what, hops + 1)
                if inner is None:
                    return None
                out |= inner
                typed = what.prev_named_sibling if kind == "assign" else None
                if typed is not None and typed.type == "type" and typed.named_children:
                    # `pool: asyncpg.Pool = app["pool"]`: PyValues may name it by its annotation
                    inner = self.of(typed.named_children[0], hops + 1)
                    if inner is None:
                        return None
                    out |= inner
            elif kind != "param":
                return None
            else:
                out |= self._client_heads()  # def configure(sess): called with requests.Session()
        return out

    def _self_values(self, attr: bytes, hops: int) -> set | None:
        """Heads of everything assigned to `self.attr` where class_attribute looks (here: the whole file,
        by the same text search and node test, so also `self.attribute = ...` for `self.attr`)."""
        if attr in self._assigned:
            return self._assigned[attr]
        self._assigned[attr] = None  # while computing (self.x = self.x.y): unknown
        values, needle = self.values, b"self." + attr
        out: set | None = set()
        pos = values.source.find(needle)
        while pos >= 0 and out is not None:
            target = values.scopes.locate(pos, pos + len(needle))
            holder = target.parent if target is not None and target.type == "attribute" else None
            if holder is not None and holder.type == "assignment" and holder.child_by_field_name("left") == target:
                right = holder.child_by_field_name("right")
                inner = self.of(right, hops + 1) if right is not None else set()
                out = None if inner is None or hops >= MAX_HOPS else out | inner
            pos = values.source.find(needle, pos + len(needle))
        self._assigned[attr] = out
        return out


def needed_for(wanted) -> NeededHeads:
    return for_patterns(NeededHeads, wanted)


def no_wanted_head(needed: NeededHeads, heads: Heads, node) -> bool:
    """True only when the call `node`'s callee `<expr>.attr` provably has no head a pattern fitting attr needs."""
    fn = node.child_by_field_name("function")
    if fn is None or fn.type != "attribute":
        return False
    attr = fn.child_by_field_name("attribute")
    if attr is None:
        return False
    wanted_heads = needed.for_attr(attr.text.decode("utf-8", "replace"))
    if wanted_heads is None:
        return False
    obj = fn.child_by_field_name("object")
    if obj is not None and obj.type == "identifier" and obj.text in (b"self", b"cls") and \
            bound_in_class_body(node, attr.text):
        return False  # class C: go = staticmethod(os.system) — self.go(...) / cls.go(...) calls os.system
    if obj is not None and obj.type == "identifier" and obj.text == b"self" and attr.text in RUNNER_METHODS:
        return False  # class Shell(code.InteractiveInterpreter): self.runsource(...) is the base's (python_handlers)
    if obj is not None and obj.type == "identifier" and obj.text == b"self" and attr.text in TORNADO_WRITERS \
            and heads.source_has(b"tornado"):
        return False  # class H(tornado.web.RequestHandler): self.write(...) is the base's (python_handlers)
    if obj is not None and obj.type == "identifier" and obj.text == b"self":
        assigned = heads._self_values(attr.text, 0)  # `self.go = os.system`: self.go(...) calls os.system
        if assigned is None or not assigned <= {"<"}:
            return False
    possible = heads.of(fn)
    return possible is not None and not (possible & wanted_heads)
