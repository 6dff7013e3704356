"""Abstract values of Python expressions (constants, labels, canonical names), demand-driven and bounded."""
from __future__ import annotations

from ...budget import Budget

from ..constants import UNKNOWN, Env, Name, NotConstant, evaluate
from ..module_constants import module_constant
from ..python_scopes import Scopes
from .memo_eval import MemoEval
from .python_access import Access, own_source, param_doc
from .python_functions import REQUEST_NAMES, Functions
from .python_namespaces import Namespaces
from .python_paths import slash_tail, with_tail_labels
from .python_guards import conditional, dead_branch, guarded
from .python_loops import fold_accumulation, fold_stores, unpacked_choices
from .python_mutations import _at, _key, _scope_start, declared_global, mutated
from .python_unpack import unpacked
from .python_operators import (comprehended, default_instance, either, filter_only, joined_choices, mentions,
                               switch_off_by_default)
from .python_skeleton import or_fallback, skeleton
from .python_tables import fstring_choices
from .python_exec_names import exec_bound
from ..facts import NOTHING, Value, merge
from ..names import BUILTIN_MODULES, PY_BUILTINS, canonical
from ..sources import authenticating, password_named
from ..text_labels import constant_labels
from ..values import whole

_CONST_TYPES = {"string", "concatenated_string", "integer", "float", "true", "false", "none", "binary_operator",
                "list", "tuple", "dictionary", "parenthesized_expression", "unary_operator", "subscript",
                "call", "conditional_expression", "list_comprehension", "generator_expression", "not_operator",
                "boolean_operator"}
_CONTAINERS = {"list", "tuple", "dictionary", "set", "pair", "list_comprehension", "generator_expression",
               "dictionary_comprehension", "set_comprehension"}

_LAST: list = []  # the evaluator of the tree seen last: the fold and the fact rules share it


def shared(source: bytes, root, deadline: Budget | None, scopes: Scopes | None = None) -> "PyValues":
    """One evaluator per parsed tree, whoever asks first (fact rules or the folded view)."""
    if _LAST and _LAST[0].root == root and _LAST[0].source is source:
        values = _LAST[0]
        values.deadline = deadline if deadline is not None else values.deadline
        return values
    values = PyValues(source, root, deadline, scopes)
    _LAST[:] = [values]
    return values


MAX_LOOP_CHOICES = 16  # items of a constant list a loop variable is known to be one of


# the canonical names of pathlib paths: a `/` on one is a path too
PATHS = frozenset(("pathlib.Path()", "pathlib.PurePath()", "pathlib.PosixPath()", "pathlib.WindowsPath()",
                   "pathlib.Path.home()", "pathlib.Path.cwd()", "pathlib.Path().parent", "pathlib.Path().resolve()",
                   "pathlib.Path().expanduser()", "pathlib.Path().absolute()"))


class PyValues(Env, MemoEval, Namespaces, Functions, Access):
    """Evaluates expressions to Values over one parsed file (memoized per node)."""

    def __init__(self, source: bytes, root, deadline: Budget | None, scopes: Scopes | None = None):
        self.source = source
        self.root = root
        self.scopes = scopes if scopes is not None else Scopes(source, root)
        self.deadline = deadline
        self.defs: dict[int, object] = {}  # start byte -> function_definition (names `<def:N>`)
        self._memo: dict[int, Value] = {}
        self._busy: set[int] = set()
        self._depth = 0
        self._evals = 0
        self._returns: dict[int, Value] = {}
        self._attributes: dict[tuple, Value | None] = {}
        self.const_memo: dict = {}  # constants of literal-only subtrees (constants.evaluate)

    # -- the constant interpreter's questions (Env) -----------------------------------------
    def lookup(self, node):
        value = self.ev(node)
        if value.const is UNKNOWN:
            raise NotConstant
        return value.const

    def name_of(self, node) -> str | None:
        value = self.ev(node)
        if value.labels:  # data (a request value, a network response) is not a reference to a function
            return None
        name = value.name
        if name and name.startswith("builtins."):
            return name[len("builtins."):]
        return name

    def constant_of(self, node):
        value = self.ev(node)
        if value.const is UNKNOWN:
            raise NotConstant
        return value.const

    def is_builtin(self, node) -> bool:
        name = node.text.decode("utf-8", "replace")
        return not self.scopes.maybe_rebound(name) or self.scopes.entries(node) is None

    # -- evaluation ---------------------------------------------------------------------------

    def _eval(self, node) -> Value:
        kind = node.type
        if kind == "identifier":
            return self._identifier(node)
        if kind == "attribute":
            out = self._attribute(node)
            if out.labels and "own-source" not in out.labels and node.child_by_field_name("attribute").text == \
                    b"__doc__" and any(lab.startswith("param:") for lab in out.labels):
                return param_doc(out)  # fn.__doc__ of a parameter: the docstring of what the caller passes
            return out
        if kind == "call":
            from .python_calls import call_value
            return call_value(self, node)
        if kind == "subscript":
            return self._subscript(node)
        if kind in ("parenthesized_expression", "await"):  # (_)(blob), (os.system)(cmd), await connect(): the inner
            inner = [c for c in node.named_children if c.type != "comment"]  # expression (its name: a client's calls)
            if len(inner) == 1:
                return self.ev(inner[0])
        if kind in ("string", "concatenated_string"):
            value = self._constant(node)
            if value is not None:
                return Value(value, constant_labels(value))
            if kind == "string" and (texts := fstring_choices(self, node)):
                merged = merge(self.ev(c) for c in node.named_children if c.type == "interpolation")
                return Value(UNKNOWN, merged.labels, None, "dynamic", merged.trace, texts)
        elif kind in _CONTAINERS:
            value = self._constant(node)
            body = comprehended(node)
            if body and self.ev(body[0]).labels:
                body = []  # the items hold the iterable's data in some form: the iterable's labels say which
            parts = merge(self.ev(c) for c in body or node.named_children if c.type != "comment" and not filter_only(c))
            labels = parts.labels
            if kind == "pair" and "secret" in labels:  # {"Authorization": "Bearer " + token}: logging in
                key = self.ev(node.child_by_field_name("key"))
                labels = authenticating(labels, key.const)
            if kind == "dictionary" and isinstance(value, dict):
                value = self._functions_in(node, value)
            return Value(UNKNOWN if value is None else value, labels, None, None, parts.trace)
        elif kind in _CONST_TYPES:
            value = self._constant(node)
            if value is not None and not whole(Value(value)):
                # ["ping", "-c1"] + parts: a list whose other items are data keeps that data's labels
                held = merge(self.ev(c) for c in node.named_children if c.type != "comment")
                return Value(value, held.labels | constant_labels(value), None, None, held.trace)
            if value is not None:  # "." + "aws" names what ".aws" names
                return Value(value, constant_labels(value) if kind == "binary_operator" else frozenset())
        if kind == "lambda":
            return Value(name=f"<def:{node.start_byte}>") if self._remember(node) else NOTHING
        if kind == "conditional_expression":  # `a if <constant> else b`: only the branch taken
            branches = [c for c in node.named_children if c.type != "comment"]
            taken = self._constant(branches[1]) if len(branches) == 3 else None
            if taken is not None:
                return self.ev(branches[0] if taken else branches[2])
        parts = [self.ev(c) for c in node.named_children if c.type != "comment"]
        if kind == "comparison_operator" and (off := switch_off_by_default(self, node, parts)) is not None:
            return off  # os.environ.get("VERIFY_TLS", "0") == "1": False unless the variable is set
        if kind in ("comparison_operator", "not_operator"):
            return Value(UNKNOWN)  # `key in os.environ`, `token == SECRET`, `not flag`: a bool, none of the data
        if kind == "binary_operator" and len(parts) == 2 and (parts[0].choices or parts[1].choices):
            joined = joined_choices(node, parts)  # "... ORDER BY " + ORDERS.get(key, "id")
            if joined:
                merged = merge(parts)
                return Value(UNKNOWN, merged.labels, None, "dynamic", merged.trace, joined)
        if kind == "conditional_expression" and len(parts) == 3:
            # `getattr(b, "ev" + "al") if cond else b["eval"]`: what either branch denotes (the first that names one)
            named = next((p for p in (parts[0], parts[2]) if p.name), None)
            if named is not None:
                merged = merge((parts[0], parts[2]))
                return Value(UNKNOWN, merged.labels, named.name, named.via, merged.trace)
            # `a if cond else b` is a or b: the condition's data decides which, it is not in the result
            return either((parts[0], parts[2])) or merge((parts[0], parts[2]))
        if kind == "boolean_operator" and len(parts) == 2:
            if node.child_by_field_name("operator").type == "or" and (parts[0].choices or parts[1].choices):
                picked = either(parts)  # PAGES.get(key) or PAGES["home"]: one of the table's pages
                if picked is not None:
                    return picked
            fallback = or_fallback(node, parts) or default_instance(node, parts)  # os.environ.get("CMD") or "…"
            if fallback is not None:
                return fallback
            if parts[0].name and parts[0].name == parts[1].name:  # sys.modules.get("os") or __import__("os")
                merged = merge(parts)
                return Value(UNKNOWN, merged.labels, parts[0].name, parts[0].via or parts[1].via, merged.trace)
        if kind in ("binary_operator", "string"):
            text = skeleton(self, node, parts)  # "curl -s %s | sh" % url: the command's shape is known
            if text is not None:
                merged = merge(parts)
                return Value(UNKNOWN, merged.labels, None, None, merged.trace, (), text)
        if kind == "binary_operator" and len(parts) == 2 and isinstance(parts[1].const, str):  # home / ".bashrc"
            joined = with_tail_labels(merge(parts), slash_tail(self, node))
        else:
            joined = merge(parts)
        if kind == "binary_operator" and len(parts) == 2 and parts[0].name in PATHS and \
                node.child_by_field_name("operator").type == "/":
            # Path.home() / ".cache" / name is still a pathlib path (its .open() a local file's reader)
            return Value(joined.const, joined.labels, "pathlib.Path()", None, joined.trace)
        return joined

    def _remember(self, node) -> bool:
        self.defs[node.start_byte] = node
        return True

    def _constant(self, node):
        try:
            return evaluate(node, self)
        except NotConstant:
            return None

    # -- names --------------------------------------------------------------------------------
    def _identifier(self, node) -> Value:
        name = node.text.decode("utf-8", "replace")
        entries = self.scopes.entries(node)
        if not entries:
            if name == "__doc__":  # the module's docstring: text of this file, not data
                return own_source(node, "the module docstring read")
            if name in PY_BUILTINS or name in BUILTIN_MODULES:
                return Value(name=canonical(name))
            if name in REQUEST_NAMES:
                return Value(name="request")
            bound = exec_bound(self, node, name)  # exec("first = request.args['name']"), then first
            if bound is not None:
                return bound
            # an unbound global (a snippet's free name): itself, with what is written to the file it names
            return password_named(mutated(self, name, Value(name=name), node.start_byte, self.scopes.scope_of(node)),
                                  name)
        value = self.binding_value(name, entries, node.start_byte, self.scopes.scope_of(node))
        if "checked" not in value.labels and ("request" in value.labels or
                                             any(lab.startswith("param:") for lab in value.labels)):
            # (a parameter checked in its function: `if col not in SORTABLE: raise` holds for whatever a caller
            # passes, so the request data a call site gives it arrives checked: `param-checked` until then)
            since = max((_at(e) for e in entries if _at(e) < node.start_byte), default=-1)
            if guarded(name, node, since):
                mark = "checked" if "request" in value.labels else "param-checked"
                value = Value(value.const, value.labels | {mark}, value.name, value.via, value.trace)
        return password_named(value, name)

    def binding_value(self, name: str, entries: list, use_at: int, use_scope) -> Value:
        """The value `name` holds at byte `use_at`: its bindings replayed in order, then the
        mutations (`x.append(v)`, `x[k] = v`, writes) made to it before that point."""
        if use_scope is not None and any(kind == "other" and what is not None for kind, what in entries):
            return declared_global(self, name)
        before = [e for e in entries if _at(e) < use_at]
        if not before or (before and _scope_start(entries[0], self.scopes) != _key(use_scope)):
            before = entries
        current = NOTHING
        ordered = sorted(before, key=_at)
        for kind, what in ordered:
            if len(ordered) > 1 and kind in ("assign", "augassign") and dead_branch(self, what):
                continue  # `if 7 * 42 - num > 200: bar = "x" else: bar = param`: the else never runs
            bound = self._bind(name, kind, what, current)
            if current is not NOTHING and kind in ("assign", "augassign", "setitem") and \
                    conditional(self, what, use_at):  # `if not p: p = ""`: p may still hold what it held
                # both constants: the later one stands (as before; a constant-only command stays constant-only)
                both = current.known and bound.known
                bound = Value(bound.const if both else UNKNOWN, current.labels | bound.labels,
                              bound.name or current.name,
                              (bound.via if bound.name else current.via) if bound.name or current.name else
                              bound.via or current.via,
                              merge((current, bound)).trace)
            current = bound
        return mutated(self, name, current, use_at, use_scope)

    def _bind(self, name: str, kind: str, what, current: Value) -> Value:
        if kind == "import":  # (from stat import S_IRWXO: the constant's bits)
            return (module_constant(canonical(what)) or Value(name=canonical(what))) if what else NOTHING
        if kind == "assign":
            value = self.ev(what)
            if current.known and what.parent is not None and what.parent.type == "assignment" and \
                    mentions(what, name):  # `n = n + c` in a loop over a constant
                const = fold_accumulation(self, name, what.parent, what, current.const, False)
                if const is not UNKNOWN:
                    value = Value(const, value.labels, None, None, value.trace)
            if not value.known and what.prev_named_sibling is not None \
                    and what.prev_named_sibling.type == "type" and self._unnamed(value.name):
                value = self._annotated(value, what.prev_named_sibling)
            return value.with_step(what.start_point[0] + 1, f"assigned to {name}")
        if kind == "augassign":
            right_node = what.child_by_field_name("right")
            right = self.ev(right_node)
            const = UNKNOWN
            if current.known and what.child_by_field_name("operator").type == "+=":
                const = fold_accumulation(self, name, what, right_node, current.const, True)
                if const is UNKNOWN and right.known:
                    try:
                        const = current.const + right.const
                    except TypeError:
                        const = UNKNOWN
            out = merge((current, right), const)
            return out.with_step(what.start_point[0] + 1, f"added to {name}")
        if kind == "setitem":
            target = what.child_by_field_name("left")
            key = self.ev(target.child_by_field_name("subscript")) if target.child_by_field_name("subscript") else NOTHING
            item = self.ev(what.child_by_field_name("right"))
            const = current.const
            if isinstance(const, dict) and key.known and isinstance(key.const, (str, int, bool)):
                const = dict(const)
                const[key.const] = item.const if item.known else (
                    Name(item.name) if item.name and not item.labels else UNKNOWN)
            elif isinstance(const, dict) and not key.labels and not item.labels and target.child_by_field_name(
                    "subscript") is not None:  # for k, v in PAIRS: opts[k] = v
                folded = fold_stores(self, what, target.child_by_field_name("subscript"),
                                     what.child_by_field_name("right"), const)
                const = const if folded is UNKNOWN else folded
            elif item.labels or key.labels:
                const = current.const
            item = Value(item.const, authenticating(item.labels, key.const), item.name, item.via, item.trace,
                         item.choices) if "secret" in item.labels else item  # headers["Authorization"] = ...
            out = merge((current, key, item), const)  # a labelled key (`d[name] = 1`) is data too
            return out.with_step(what.start_point[0] + 1, f"stored in {name}")
        if kind == "for":
            listed = what.child_by_field_name("right")
            if listed.type == "expression_list":  # for editor in "sensible-editor", "vim", "nano": a bare tuple
                items = [self.ev(c) for c in listed.named_children]
                iterable = merge(items, tuple(v.const for v in items) if all(v.known for v in items) else UNKNOWN)
            else:
                iterable = self.ev(listed)
            const = iterable.const
            names = [i.dotted for i in const if isinstance(i, Name)] if isinstance(const, (list, tuple)) else []
            if not names and listed.type in ("tuple", "list", "expression_list") and 1 < listed.named_child_count <= MAX_LOOP_CHOICES:
                named = [self.ev(c) for c in listed.named_children]  # (browser_cookie3.chrome, ....firefox)
                names = [v.name for v in named if v.name and not v.labels and not v.known]
                names = names if len(names) == len(named) else []
            # for cmd in [["certutil", ...], ["bitsadmin", ...]]: the variable holds one of the items
            choices = tuple(Value(i) for i in const if i is not UNKNOWN and not isinstance(i, Name)) \
                if isinstance(const, (list, tuple)) and len(const) <= MAX_LOOP_CHOICES else ()
            if len(set(names)) > 1 and len(names) <= MAX_LOOP_CHOICES:  # for load in (b.chrome, b.firefox)
                choices = choices + tuple(Value(name=n) for n in dict.fromkeys(names))
            if not names and what.child_by_field_name("left").type != "identifier":
                # for k, spec in HOOKS.items(), for mod, attr in PAIRS: each name is bound to its place in the items
                choices = unpacked_choices(self, what, name, MAX_LOOP_CHOICES)
            # (`via="loop"`: every one of the constant items is bound in turn, not one picked by a key not known)
            out = Value(UNKNOWN, iterable.labels, names[0] if names and len(set(names)) == 1 else None,
                        "loop" if choices and not names else None, iterable.trace, choices)
            return out.with_step(what.start_point[0] + 1, f"loop variable {name}")
        if kind == "with":
            item = what.parent
            if item is not None and item.type == "as_pattern":
                return self.ev(item.named_children[0])
            return NOTHING
        if kind == "unpack":
            return unpacked(self, name, what)
        if kind == "walrus":
            return self.ev(what.child_by_field_name("value"))
        if kind == "param":
            return self._parameter(name, what)
        if kind == "def":
            self.defs[what.start_byte] = what
            return Value(name=f"<def:{what.start_byte}>")
        if kind == "class":
            self.defs[what.start_byte] = what
            return Value(name=f"<class:{what.start_byte}>")
        return NOTHING

    def _unnamed(self, name: str | None) -> bool:
        """No module names the value: nothing, or a path from a local (`request.app.state.db`)."""
        return name is None or not name.startswith("<") and name.split(".", 1)[0] not in self.scopes.imports

    def _annotated(self, value: Value, annotation) -> Value:
        """`pool: asyncpg.Pool = app["pool"]`: a value from where no module names it (app state, a local's
        attribute), declared an instance of an imported class, is named as one (`pool.acquire()` then names
        asyncpg's connection)."""
        held = annotation.named_children[0] if annotation.named_children else None
        if held is None or held.type not in ("attribute", "identifier"):
            return value
        cls = self.ev(held).name
        if not cls or "." not in cls or cls.startswith(("<", "builtins.", "typing.")):
            return value
        return Value(value.const, value.labels, cls + "()", value.via, value.trace, value.choices)

    def _functions_in(self, node, table: dict) -> dict:
        """{"load": lambda n: ..., "run": helper}: entries that are same-file functions keep their names (a call
        through the table is a call of the function), where the constant interpreter knows nothing; so do entries
        that name a module's attribute at run time ({"full": getattr(yaml, "Unsafe" + "Loader")})."""
        out = None
        for pair in node.named_children:
            if pair.type != "pair" or pair.child_by_field_name("value").type not in ("lambda", "identifier", "call"):
                continue
            key = self._constant(pair.child_by_field_name("key"))
            if isinstance(key, str) and key in table and table[key] is UNKNOWN:
                value_node = pair.child_by_field_name("value")
                held = self.ev(value_node)
                if held.name and (held.name.startswith("<def:") or value_node.type == "call" and not held.labels
                                  and held.via == "dynamic" and not held.name.endswith(")")):
                    out = out if out is not None else dict(table)
                    out[key] = Name(held.name)
        return table if out is None else out
