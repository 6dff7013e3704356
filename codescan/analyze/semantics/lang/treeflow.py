"""Def-use and abstract values over one tree-sitter tree: the engine the Go/Java/Kotlin/C#/C/C++, PHP/Ruby
and shell adapters share (each adapter says which nodes bind, call and hold literals; this walks them)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import tree_sitter as ts

from ..facts import NOTHING, Call, Facts, Step, Value, merge
from ..constants import UNKNOWN
from ...budget import CPU_SECONDS
from ...treesitter import Deadline
from .concepts import FILE_WRITERS, FIRST_ARG_ONLY, LEADING_HANDLE, LEADING_HANDLE_SUFFIX

MAX_DEPTH = 40  # nested evaluations followed for one value
MAX_TEXT = 8192  # longest constant string built
MAX_STEPS = 200_000  # nodes visited and values evaluated per file
MAX_EVENTS = 64  # bindings of one name kept per scope
MAX_SITES = 16  # call sites of one same-file function folded into its parameters
MAX_COMPARES = 512  # equality tests turned into facts per file
EQUALS = frozenset((b"==", b"!=", b"===", b"!==", b"eq", b"ne"))
EQ_METHODS = frozenset(("equals", "equalsIgnoreCase", "contentEquals", "Equals", "strcmp", "strcasecmp", "strncmp",
                        "hash_equals", "secure_compare", "compare_digest", "eql?", "equal?", "ConstantTimeCompare"))
_SECRET_WORDS = (r"(?:get_?)?(?:pass|passwd|password|passphrase|pwd|passcode|pin|pincode|secret"
                 r"|secret_?key|api_?key|(?:auth|access|api|admin|master|private|secret)_?token|master_?key"
                 r"|admin_?key|admin_?pass\w*|magic|backdoor)")
SECRET_NAMES = re.compile(r"(?i)(?:^|[._$@>-])" + _SECRET_WORDS + r"(?:\(\))?$")
# In the source text, such a name is one of those words followed by no name character: a superset of what
# SECRET_NAMES accepts on a comparison side, so a file without it cannot hold a magic-value comparison.
_SECRET_IN_SOURCE = re.compile((r"(?i)" + _SECRET_WORDS + r"(?![\w$])").encode())
_COMPARE_IN_SOURCE = re.compile(rb"(?i)==|!=|equals|strn?case|strn?cmp|compare|eql\?|equal\?|\b(?:eq|ne)\b")


def compare_possible(source: bytes) -> bool:
    """Whether an equality test of a secret-like name could occur in `source`: the layer runs for it."""
    return _SECRET_IN_SOURCE.search(source) is not None and _COMPARE_IN_SOURCE.search(source) is not None


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


class TreeFlow:
    """Subclasses fill in the node kinds and the hooks; `facts()` gives the file's calls."""

    language = ""
    SCOPES: frozenset = frozenset()  # node kinds that open a function scope
    CALLS: frozenset = frozenset()  # node kinds that are calls (call_parts decides the rest)
    RETURNS: frozenset = frozenset(("return_statement",))
    LOOPS: frozenset = frozenset()
    CONCAT_OPS: frozenset = frozenset((b"+",))
    BINDINGS: frozenset = frozenset()  # node kinds `bindings()` reads
    COMPARES: frozenset = frozenset(("binary_expression", "binary", "equality_expression"))

    def __init__(self, source: bytes, tree, budget=None, wanted=None):
        self.source = source
        self.root = tree.root_node
        self.grammar = tree.language
        self.budget = budget  # the per-file analyze.budget.Budget (None: unbounded)
        self.wanted = wanted  # callee -> bool: only these calls become facts (None: all)
        self.scopes: list[Scope] = []
        self._by_node: dict = {}
        self.global_scope = self._scope(self.root, None, None)
        self.fields: dict[str, list[Event]] = {}  # this.x / self.x / @x, file-wide
        self.functions: dict[str, Scope] = {}  # same-file functions by simple name
        self.sites: dict[str, list] = {}  # simple name -> [(call node, arg nodes)]
        self.calls: list = []  # call nodes in source order
        self.compares: list = []  # (node, scope, (left, right)) of ==/!= comparisons
        self._memo: dict = {}
        self._parts: dict = {}
        self._collected = False
        self.written: set = set()  # paths files were written to
        self._busy: set = set()
        self._writing: set = set()
        self._depth = 0
        self._ticks = 0

    # -- hooks ----------------------------------------------------------------------------------
    def scope_name(self, node) -> str | None:
        """The simple name of a function scope node (for same-file calls), or None."""
        name = node.child_by_field_name("name")
        return name.text.decode("utf-8", "replace") if name is not None else None

    def params(self, node) -> list[tuple[str, Value]]:
        """(name, value from the declared type or annotation) of a scope node's parameters."""
        return []

    def bindings(self, node):
        """(name, kind, value node or Value) bound by this node; kind is set/add/field-set/field-add."""
        return ()

    def call_parts(self, node):
        """(callee or None, simple name or None, receiver node or None, [arg nodes], [(key, node)], via)."""
        return None

    def literal(self, node) -> Value | None:
        """The value of a literal node (string, number, bool, char), else None."""
        return None

    def name_of(self, node) -> str | None:
        """The variable name an expression node reads (`x`, `$x`, `${x}`), else None."""
        return None

    def field_of(self, node) -> str | None:
        """The field key an expression reads (`this.x` -> 'x'), else None."""
        return None

    def special(self, node) -> Value | None:
        """A language-specific value for this node (interpolation, arrays...), else None."""
        return None

    def call_value(self, callee: str | None, node, args: list[Value], receiver: Value | None) -> Value | None:
        """The value a call returns when the adapter knows it (sources, decoders, builders), else None."""
        return None

    def comparison(self, node, scope, left, right) -> Call | None:
        """`a == b`, `a.equals(b)`, strcmp(a, b) as the fact operator.eq(a, b) when a side is read from a name
        like `password`, `apiKey` or `adminToken` (that side carries the label `credential-name`), else None."""
        named = [SECRET_NAMES.search(side.text[-64:].decode("utf-8", "replace")) is not None for side in (left, right)]
        if not any(named):
            return None
        values = []
        for side, secret in zip((left, right), named):
            value = self.value(side)
            if secret:
                value = merge([value, labelled(("credential-name",), side.start_point[0] + 1,
                                               side.text[:40].decode("utf-8", "replace"))], const=value.const)
            values.append(value)
        return Call(callee="operator.eq", args=tuple(values), line=node.start_point[0] + 1,
                    end_line=node.end_point[0] + 1, column=node.start_point[1] + 1, scope=scope.id)

    def places(self, node, kwargs):
        """Where a call's facts are reported: [(node, None)] for the whole call; struct literals give one fact
        per field, at the field's line, so a finding points at `InsecureSkipVerify: skip`."""
        return [(node, None)]

    def file_write(self, node):
        """(path node, data node or None for "fetched from the network") when this call writes a file."""
        parts = self.parts(node)
        spec = FILE_WRITERS.get(parts[0]) if parts and parts[0] else None
        args = parts[3] if spec else []
        if not spec or len(args) <= max(spec):
            return None
        return args[spec[0]], (args[spec[1]] if spec[1] >= 0 else None)

    def bound_in_scope(self, name, node) -> bool:
        """Whether `name` is assigned in the scope around `node` or a scope enclosing it."""
        scope = self.scope_at(node)
        while scope is not None:
            if name in scope.events:
                return True
            scope = scope.parent
        return False

    def blocks_flow(self, callee: str | None, simple: str | None) -> bool:
        """True for calls whose result carries none of their arguments' data (len, equals...)."""
        return False

    def parts(self, node):
        """call_parts, remembered once the bindings are known (before that, types may still change)."""
        if not self._collected:
            return self.call_parts(node)
        key = (node.start_byte, node.end_byte, node.type)
        if key not in self._parts:
            self._parts[key] = self.call_parts(node)
        return self._parts[key]

    # -- collection -------------------------------------------------------------------------------
    def _scope(self, node, parent, name):
        scope = Scope(node, parent, name, node.start_byte if parent is not None else -1)
        self.scopes.append(scope)
        self._by_node[(node.start_byte, node.end_byte)] = scope
        return scope

    def collect(self) -> None:
        """One pass over the nodes that matter (scopes, calls, returns, bindings), found by a tree-sitter
        query in C and visited in source order, so a scope exists before anything inside it."""
        for node in self._interesting():
            self._tick()
            kind = node.type
            scope = self.scope_at(node)
            if kind in self.SCOPES and node is not self.root:
                scope = self._scope(node, scope, self.scope_name(node))
                if scope.name and scope.name not in self.functions:
                    self.functions[scope.name] = scope
                for i, (name, value) in enumerate(self.params(node)):
                    scope.params.append(name)
                    self._event(scope, name, Event(node.start_byte, "param", None, value, i))
            if kind in self.RETURNS:
                scope.returns.append(node)
            if kind in self.BINDINGS:
                self._bind(node, scope)
            if kind in self.CALLS:
                self.calls.append((node, scope))
            if kind in self.COMPARES and len(self.compares) < MAX_COMPARES:
                sides = comparison_sides(node)
                if sides is not None:
                    self.compares.append((node, scope, sides))

    def _interesting(self) -> list:
        kinds = self.SCOPES | self.CALLS | self.RETURNS | self.BINDINGS
        if (self.wanted is None or self.wanted("operator.eq")) and _SECRET_IN_SOURCE.search(self.source):
            kinds = kinds | self.COMPARES  # equality tests matter only where a secret-like name occurs
        query = _compiled(self.grammar, kinds)
        if query is None:
            return []
        found = ts.QueryCursor(query).captures(self.root).get("n", [])
        found.sort(key=lambda n: (n.start_byte, -n.end_byte))
        return found

    def _bind(self, node, scope) -> None:
        for name, how, value in self.bindings(node):
            target = self.fields if how.startswith("field") else None
            ev_kind = "add" if how.endswith("add") else "set"
            if callable(value):
                ev = Event(node.end_byte, ev_kind, node, None, -1, value)
            else:
                ev = Event(node.end_byte if ev_kind == "set" else node.start_byte, ev_kind,
                           value if not isinstance(value, Value) else None,
                           value if isinstance(value, Value) else None)
            if target is not None:
                target.setdefault(name, []).append(ev)
            else:
                self._event(scope, name, ev)

    def _event(self, scope, name, event) -> None:
        events = scope.events.setdefault(name, [])
        if len(events) < MAX_EVENTS:
            events.append(event)

    def _tick(self) -> None:
        self._ticks += 1
        if self.budget is not None and not self._ticks & 63:
            self.budget.check()
        if self._ticks > MAX_STEPS:
            raise Deadline(CPU_SECONDS, f"semantic layer: more than {MAX_STEPS} steps")

    # -- values -----------------------------------------------------------------------------------
    def value(self, node) -> Value:
        if node is None:
            return NOTHING
        key = (node.start_byte, node.end_byte, node.type)
        memo = self._memo.get(key)
        if memo is not None:
            return memo
        if key in self._busy or self._depth > MAX_DEPTH:
            return NOTHING
        self._busy.add(key)
        self._depth += 1
        self._tick()
        try:
            out = self._value(node)
        except RecursionError:
            out = NOTHING
        finally:
            self._depth -= 1
            self._busy.discard(key)
        if self.written and isinstance(out.const, str) and out.const in self.written and \
                key not in self._writing:
            self._writing.add(key)
            try:
                out = merge([out, self.field_value("file:" + out.const)], const=out.const)
            finally:
                self._writing.discard(key)
        self._memo[key] = out
        return out

    def _value(self, node) -> Value:
        lit = self.literal(node)
        if lit is not None:
            return lit
        name = self.name_of(node)
        if name is not None:
            return self.lookup(name, node)
        field = self.field_of(node)
        if field is not None:
            return self.field_value(field)
        special = self.special(node)
        if special is not None:
            return special
        if node.type in self.CALLS:
            return self.call_result(node)
        named = [c for c in node.named_children if "comment" not in c.type]
        op = node.child_by_field_name("operator")
        ops = [c.text for c in node.children if not c.is_named]
        if len(named) == 2 and ((op is not None and op.text in self.CONCAT_OPS) or
                                (op is None and len(ops) == 1 and ops[0] in self.CONCAT_OPS)):
            return concat(self.value(named[0]), self.value(named[1]))
        if len(named) == 1 and node.type.startswith(("parenthesized", "argument", "value_argument", "expression_list",
                                                      "literal_element", "expression_statement")):
            return self.value(named[0])
        return merge(self.value(c) for c in named)

    def lookup(self, name: str, node) -> Value:
        scope = self.scope_at(node)
        while scope is not None:
            events = scope.events.get(name)
            if events:
                return self._from_events(name, events, node.start_byte, scope)
            scope = scope.parent
        return NOTHING

    def scope_at(self, node) -> Scope:
        """The innermost function scope holding node (its nearest scope-kind ancestor)."""
        current = node.parent
        while current is not None:
            if current.type in self.SCOPES:
                scope = self._by_node.get((current.start_byte, current.end_byte))
                if scope is not None:
                    return scope
            current = current.parent
        return self.global_scope

    def _from_events(self, name: str, events: list[Event], pos: int, scope: Scope) -> Value:
        before = [e for e in events if e.pos <= pos]
        if not before:  # assigned only later (a loop, a callback): any of it may be here
            return merge(self._event_value(name, e, scope) for e in events)
        start = max((i for i, e in enumerate(before) if e.kind in ("set", "param")), default=0)
        value = self._event_value(name, before[start], scope)
        for event in before[start + 1:]:
            value = concat(value, self._event_value(name, event, scope))
        return value

    def _event_value(self, name: str, event: Event, scope: Scope) -> Value:
        if event.kind == "param":
            return self.param_value(scope, name, event)
        if event.thunk is not None:
            value = event.thunk()
        else:
            value = event.value if event.value is not None else self.value(event.node)
        if value.labels and event.node is not None:
            value = value.with_step(event.node.start_point[0] + 1, f"{name} {'+' if event.kind == 'add' else ''}= ...")
        return value

    def field_value(self, field: str) -> Value:
        events = self.fields.get(field)
        if not events:
            return NOTHING
        values = [e.thunk() if e.thunk is not None else e.value if e.value is not None else self.value(e.node)
                  for e in events]
        if len(values) == 1:
            return values[0]
        return merge(values)

    def param_value(self, scope: Scope, name: str, event: Event) -> Value:
        declared = event.value or NOTHING
        sites = self.sites.get(scope.name or "", [])[:MAX_SITES] if scope.name else []
        passed = []
        for call, args in sites:
            if 0 <= event.index < len(args) and not _inside(call, scope.node):
                value = self.value(args[event.index])
                if value.labels:
                    value = value.with_step(call.start_point[0] + 1, f"passed to {scope.name}()")
                passed.append(value)
        if not passed:
            return declared
        consts = {v.const for v in passed if v.known}
        const = consts.pop() if len(consts) == 1 and all(v.known for v in passed) else UNKNOWN
        return merge([declared] + passed, const=const)

    def call_result(self, node) -> Value:
        parts = self.parts(node)
        if parts is None:
            return merge(self.value(c) for c in node.named_children)
        callee, simple, receiver, args, kwargs, _via = parts
        arg_values = [self.value(a) for a in args]
        recv = self.value(receiver) if receiver is not None else None
        known = self.call_value(callee, node, arg_values, recv)
        if known is not None:
            return known
        if simple and simple in self.functions and receiver is None:
            return self.returns_of(self.functions[simple], node)
        if self.blocks_flow(callee, simple):
            return NOTHING
        inputs = arg_values + [self.value(n) for _k, n in kwargs] + ([recv] if recv is not None else [])
        return merge(inputs)

    def returns_of(self, scope: Scope, call) -> Value:
        values = [self.value(r) for r in scope.returns]
        values = [v for v in values if v.labels or v.known]
        if not values:
            return NOTHING
        out = values[0] if len(values) == 1 else merge(values)
        return out.with_step(call.start_point[0] + 1, f"returned by {scope.name}()")

    # -- facts ------------------------------------------------------------------------------------
    def facts(self) -> Facts:
        self.collect()
        self._collected = True
        for node, _scope in self.calls:
            written = self.file_write(node)
            if written is not None:
                self._record_write(node, *written)
        for node, _scope in self.calls:
            parts = self.parts(node)
            if parts is not None and parts[1] and parts[1] in self.functions and parts[2] is None:
                self.sites.setdefault(parts[1], []).append((node, parts[3]))
        out = Facts(self.language)
        compare = self.wanted is None or self.wanted("operator.eq")
        for node, scope, (left, right) in (self.compares if compare else ()):
            fact = self.comparison(node, scope, left, right)
            if fact is not None:
                out.calls.append(fact)
        for node, scope in self.calls:
            parts = self.parts(node)
            if compare and parts is not None and (parts[0] or parts[1] or "").rsplit(".", 1)[-1] in EQ_METHODS:
                sides = ([parts[2]] if parts[2] is not None else []) + list(parts[3])
                fact = self.comparison(node, scope, sides[0], sides[1]) if len(sides) >= 2 else None
                if fact is not None:
                    out.calls.append(fact)
            if parts is None or not parts[0]:
                continue
            callee, _simple, receiver, args, kwargs, via = parts
            if self.wanted is not None and not self.wanted(callee):
                continue
            if len(args) > 1 and (callee in LEADING_HANDLE or callee.endswith(LEADING_HANDLE_SUFFIX)):
                args = args[1:]
            if callee in FIRST_ARG_ONLY and len(args) > 1:
                kwargs = list(kwargs) + [(f"arg{i}", a) for i, a in enumerate(args[1:], 1)]
                args = args[:1]
            places = self.places(node, kwargs)
            for where, keys in places:
                out.calls.append(Call(
                    callee=callee, args=tuple(self.value(a) for a in args) if keys is None else (),
                    kwargs=tuple((k, self.value(n)) for k, n in kwargs if keys is None or k in keys),
                    line=where.start_point[0] + 1, end_line=where.end_point[0] + 1,
                    column=where.start_point[1] + 1, scope=scope.id, via=via,
                    receiver=self.value(receiver) if receiver is not None else None))
        return out


    def _record_write(self, node, path_node, data_node) -> None:
        """A file written with data: reading or running that path later carries the data's labels."""
        path = self.value(path_node).const
        self._memo.clear()
        if not isinstance(path, str) or not path:
            return
        line = node.start_point[0] + 1

        def thunk() -> Value:
            if data_node is None:
                return labelled(("network", "downloaded"), line, f"downloaded to {path}")
            data = self.value(data_node)
            if isinstance(data.const, str) and data.const.startswith(("http://", "https://", "ftp://")):
                return labelled(("network", "downloaded"), line, f"{data.const} copied to {path}")
            if data.labels & {"network", "socket"}:
                data = merge([data, labelled(("downloaded",), line, f"written to {path}")])
            return data
        self.fields.setdefault("file:" + path, []).append(Event(node.end_byte, "set", node, None, -1, thunk))
        self.written.add(path)


def comparison_sides(node):
    """(left, right) of an equality test node, else None."""
    op = node.child_by_field_name("operator")
    ops = [op.text] if op is not None else [c.text for c in node.children if not c.is_named]
    named = [c for c in node.named_children if "comment" not in c.type]
    if len(named) != 2 or not ops or ops[0] not in EQUALS:
        return None
    return named[0], named[1]


@lru_cache(maxsize=64)
def _compiled(language, kinds: frozenset):
    """A query capturing every node of the given kinds that the grammar has (None: none of them)."""
    present = sorted(k for k in kinds if language.id_for_node_kind(k, True))
    if not present:
        return None
    return ts.Query(language, "[" + " ".join(f"({k})" for k in present) + "] @n")


def _inside(node, outer) -> bool:
    return outer.start_byte <= node.start_byte and node.end_byte <= outer.end_byte


def concat(left: Value, right: Value) -> Value:
    """`left + right` for strings (constant when both are), labels and traces joined."""
    const = UNKNOWN
    if isinstance(left.const, str) and isinstance(right.const, str) and len(left.const) + len(right.const) <= MAX_TEXT:
        const = left.const + right.const
    if not left.labels and not right.labels:
        return Value(const) if const is not UNKNOWN else NOTHING
    return merge((left, right), const=const)


def const(text: str) -> Value:
    return Value(text) if len(text) <= MAX_TEXT else NOTHING


def labelled(labels, line: int, note: str, const_value=UNKNOWN) -> Value:
    """A value that comes from a source: its labels and the step where it entered."""
    return Value(const_value, frozenset(labels), None, None, (Step(line, note),))


def join(values: list[Value], sep: str = " ") -> Value:
    """The values as one string joined by sep (constant when all are), labels joined."""
    if values and all(isinstance(v.const, str) for v in values):
        text = sep.join(v.const for v in values)
        if len(text) <= MAX_TEXT:
            return merge(values, const=text) if any(v.labels for v in values) else Value(text)
    return merge(values)
