"""PHP adapter, and what PHP and Ruby share: functions as canonical callees (`php.shell_exec` for backticks,
`$f(...)`, `call_user_func`), superglobals as sources, decoders and shell escaping (Ruby: scripts_ruby.py)."""
from __future__ import annotations

import re

from ...fold_values import b64
from ..constants import UNKNOWN
from ..facts import NOTHING, Value, merge
from . import script_consts as sc
from .concepts import BLOCKERS, DECODERS, ESCAPERS, NAME_LABELS, env_labels, path_labels, source_labels
from .treeflow import TreeFlow, join, labelled

PHP_REQUEST = frozenset(("_GET", "_POST", "_REQUEST", "_COOKIE", "_FILES", "HTTP_GET_VARS", "HTTP_POST_VARS",
                         "HTTP_RAW_POST_DATA"))
PHP_CALLBACKS = {"call_user_func": 1, "call_user_func_array": 1, "array_map": 1, "array_walk": 1,
                 "register_shutdown_function": 1, "forward_static_call": 1}


def _text(node) -> str:
    return node.text.decode("utf-8", "replace") if node is not None else ""


def _args(node) -> list:
    args = node.child_by_field_name("arguments")
    if args is None:
        args = next((c for c in node.named_children if c.type in ("arguments", "argument_list")), None)
    out = []
    for a in (args.named_children if args is not None else []):
        if "comment" in a.type:
            continue
        if a.type == "argument" and a.named_children:
            a = a.named_children[-1]
        out.append(a)
    return out


_NUMERIC_FILTER = re.compile(r"FILTER_VALIDATE_(?:INT|FLOAT|BOOL|BOOLEAN|IP|MAC)$|FILTER_SANITIZE_NUMBER_(?:INT|FLOAT)$")


class _ScriptFlow(TreeFlow):
    def call_value(self, callee, node, args, receiver):
        line = node.start_point[0] + 1
        simple = (callee or "").rsplit(".", 1)[-1]
        if simple in ESCAPERS or callee in ESCAPERS:
            return merge(list(args) + [labelled(("shell-escaped",), line, f"{simple}()")]) if any(
                a.labels for a in args) else merge(args)
        labels = source_labels(callee)
        if callee == "php.filter_input" and len(args) > 2 and isinstance(args[2].const, str) and _NUMERIC_FILTER.match(
                args[2].const):
            return NOTHING  # FILTER_VALIDATE_INT, _IP, _BOOL...: a number or an address, or false; no text to inject
        if labels:
            first = args[0].const if args else None
            if "env-var" in labels:
                labels = env_labels(first if args else None)
            elif labels == ("file",):
                if isinstance(first, str) and first.startswith("php://input"):
                    labels = ("request",)
                else:
                    labels = path_labels(first if isinstance(first, str) else
                                         (_text(_args(node)[0]) if _args(node) else ""))
                    if labels == ("file",) and args and "credential-file" in args[0].labels:
                        labels = ("file", "credential-file")  # a path joined from a piece naming a secret store
            kept = [a for a in args if a.labels]
            if "file" in labels:  # what a file holds is not the file's name (a .profile read, then copied elsewhere)
                kept = [Value(a.const, a.labels - NAME_LABELS, a.name, a.via, a.trace, a.choices) for a in kept]
            return merge([labelled(labels, line, f"{callee}()")] + kept)
        if callee in DECODERS:
            data = args[0] if args else NOTHING
            if callee.startswith("php."):
                decoded = sc.php_call(simple, [data.const], None)
            else:
                decoded = UNKNOWN
                if DECODERS[callee] == "base64" and sc.as_bytes(data.const) is not None:
                    try:
                        decoded = sc.as_const(b64(sc.as_bytes(data.const)))
                    except ValueError:
                        pass
            return merge([data, labelled(("decoded",), line, f"decoded by {callee}()")], const=decoded)
        return self.constant_call(callee, node, args, receiver)

    def constant_call(self, callee, node, args, receiver) -> Value | None:
        """String builders of constant arguments (chr, implode, join, pack, reverse...), else None."""
        return None

    def elements(self, node):
        """The constants of an array literal node's elements, else None."""
        return None

    def built(self, const, inputs) -> Value | None:
        if const is UNKNOWN:
            return None
        return merge(inputs, const=const) if any(v.labels for v in inputs) else Value(const)

    def blocks_flow(self, callee, simple) -> bool:
        return (simple or (callee or "").rsplit(".", 1)[-1]) in BLOCKERS


class PhpFlow(_ScriptFlow):
    BINDINGS = frozenset(("assignment_expression", "augmented_assignment_expression", "property_element",
                          "foreach_statement"))
    language = "php"
    SCOPES = frozenset(("function_definition", "method_declaration", "anonymous_function",
                        "anonymous_function_creation_expression", "arrow_function"))
    CALLS = frozenset(("function_call_expression", "member_call_expression", "scoped_call_expression",
                       "object_creation_expression", "shell_command_expression", "include_expression",
                       "include_once_expression", "require_expression", "require_once_expression"))
    CONCAT_OPS = frozenset((b".",))

    def file_write(self, node):
        """Also `$h = fopen($path, 'a'); fwrite($h, $data)`: the data is written to the path fopen was given."""
        found = super().file_write(node)
        if found is not None:
            return found
        parts = self.parts(node)
        args = parts[3] if parts and parts[0] in ("php.fwrite", "php.fputs") else []
        handle = args[0].named_children[0] if args and args[0].type == "argument" and args[0].named_children else \
            (args[0] if args else None)
        if handle is None or handle.type != "variable_name" or len(args) < 2:
            return None
        name, scope = _text(handle).lstrip("$"), self.scope_at(node)
        before = [e for e in scope.events.get(name, ()) if e.pos <= node.start_byte and e.kind == "set" and e.node is not None]
        opened = self.parts(before[-1].node) if before and before[-1].node.type in self.CALLS else None
        if opened and opened[0] == "php.fopen" and len(opened[3]) > 1:
            return opened[3][0], args[1]
        return None

    def scope_name(self, node):
        """Function names as calls name them: PHP function names are not case-sensitive (calls are lower-cased)."""
        name = super().scope_name(node)
        return name.lower() if name is not None and node.type == "function_definition" else name

    def params(self, node):
        plist = node.child_by_field_name("parameters")
        out = []
        for p in (plist.named_children if plist is not None else []):
            name = p.child_by_field_name("name")
            if name is not None:
                out.append((_text(name).lstrip("$"), NOTHING))
        return out

    def bindings(self, node):
        kind = node.type
        if kind in ("assignment_expression", "augmented_assignment_expression"):
            left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
            if left is None or right is None:
                return ()
            how = "add" if kind == "augmented_assignment_expression" else "set"
            if left.type == "variable_name":
                return [(_text(left).lstrip("$"), how, right)]
            if left.type == "member_access_expression":
                return [(_text(left.child_by_field_name("name")), "field-" + how, right)]
            if left.type == "subscript_expression" and left.named_children:
                return [(_text(left.named_children[0]).lstrip("$"), "add", right)]
        if kind == "property_element":
            name = next((c for c in node.named_children if c.type == "variable_name"), None)
            value = next((c for c in node.named_children if c.type not in ("variable_name",)), None)
            if name is not None and value is not None:
                value = value.named_children[-1] if value.type == "property_initializer" else value
                return [(_text(name).lstrip("$"), "field-set", value)]
        if kind == "foreach_statement":
            named = node.named_children
            if len(named) >= 2:
                return [(_text(named[-2] if named[-2].type == "variable_name" else named[1]).lstrip("$"), "set",
                         named[0])]
        return ()

    def name_of(self, node):
        if node.type == "variable_name":
            name = _text(node).lstrip("$")
            return None if name in PHP_REQUEST or name in ("_ENV", "_SERVER", "this") else name
        return None

    def field_of(self, node):
        if node.type == "member_access_expression":
            return _text(node.child_by_field_name("name")) if _text(node.child_by_field_name("name")) in self.fields \
                else None
        return None

    def literal(self, node):
        kind = node.type
        if kind == "string":
            text = _text(node)
            body = text[1:-1] if len(text) >= 2 else ""
            return Value(body.replace("\\'", "'").replace("\\\\", "\\"))
        if kind == "encapsed_string":
            parts = [c for c in node.named_children]
            if all(c.type in ("string_content", "string_value", "escape_sequence") for c in parts):
                text = sc.php_double_quoted(_text(node))
                return Value(text) if text is not UNKNOWN else \
                    Value(re.sub(r"\\([\\\"$])", r"\1", "".join(_text(c) for c in parts)))
            return join([Value(_text(c)) if c.type in ("string_content", "string_value") else self.value(c)
                         for c in parts], "")
        if kind == "integer":
            try:
                return Value(sc.script_int(_text(node)))
            except ValueError:
                return NOTHING
        if kind == "boolean":
            return Value(_text(node).lower() == "true")
        if kind == "escape_sequence":
            text = sc.unescaped(_text(node))
            return Value(text) if text is not UNKNOWN else NOTHING
        if kind == "name" and node.parent is not None and node.parent.type not in (
                "function_call_expression", "scoped_call_expression", "member_call_expression", "named_type"):
            text = _text(node)
            return Value(text) if text.isupper() else None
        return None

    def special(self, node):
        kind = node.type
        if kind == "conditional_expression":
            return _allow_listed(self, node)
        if kind == "subscript_expression" and node.named_children:
            base = _text(node.named_children[0]).lstrip("$")
            line = node.start_point[0] + 1
            if base in PHP_REQUEST:
                return labelled(("request",), line, f"${base}[...]")
            if base == "_SERVER":
                key = self.value(node.named_children[-1]).const
                if isinstance(key, str) and key.startswith(("HTTP_", "QUERY_STRING", "REQUEST_URI", "PATH_INFO")):
                    return labelled(("request",), line, f"$_SERVER[{key}]")
                return NOTHING
            if base == "_ENV":
                return labelled(env_labels(self.value(node.named_children[-1]).const), line, "$_ENV[...]")
        if kind == "variable_name" and _text(node).lstrip("$") in PHP_REQUEST:
            return labelled(("request",), node.start_point[0] + 1, _text(node))
        if kind == "variable_name" and _text(node) == "$_ENV":
            return labelled(("env",), node.start_point[0] + 1, "$_ENV")
        if kind == "array_creation_expression":
            return join([self.value(c) for c in node.named_children])
        return None

    def call_parts(self, node):
        kind = node.type
        if kind == "shell_command_expression":
            return "php.shell_exec", None, None, [node], [], None
        if kind.startswith(("include", "require")):
            return "php." + kind.split("_expression")[0], None, None, node.named_children[:1], [], None
        args = _args(node)
        if kind == "object_creation_expression":
            name = next((c for c in node.named_children if c.type in ("name", "qualified_name")), None)
            return (_text(name).lstrip("\\") or None), None, None, args, [], None
        if kind == "scoped_call_expression":
            return f"{_text(node.child_by_field_name('scope')).lstrip(chr(92))}.{_text(node.child_by_field_name('name'))}", \
                None, None, args, [], None
        if kind == "member_call_expression":
            return f"*.{_text(node.child_by_field_name('name'))}", None, node.child_by_field_name("object"), args, [], \
                None
        function = node.child_by_field_name("function")
        if function is None:
            return None
        if function.type in ("name", "qualified_name"):
            name = _text(function).lstrip("\\").lower()
            if name in PHP_CALLBACKS and args:
                target = self.value(args[0]).const
                if isinstance(target, str) and re.fullmatch(r"\w+", target):
                    return f"php.{target.lower()}", None, None, args[PHP_CALLBACKS[name]:], [], "dynamic"
            return f"php.{name}", name, None, args, [], None
        target = self.value(function).const
        if isinstance(target, str) and re.fullmatch(r"\w+", target):
            return f"php.{target.lower()}", None, None, args, [], "dynamic"
        return None

    def _interpolated(self, node) -> Value:
        return join([Value(_text(c)) if c.type == "string_content" else self.value(c) for c in node.named_children],
                    "")

    def constant_call(self, callee, node, args, receiver):
        name = (callee or "").rsplit(".", 1)[-1]
        if not (callee or "").startswith("php.") or not args:
            return None
        if name in ("implode", "join"):  # implode(sep, [...]) / implode([...]): the array is read element by element
            nodes = self.parts(node)[3] if self.parts(node) else []
            items = self.elements(self._array_node(nodes[-1])) if 1 <= len(nodes) <= 2 else None
            sep = args[0] if len(nodes) == 2 else Value("")
            if items is None or not sep.known:
                return None
            return self.built(sc.php_call(name, [sep.const, ""], items), args)
        if not all(a.known for a in args):
            return None
        return self.built(sc.php_call(name, [a.const for a in args], None), args)

    def _array_node(self, node):
        """The array literal `node` is, or the one a variable was last set to before it (`$parts = [...]`)."""
        name = self.name_of(node) if node is not None and node.type == "variable_name" else None
        if name is None:
            return node
        self._indexed()
        scope = self.scope_at(node)
        events = [e for e in (scope.events.get(name, []) if scope is not None else []) if e.pos <= node.start_byte]
        if not events or events[-1].kind != "set" or any(e.kind != "set" for e in events):
            return None
        bound = events[-1].node  # the value the name was set to
        return bound if bound is not None and bound.type == "array_creation_expression" else None

    def elements(self, node, depth: int = 0):
        if node is not None and node.type == "function_call_expression" and depth < 4:
            return self._array_call(node, depth)  # array_reverse(str_split('metsys'))
        if node is None or node.type != "array_creation_expression":
            return None
        items = [self.value(e.named_children[-1]).const for e in node.named_children if e.named_children]
        return items if all(isinstance(i, (str, bytes, int)) for i in items) else None

    def _array_call(self, node, depth: int):
        """The elements of array_reverse([...]) / str_split('text') with constant input, else None."""
        fn, arguments = node.child_by_field_name("function"), node.child_by_field_name("arguments")
        args = [a.named_children[-1] for a in (arguments.named_children if arguments else ())
                if a.type == "argument" and a.named_children]
        if fn is None or len(args) != 1:
            return None
        name = _text(fn).lower()
        if name == "array_reverse":
            items = self.elements(self._array_node(args[0]), depth + 1)
            return items[::-1] if items is not None else None
        if name == "str_split":
            text = self.value(args[0]).const
            return list(text) if isinstance(text, str) and len(text) <= 256 else None
        return None

    def value(self, node):
        if node is not None and node.type == "shell_command_expression":
            return self._interpolated(node)
        return super().value(node)


# `in_array($x, $allowed, true) ? $x : 'home'`, `isset($map[$x]) ? $x : ...`, `preg_match('/^\w+$/', $x) ? $x : ...`:
# the branch taken holds request data only after a test against an allow list or an anchored pattern
_ALLOW_TEST = r"(?:\b(?:in_array|array_key_exists|array_search)\s*\(\s*{x}\s*,|\bisset\s*\(\s*\$\w+\s*\[\s*{x}\s*\]" \
              r"|\bpreg_match\s*\(\s*(['\"]).\^[^'\"]*\$.[a-z]*\1\s*,\s*{x}\s*\))"


_MAX_TESTED = 200  # bytes of the taken branch's text a condition is searched for


def _allow_listed(flow, node):
    """The value of a ternary whose condition tests the taken branch against an allow list: `checked` request data."""
    condition, body = node.child_by_field_name("condition"), node.child_by_field_name("body")
    if condition is None or body is None or body.end_byte - body.start_byte > _MAX_TESTED:
        return None  # an allow-listed value is a short expression: no pattern is built from a long one
    cond = _text(condition)
    if "in_array" not in cond and "array_" not in cond and "isset" not in cond and "preg_match" not in cond:
        return None
    if not re.search(_ALLOW_TEST.replace("{x}", re.escape(_text(body))), cond[:_MAX_TESTED * 8]):
        return None
    other = node.child_by_field_name("alternative")
    value = join([flow.value(body)] + ([flow.value(other)] if other is not None else []))
    if "request" not in value.labels:
        return value
    return Value(value.const, value.labels | {"checked"}, value.name, value.via, value.trace, value.choices)
