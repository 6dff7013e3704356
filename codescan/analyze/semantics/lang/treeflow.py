"""Def-use and abstract values over one tree-sitter tree: the engine the Go/Java/Kotlin/C#/C/C++, PHP/Ruby
and shell adapters share (each adapter says which nodes bind, call and hold literals; this walks them)."""
from __future__ import annotations

from ..facts import NOTHING, Call, Value, merge
from ..constants import UNKNOWN
from .concepts import NOT_A_PASSWORD
from .flowcompare import SECRET_NAMES, comparison_fact, compare_possible  # noqa: F401 (re-exported)
from .flowcollect import _VARIABLES, FlowIndex
from .flowscope import Event, Scope
from ..sources import password_named
from ..text_labels import AUTHORIZED_KEYS, CREDENTIAL_PATH, MINER, STARTUP_FILE
from .flowvalues import concat, const, join, labelled  # noqa: F401 (the adapters import them from here)
from .flowtables import joined, lookup_value, table_value
from .memo_eval import MemoEval
from .treeflow_facts import _LAST, MAX_SITES, TreeFacts



def shared(flow_class, source: bytes, tree, *args):
    """One flow per parsed tree, whoever asks first (the fact rules or the folded view). A flow the folded view
    builds collects its scopes and bindings only when a value first needs a name, a field or a call: a
    constant expression (`"java.lang." + "Runtime"`) costs no collection."""
    if _LAST and _LAST[0].root == tree.root_node and _LAST[0].source is source and type(_LAST[0]) is flow_class:
        return _LAST[0]
    flow = flow_class(source, tree, *args)
    _LAST[:] = [flow]
    return flow


class _NeedsIndex(Exception):
    """A value asked for before the bindings were collected needs them."""


class TreeFlow(FlowIndex, MemoEval, TreeFacts):
    """Subclasses fill in the node kinds and the hooks; `facts()` gives the file's calls."""

    language = ""
    SCOPES: frozenset = frozenset()  # node kinds that open a function scope
    CALLS: frozenset = frozenset()  # node kinds that are calls (call_parts decides the rest)
    RETURNS: frozenset = frozenset(("return_statement",))
    LOOPS: frozenset = frozenset()
    CONCAT_OPS: frozenset = frozenset((b"+",))
    BINDINGS: frozenset = frozenset()  # node kinds `bindings()` reads
    COMPARES: frozenset = frozenset(("binary_expression", "binary", "equality_expression"))
    METHODS: frozenset = frozenset(("method_declaration", "method"))  # scopes a receiver.name() call may run

    def __init__(self, source: bytes, tree, budget=None, wanted=None):
        self.source = source
        self.root = tree.root_node
        self.grammar = tree.language
        self.budget = budget  # the per-file analyze.budget.Budget (None: unbounded)
        self.wanted = wanted  # callee -> bool: only these calls become facts (None: all)
        self.scopes: list[Scope] = []
        self._by_node: dict = {}
        self._scope_memo: dict = {}  # node id -> the scope scope_at found above it (flowcollect.scope_at)
        self.global_scope = self._scope(self.root, None, None)
        self._fields: dict[str, list[Event]] = {}  # this.x / self.x / @x, file-wide
        self._busy_fields: set[str] = set()  # fields whose value is being computed (field_value)
        self.functions: dict[str, Scope] = {}  # same-file functions by simple name
        self.sites: dict[str, list] = {}  # simple name -> [(call node, arg nodes)]
        self.calls: list = []  # call nodes in source order
        self.compares: list = []  # (node, scope, (left, right)) of ==/!= comparisons
        self._memo: dict = {}
        self._parts: dict = {}
        self._collected = False
        self.written: set = set()  # paths files were written to
        self._busy: set = set()
        self._depth = 0
        self._evals = 0
        self._ticks = 0
        self.deadline = budget  # MemoEval checks it every 64 evaluations
        self._prepared = False
        self._dry = False  # evaluating without the bindings: reading one raises _NeedsIndex

    @property
    def fields(self) -> dict[str, list[Event]]:
        """Fields (`this.x`, `s.x`, `@x`) and files written, file-wide: known once the bindings are collected."""
        self._indexed()
        return self._fields

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
        """`a == b`, `a.equals(b)`, strcmp(a, b) as the fact operator.eq(a, b) (see flowcompare)."""
        return comparison_fact(self, node, scope, left, right)

    def places(self, node, kwargs):
        """Where a call's facts are reported: [(node, None)] for the whole call; struct literals give one fact
        per field, at the field's line, so a finding points at `InsecureSkipVerify: skip`."""
        return [(node, None)]

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

    # -- values -----------------------------------------------------------------------------------
    def value(self, node) -> Value:
        """The node's abstract value, memoized and bounded by MemoEval (depth, evaluations, CPU budget). Before the
        bindings are collected (a flow the folded view built), a value of literals alone is given without
        collecting them; one that needs a name, a field or a call collects them first, then is evaluated."""
        if not self._prepared and self._depth == 0:
            self._dry = True
            try:
                return self.ev(node)
            except _NeedsIndex:
                pass
            finally:
                self._dry = False
            self.prepare()
        return self.ev(node)

    def _indexed(self) -> None:
        """Collect the bindings before a name, a field or a call is read (never in the middle of a value)."""
        if not self._prepared:
            if self._dry:
                raise _NeedsIndex()
            self.prepare()

    def _eval(self, node) -> Value:
        out = self._value(node)
        if self.written and isinstance(out.const, str) and out.const in self.written:
            out = merge([out, self.field_value("file:" + out.const)], const=out.const)  # a path written earlier
        elif self.written and not out.known and node.type in _VARIABLES:  # the variable a file was written to
            held = f"@{self.binding_scope(node).id}:{node.text.decode('utf-8', 'replace')}"
            if held in self.written:
                out = merge([out, self.field_value("file:" + held)])
        return out

    def _value(self, node) -> Value:
        lit = self.literal(node)
        if lit is not None:
            if isinstance(lit.const, str) and AUTHORIZED_KEYS.search(lit.const):  # kept through path joins
                return merge([lit, labelled(("authorized-keys",), node.start_point[0] + 1, "names authorized_keys")],
                             const=lit.const)
            if isinstance(lit.const, str) and len(lit.const) < 512 and STARTUP_FILE.search(lit.const):
                return merge([lit, labelled(("startup-file",), node.start_point[0] + 1, f"names {lit.const}")],
                             const=lit.const)
            if isinstance(lit.const, str) and 3 <= len(lit.const) < 4096 and MINER.search(lit.const):  # a pool URL,
                return merge([lit, labelled(("miner",), node.start_point[0] + 1, "names a miner")],  # a miner, a wallet
                             const=lit.const)
            if isinstance(lit.const, str) and 3 <= len(lit.const) < 512 and "://" not in lit.const \
                    and CREDENTIAL_PATH.search(lit.const):  # a path piece naming a secret store, kept through joins
                return merge([lit, labelled(("credential-file",), node.start_point[0] + 1, f"names {lit.const}")],
                             const=lit.const)
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
            left, right = self.value(named[0]), self.value(named[1])
            return joined(left, right) or concat(left, right)
        if len(named) == 1 and node.type.startswith(("parenthesized", "argument", "value_argument", "expression_list",
                                                      "literal_element", "expression_statement",
                                                      "return_statement", "arrow_expression_clause")):
            # a helper's `return decode($n);` / C#'s `=> Decode(s);`
            return self.value(named[0])
        return merge(self.value(c) for c in named)

    def lookup(self, name: str, node) -> Value:
        """What `name` holds at `node`; a parameter or variable named like a password whose value is not known here
        is labelled `password` (sources.password_named, as in Python)."""
        self._indexed()
        scope = self.scope_at(node)
        while scope is not None:
            events = scope.events.get(name)
            if events:
                held = self._from_events(name, events, node.start_byte, scope)
                return held if NOT_A_PASSWORD.search(name) else password_named(held, name)
            scope = scope.parent
        return NOTHING

    def _from_events(self, name: str, events: list[Event], pos: int, scope: Scope) -> Value:
        before = [e for e in events if e.pos <= pos]
        if not before:  # assigned only later (a loop, a callback): any of it may be here
            return merge(self._event_value(name, e, scope) for e in events)
        start = max((i for i, e in enumerate(before) if e.kind in ("set", "param")), default=0)
        value = self._event_value(name, before[start], scope)
        held = start  # `if probe == "" { probe = "uptime" }`: a set under a branch the use is not in may not have
        while held > 0 and before[held].kind == "set" and _branch_only(before[held].node, pos, scope.node):
            held = max((i for i in range(held) if before[i].kind in ("set", "param")), default=-1)  # run: what
            if held < 0:  # was there before it stays possible
                break
            value = merge([self._event_value(name, before[held], scope), value])
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
        """What a field (this.x, a file written by the script) holds: its writes merged. A write whose own value reads
        the field (`prep "$4" && cat src >"$4"`: the redirect's body reads "$4") adds nothing while it is computed,
        as a name's self-reference does (it recursed until Python's limit: a false analysis-exhausted)."""
        self._indexed()
        events = self.fields.get(field)
        if not events or field in self._busy_fields:
            return NOTHING
        self._busy_fields.add(field)
        try:
            values = [e.thunk() if e.thunk is not None else e.value if e.value is not None else self.value(e.node)
                      for e in events]
        finally:
            self._busy_fields.discard(field)
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
        consts = [v.const for v in passed]  # compared, not hashed: a list constant (vec![..]) is one too
        const = consts[0] if all(v.known for v in passed) and all(c == consts[0] for c in consts) else UNKNOWN
        return merge([declared] + passed, const=const)

    def call_result(self, node) -> Value:
        self._indexed()
        parts = self.parts(node)
        if parts is None:
            return merge(self.value(c) for c in node.named_children)
        callee, simple, receiver, args, kwargs, _via = parts
        arg_values = [self.value(a) for a in args]
        recv = self.value(receiver) if receiver is not None else None
        known = self.call_value(callee, node, arg_values, recv)
        if known is not None:
            return known
        table = table_value(callee, arg_values) or lookup_value(callee, recv, arg_values)
        if table is not None:  # Map.of("date", "created_at"); SORTS.getOrDefault(key, "id")
            return table
        if simple and simple in self.functions and receiver is None:
            return self.returns_of(self.functions[simple], node)
        if self.blocks_flow(callee, simple):
            return NOTHING
        inputs = arg_values + [self.value(n) for _k, n in kwargs] + ([recv] if recv is not None else [])
        method = (callee or "").rsplit(".", 1)[-1]
        if receiver is not None and method in self.functions and self.functions[method].node.type in self.METHODS:
            # a.fetch() where fetch is a method of this file: what it returns, with what went in
            return merge([self.returns_of(self.functions[method], node)] + inputs)
        return merge(inputs)

    def returns_of(self, scope: Scope, call) -> Value:
        values = [self.value(r) for r in scope.returns]
        values = [v for v in values if v.labels or v.known]
        if not values:
            return NOTHING
        out = values[0] if len(values) == 1 else merge(values)
        return out.with_step(call.start_point[0] + 1, f"returned by {scope.name}()")


# statements and clauses whose body may not run: a name set inside one, used after it, may still hold what it held
_BRANCHES = frozenset(("if_statement", "if_expression", "if", "unless", "elif_clause", "else_clause", "elsif", "else",
                       "expression_switch_statement", "type_switch_statement", "switch_statement", "switch_expression",
                       "switch_block_statement_group", "switch_section", "expression_case", "default_case",
                       "case_statement", "case_item", "case", "when", "for_statement", "enhanced_for_statement",
                       "foreach_statement", "while_statement", "do_statement", "for", "while", "until",
                       "catch_clause", "rescue", "select_statement", "communication_case", "when_entry"))
MAX_BRANCH_DEPTH = 24


def _branch_only(node, pos: int, top) -> bool:
    """Whether `node` (a binding) sits in a branch or loop body, below `top`, that does not hold the byte `pos`."""
    current = node.parent if node is not None else None
    for _ in range(MAX_BRANCH_DEPTH):
        if current is None or current == top:
            return False
        if current.type in _BRANCHES and not current.start_byte <= pos < current.end_byte:
            return True
        current = current.parent
    return False


def _inside(node, outer) -> bool:
    return outer.start_byte <= node.start_byte and node.end_byte <= outer.end_byte
