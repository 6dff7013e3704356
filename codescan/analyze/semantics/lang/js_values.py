"""Abstract values of JavaScript/TypeScript expressions: constants, labels and canonical names (`require`,
imports, destructuring, `window[...]`), demand-driven and bounded."""
from __future__ import annotations

from ...budget import Budget

from .. import js_constants
from ..constants import UNKNOWN, NotConstant
from .memo_eval import MemoEval
from .js_access import GLOBAL_NAMES, JsAccess, unescaped_name
from ..facts import NOTHING, Value, merge
from ..names import js_module
from ..sources import authenticating, clears, labels_of, narrowed, secret_name_labels
from ..text_labels import constant_labels
from .js_skeleton import skeleton
from .js_choices import checked_branch, either, joined
from .js_handler_inputs import decorated_input, event_field, framework_argument
from .js_message_inputs import message_argument
from .js_callbacks import callback_input, closure_writes, command_callback_input, file_callback_input, reduced_item, \
    referenced_items
from .js_guards import guarded, may_check_param
from .js_helper_callbacks import helper_callback_input
from .js_loops import unrolled
from .js_mutations import JsMutations
from .js_scopes import FUNCTIONS, JsScopes, enclosing_function, param_index

MAX_LOOP_CHOICES = 16  # items of a constant list a for...of variable is known to be one of

REQUEST_NAMES = {"req", "request", "ctx", "event"}
_SKIP = {"comment", "(", ")", ",", ";"}


class JsValues(MemoEval, JsAccess, JsMutations):
    def __init__(self, source: bytes, root, deadline: Budget | None):
        self.source = source
        self.scopes = JsScopes(source, root)
        self.deadline = deadline
        self._memo: dict[int, Value] = {}
        self._busy: set[int] = set()
        self._depth = 0
        self._evals = 0
        self.defs: dict[int, object] = {}
        self._sites: dict[str, tuple] = {}


    def __call__(self, node):
        """The constant interpreter's identifier lookup."""
        return self.constant_of(node)

    def constant_of(self, node):
        value = self.ev(node)
        if value.const is UNKNOWN:
            raise NotConstant
        return value.const

    def _constant(self, node):
        try:
            return js_constants.evaluate(node, self)
        except NotConstant:
            return None

    def _eval(self, node) -> Value:
        kind = node.type
        if kind in ("identifier", "shorthand_property_identifier"):
            return self._identifier(node)
        if kind == "member_expression":
            return self._member(node)
        if kind == "subscript_expression":
            return self._subscript(node)
        if kind in ("call_expression", "new_expression"):
            from .js_calls import call_value
            return call_value(self, node)
        if kind == "sequence_expression":  # (0, eval): the comma operator gives its last operand (indirect eval)
            operands = [c for c in node.named_children if c.type != "comment"]
            return self.ev(operands[-1]) if operands else NOTHING
        if kind in ("parenthesized_expression", "await_expression", "as_expression", "non_null_expression",
                    "satisfies_expression", "type_assertion"):
            inner = [c for c in node.named_children if c.type not in ("comment",) and not c.type.endswith("type")]
            return self.ev(inner[0]) if inner else NOTHING
        if kind in ("string", "template_string", "binary_expression", "number", "true", "false", "null",
                    "array", "unary_expression", "regex"):
            value = self._constant(node)
            if value is not None:
                return Value(value, constant_labels(value))
            if kind == "array":
                parts = [self.ev(c) for c in node.named_children]
                return merge(parts, UNKNOWN)
        if kind in ("arrow_function", "function_expression", "function"):
            self.defs[node.start_byte] = node
            return Value(name=f"<def:{node.start_byte}>")
        if kind == "method_definition":  # { rewriteUrl (req) { t.equal(req.url, '/a'); return '/' } }: a method is
            return NOTHING  # code, as `rewriteUrl: (req) => ..` is; its body's calls are not the object's data
        if kind == "ternary_expression":  # v === '1' ? '-p' : '': one of the branches; the test chooses, it is not held
            children = [node.child_by_field_name(f) for f in ("consequence", "alternative")]
            if any(c is None for c in children):
                children = node.named_children
        else:
            children = node.named_children
        out = merge(self.ev(c) for c in children if c.type not in _SKIP)
        if kind in ("template_string", "binary_expression") and not out.known:
            text = skeleton(self, node)  # `curl ${base}/get | bash`: the command's shape is known
            if text is not None:  # (`${os.homedir()}/.ssh/id_rsa` names a key file as path.join would)
                out = Value(UNKNOWN, out.labels | constant_labels(text), None, None, out.trace, (), text)
        if kind in ("template_string", "binary_expression") and not out.known and (
                not out.labels or all(lab.startswith("param:") for lab in out.labels)):
            operator = node.child_by_field_name("operator") if kind == "binary_expression" else None
            if operator is not None and operator.type in ("||", "??"):
                out = either(self, node, out) if not out.labels else out
            elif operator is None or operator.type == "+":
                # (also a callback's parameter bound to one of a constant list's items: `'[name="' + n + '"]'`, n of
                # ['cardnumber', 'cvc'].forEach(n => ..), is one of the joined texts)
                out = joined(self, node, out)
        if kind == "binary_expression" and not out.name and not out.labels and \
                node.child_by_field_name("operator").type in ("||", "??"):  # globalThis || window: the global object
            name = _same_name([self.ev(node.child_by_field_name(f)) for f in ("left", "right")])
            if name is not None:
                out = Value(out.const, out.labels, name, out.via, out.trace, out.choices, out.text)
        if kind == "ternary_expression" and not out.known:  # win32 ? 'cmd.exe' : '/bin/sh': one of the branches
            branches = [node.child_by_field_name(f) for f in ("consequence", "alternative")]
            if all(b is not None for b in branches):
                picks = tuple(self.ev(b) for b in branches)
                out = Value(out.const, out.labels, _same_name(picks), out.via, out.trace, picks)
                out = checked_branch(self, node, out)  # COLUMNS.has(c) ? c : 'id': c is one of COLUMNS
        if kind == "pair" and "secret" in out.labels:  # {Authorization: `Bearer ${token}`}: logging in
            key = node.child_by_field_name("key")
            text = key.text.decode("utf-8", "replace").strip("'\"") if key is not None else None
            out = Value(out.const, authenticating(out.labels, text), out.name, out.via, out.trace)
        return out

    # -- names --------------------------------------------------------------------------------
    def _identifier(self, node) -> Value:
        name = node.text.decode("utf-8", "replace")
        if "\\u" in name:  # `\u0065val(x)`: an identifier written with escapes is the name they spell
            name = unescaped_name(name)
        entries = self.scopes.bindings(node)
        if not entries:
            return Value(name=name)  # a global (eval, fetch, process, require) or a snippet's free name
        entries = entries + closure_writes(self.scopes, node, entries)  # `c => body += c` adds to the outer body
        before = [e for e in entries if _at(e) < node.start_byte] or entries
        if any(e[0] == "mayassign" and _at(e) > node.start_byte for e in entries) and \
                _nested_use(node, entries):  # `let win;` .. handler(() => win.x) .. whenReady(() => { win = .. })
            before = before + [e for e in entries if e[0] == "mayassign" and _at(e) > node.start_byte]
        # only stores into a global's members (`module.exports = x`, `window.cb = f`): still the global itself
        current = Value(name=name) if all(e[0] == "setitem" for e in entries) else NOTHING
        for kind, what, _scope in sorted(before, key=_at):
            current = self._bind(name, kind, what, current)
        # a module (`const _ = require('lodash')`) holds no data: `_.set(process.env, ..)` stores into its argument
        value = current if _module_bound(before) else self._mutated(name, current, node)
        held = not value.labels.isdisjoint(GUARDED)
        if (held or may_check_param(self, value.labels)) and "checked" not in value.labels and \
                "param-checked" not in value.labels and \
                guarded(name, node, max((_at(e) for e in before if _at(e) < node.start_byte), default=-1)):
            # `if (!HOSTS.has(u.hostname)) return ...` before the use: the value passed a validating test (a
            # parameter checked in its function holds for whatever a caller passes: the request data a call site
            # gives it arrives checked, `param-checked` until then, as in Python)
            value = Value(value.const, value.labels | {"checked" if held else "param-checked"}, value.name, value.via,
                          value.trace, value.choices, value.text)
        return value

    def _bind(self, name: str, kind: str, what, current: Value) -> Value:
        if kind == "assign":
            return self.ev(what).with_step(what.start_point[0] + 1, f"assigned to {name}")
        if kind == "mayassign" and current is NOTHING:  # `let win;` then `win = new X()` in a function
            return self.ev(what).with_step(what.start_point[0] + 1, f"assigned to {name} in a function")
        if kind == "mayassign":  # assigned in a callback: the value before may still be there
            return merge((current, self.ev(what))).with_step(what.start_point[0] + 1, f"assigned to {name} in a callback")
        if kind == "augassign":
            right = self.ev(what.child_by_field_name("right"))
            const = UNKNOWN
            if current.known and not right.labels:  # for (const c of CODES) s += String.fromCharCode(c)
                const = unrolled(self, name, what, current.const)
            if const is UNKNOWN and current.known and right.known and isinstance(current.const, str) and \
                    isinstance(right.const, str):
                const = current.const + right.const
            return merge((current, right), const).with_step(what.start_point[0] + 1, f"added to {name}")
        if kind == "destructure":
            value_node, key = what
            source = self.ev(value_node)
            if not isinstance(key, str):  # a computed key: the name it spells, if it folds to one
                built = self.ev(key.named_children[0]).const if key.named_children else UNKNOWN
                if not isinstance(built, str):
                    return Value(UNKNOWN, source.labels, None, None, source.trace)
                key = built
            if source.name and labels_of(f"{source.name}.{key}"):  # const { env } = process: a source read
                return self.attribute(source, key, value_node)
            if source.name:
                return Value(UNKNOWN, secret_name_labels(narrowed(source.labels, f"{source.name}.{key}"), key),
                             f"{source.name}.{key}",
                             source.via, source.trace)
            return Value(UNKNOWN, source.labels, None, None, source.trace)
        if kind == "import":
            return _import_name(what, name)
        if kind == "param":
            return self._parameter(name, what)
        if kind == "def":
            self.defs[what.start_byte] = what
            return Value(name=f"<def:{what.start_byte}>")
        if kind == "for":
            right = self.ev(what.child_by_field_name("right"))
            operator = what.child_by_field_name("operator")
            const = right.const
            # for (const k of ["NPM_TOKEN", "HOME"]): the variable holds one of the items
            looped = operator is not None and operator.type == "of" and isinstance(const, list) and \
                len(const) <= MAX_LOOP_CHOICES
            items = const if looped else ()
            left = what.child_by_field_name("left")
            if left is not None and left.type == "array_pattern" and operator is not None and operator.type == "of":
                # for (const [re, swap] of PAIRS): the name holds its position of each item
                items = self._item_parts(left, name, what.child_by_field_name("right"), const if looped else None)
            choices = tuple(Value(i) for i in items if isinstance(i, (str, int)))
            # (`via="loop"`: every item is bound in turn, not one picked by a key not known here)
            return Value(UNKNOWN, right.labels, None, "loop" if choices else None, right.trace, choices)
        if kind == "setitem":
            right = self.ev(what.child_by_field_name("right"))
            out = merge((current, right), UNKNOWN, current.name)
            return out.with_step(what.start_point[0] + 1, f"stored in {name}")
        return NOTHING

    def _item_parts(self, pattern, name: str, listed, const) -> list:
        """What `name` takes from each item of a for...of over pairs (`for (const [re, swap] of PAIRS)`): its
        position of each constant item; when the list as a whole is not constant (a regex in each pair), that
        position of each item of the array literal the list is bound to once, item by item."""
        names = [c.text for c in pattern.named_children]
        at = names.index(name.encode()) if name.encode() in names else -1
        if at < 0:
            return []
        if const is not None:
            return [i[at] for i in const if isinstance(i, list) and at < len(i)]
        if listed is not None and listed.type == "identifier":
            bound = self.scopes.index(listed.text.decode("utf-8", "replace"))
            listed = bound[0][1] if len(bound) == 1 and bound[0][0] == "assign" else None
        if listed is None or listed.type != "array" or listed.named_child_count > MAX_LOOP_CHOICES:
            return []
        out = []
        for item in listed.named_children:
            parts = [c for c in item.named_children if c.type != "comment"] if item.type == "array" else []
            if at < len(parts):
                out.append(self.ev(parts[at]).const)
        return out

    def _parameter(self, name: str, node) -> Value:
        function = node
        while function is not None and function.type not in FUNCTIONS:
            function = function.parent
        if name in REQUEST_NAMES and function is not None and _is_handler(function):
            return Value(name="req" if name == "request" else name)
        index = param_index(function, node) if function is not None else -1
        key = function.start_byte if function is not None else -1
        if function is not None:
            self.defs[key] = function
            own = frozenset({f"param:{key}:{index}"})
            given = (decorated_input(node, name, own) if function.type == "method_definition" else
                     event_field(node, name, function, own)) or framework_argument(node, name, function, index, own) \
                or message_argument(self, node, function, index, own)
            if given is not None:
                return given
        promised = self._promise_result(function) if index == 0 else None
        settled = (promised or callback_input(self, function) or referenced_items(self, function)) if index == 0 \
            else file_callback_input(self, function, index) or reduced_item(self, function, index) or \
            command_callback_input(self, function, index)
        if settled is None or not (settled.labels or settled.choices):  # download(u, dest, (e, f) => run(f))
            settled = helper_callback_input(self, function, index) or settled
        if settled is not None and (settled.labels or settled.choices):
            return Value(UNKNOWN, settled.labels | {f"param:{key}:{index}"}, name, None, settled.trace, settled.choices)
        if promised is not None and promised.name and not promised.labels and node.parent is not None and \
                node.parent.type in ("formal_parameters", "arrow_function"):  # (destructured names: their own path)
            # import("child_process").then((cp) => cp.execSync(..)): the callback receives the module itself
            return Value(UNKNOWN, frozenset({f"param:{key}:{index}"}), promised.name, promised.via, promised.trace)
        return Value(UNKNOWN, frozenset({f"param:{key}:{index}"}), name)

    def _promise_result(self, function) -> Value | None:
        """The value a `.then(callback)` callback receives: what the promise it is chained on holds."""
        holder = function.parent if function is not None else None
        call = holder.parent if holder is not None and holder.type == "arguments" else None
        fn = call.child_by_field_name("function") if call is not None and call.type == "call_expression" else None
        if fn is None or fn.type != "member_expression" or \
                fn.child_by_field_name("property").text not in (b"then", b"catch", b"finally"):
            return None
        return self.ev(fn.child_by_field_name("object"))


def _module_bound(entries) -> bool:
    """Every binding of the name is an import or a plain `require('...')` of a module named by a literal."""
    return bool(entries) and all(kind == "import" or kind == "assign" and what is not None and
                                 what.type == "call_expression" and what.child_by_field_name("function").text ==
                                 b"require" and what.parent is not None and what.parent.type == "variable_declarator"
                                 for kind, what, _scope in entries)


def clears_name(name) -> bool:
    return clears(name)


def _import_name(node, local: str) -> Value:
    statement = node
    while statement is not None and statement.type != "import_statement":
        statement = statement.parent
    if statement is None:
        return NOTHING
    source = statement.child_by_field_name("source")
    module = source.text.decode("utf-8", "replace").strip("'\"`") if source is not None else ""
    module = js_module(module)
    if node.type == "import_specifier":
        imported = node.child_by_field_name("name")
        return Value(name=f"{module}.{imported.text.decode('utf-8', 'replace')}")
    return Value(name=module)


GUARDED = frozenset({"request", "archive-entry"})  # labels a validating test before the use marks `checked`


def _nested_use(node, entries) -> bool:
    """The use is inside a function nested in the scope that declares the name: a callback run later, after another
    callback may have assigned it (an Electron IPC handler using the window the ready handler made)."""
    function = enclosing_function(node)
    declared = {e[2] for e in entries if e[0] != "mayassign"}
    return function is not None and function.start_byte not in declared


def _is_handler(function) -> bool:
    """A function passed to app.get/post/use/... (Express-style) or exported as a handler."""
    parent = function.parent
    if parent is not None and parent.type == "arguments":
        call = parent.parent
        fn = call.child_by_field_name("function") if call is not None else None
        if fn is not None and fn.type == "member_expression":
            prop = fn.child_by_field_name("property").text.decode("utf-8", "replace")
            return prop in ("get", "post", "put", "patch", "delete", "all", "use", "route", "handle", "on")
    return True




def _at(entry) -> int:
    kind, what, _scope = entry
    if isinstance(what, tuple):
        what = what[0]
    return what.start_byte if hasattr(what, "start_byte") else -1


def _same_name(picks) -> str | None:
    """What a ternary denotes when both branches denote it: `typeof globalThis !== 'undefined' ? globalThis : window`
    is the global object either way (a function or module both branches name: that one)."""
    names = {p.name for p in picks}
    if len(names) == 1:
        return names.pop()
    if names <= GLOBAL_NAMES:
        return "globalThis"
    return None
