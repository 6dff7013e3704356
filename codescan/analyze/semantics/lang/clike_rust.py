"""Rust adapter: callees named through `use` declarations and receiver types (`std.process.Command.new`,
`std.net.TcpStream.write_all`, `reqwest.RequestBuilder.body`), let/if-let/for bindings, `push_str`/`+=`,
macros (rust_macros), Command builders run (rust_commands), files written and run; also the folded view's values."""
from __future__ import annotations

import re

from ..constants import UNKNOWN
from ..facts import NOTHING, Call, Value, merge
from . import rust_commands, rust_macros
from .clike import CLikeFlow, _decode
from .flowvalues import join, labelled
from .rust_names import PASS_THROUGH, canonical, path_parts, read_uses, returned_type, unwrap

_CONSTANT_NAME = re.compile(r"[A-Z][A-Z0-9_]*$")
_PUSHES = frozenset(("push_str", "push", "extend", "extend_from_slice", "insert_str", "write_str", "append"))
_READS_INTO = frozenset(("read_to_string", "read_to_end", "read_line", "read", "read_exact"))
_KEEPS_TYPE = frozenset(("unwrap", "expect", "unwrap_or_default", "ok", "clone", "as_mut", "by_ref", "try_clone",
                         "unwrap_or_else", "context", "with_context", "map_err", "unwrap_unchecked"))
_BASE64_ENGINE = re.compile(r"(?:^base64\.|(?:STANDARD|URL_SAFE|ENGINE|BASE64)[A-Z_]*\.decode$)")
_FROM = frozenset(("String.from", "std.string.String.from", "std.path.PathBuf.from", "std.path.Path.new",
                   "std.ffi.OsString.from", "std.ffi.OsStr.new", "String.from_utf8", "String.from_utf8_lossy",
                   "std.str.from_utf8", "std.string.String.from_utf8", "std.string.String.from_utf8_lossy"))
_STATEMENTS = frozenset(("let_declaration", "expression_statement", "empty_statement", "function_item", "use_declaration",
                         "const_item", "static_item", "struct_item", "enum_item", "impl_item", "line_comment",
                         "block_comment", "macro_definition", "attribute_item"))
_AUTH_HEADER = re.compile(r"(?i)authoriz|api[-_]?key|private[-_]token|x-auth|x-token|access[-_]token")
MAX_TYPE_DEPTH = 48  # calls of one method chain followed for a receiver's type (each costs Python frames)
FILE_HANDLES = frozenset(("std.fs.File.create", "std.fs.File.create_new", "std.fs.OpenOptions.open"))


def _text(node) -> str:
    return node.text.decode("utf-8", "replace") if node is not None else ""


def _args(node) -> list:
    args = node.child_by_field_name("arguments")
    return [c for c in args.named_children if "comment" not in c.type] if args is not None else []


def pattern_names(node) -> list[str]:
    """The variable names a pattern binds (`x`, `mut x`, `Ok(x)`, `Some(mut x)`, `(k, v)`, `&x`)."""
    if node is None:
        return []
    if node.type == "identifier":
        return [_text(node)] if _text(node) != "_" else []
    if node.type in ("mut_pattern", "ref_pattern", "reference_pattern", "tuple_pattern", "tuple_struct_pattern",
                     "slice_pattern", "captured_pattern"):
        kids = node.named_children
        if node.type == "tuple_struct_pattern":
            kids = kids[1:]  # Ok(x): the type is not a name
        return [n for k in kids if k.type != "mutable_specifier" for n in pattern_names(k)]
    return []


class RustFlow(CLikeFlow):
    SCOPES = frozenset(("function_item", "closure_expression"))
    CALLS = frozenset(("call_expression", "macro_invocation"))
    BINDINGS = frozenset(("let_declaration", "const_item", "static_item", "let_condition", "for_expression",
                          "assignment_expression", "compound_assignment_expr", "call_expression"))
    RETURNS = frozenset(("return_expression",))
    METHODS = frozenset(("function_item",))
    STRING_KINDS = CLikeFlow.STRING_KINDS | {"string_literal", "raw_string_literal"}
    language = "rust"

    def __init__(self, source, tree, language="rust", budget=None, wanted=None):
        super().__init__(source, tree, language, budget, wanted)
        self.uses = read_uses(self.root, tree.language)
        self._locals: frozenset | None = None
        self._type_depth = 0

    def local_names(self) -> frozenset:
        """Names bound as variables anywhere in the file (they shadow a module or type of the same name)."""
        if not self._collected:
            return frozenset()
        if self._locals is None:
            self._locals = frozenset(n for s in self.scopes for n in s.events)
        return self._locals

    # -- collection -------------------------------------------------------------------------------
    def collect(self) -> None:
        super().collect()
        for scope in self.scopes:  # a function's value is its body's last expression (no `;`)
            node = scope.node
            body = node.child_by_field_name("body") if node is not self.root else None
            if body is None:
                continue
            if body.type != "block":
                scope.returns.append(body)  # a closure `|x| x + 1`
                continue
            tail = body.named_children[-1] if body.named_children else None
            if tail is not None and tail.type not in _STATEMENTS:
                scope.returns.append(tail)

    def params(self, node):
        plist = node.child_by_field_name("parameters")
        out = []
        for p in (plist.named_children if plist is not None else []):
            pattern = p.child_by_field_name("pattern") if p.type == "parameter" else p
            typ = self.type_name(p.child_by_field_name("type")) if p.type == "parameter" else None
            received = _received_by(node)
            for name in pattern_names(pattern):
                if typ:
                    self.types[name] = typ
                out.append((name, labelled(received, p.start_point[0] + 1, "the bytes the curl handle received")
                            if received else NOTHING))
        return out

    def type_name(self, node) -> str | None:
        while node is not None and node.type in ("reference_type", "pointer_type") and node.named_children:
            node = node.child_by_field_name("type") or node.named_children[-1]
        parts = path_parts(node) if node is not None else None
        return canonical(parts, self.uses) if parts else None

    def bindings(self, node):
        kind = node.type
        if kind in ("let_declaration", "let_condition", "for_expression"):
            pattern = node.child_by_field_name("pattern")
            value = node.child_by_field_name("value")
            if value is None:
                return ()
            names = pattern_names(pattern)
            typ = self.type_name(node.child_by_field_name("type")) or self.expr_type(value)
            for name in names:
                if typ and len(names) == 1:
                    self.types[name] = typ
            return [(name, "set", value) for name in names]
        if kind in ("const_item", "static_item"):
            name, value = node.child_by_field_name("name"), node.child_by_field_name("value")
            return [(_text(name), "set", value)] if name is not None and value is not None else ()
        if kind in ("assignment_expression", "compound_assignment_expr"):
            left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
            op = node.child_by_field_name("operator")
            how = "add" if kind == "compound_assignment_expr" and op is not None and op.text == b"+=" else "set"
            if left is not None and left.type == "identifier" and right is not None:
                return [(_text(left), how, right)]
            if left is not None and left.type == "field_expression" and right is not None:
                return [(_text(left.child_by_field_name("field")), "field-" + how, right)]
            return ()
        if kind == "call_expression":
            return self._method_binding(node)
        return ()

    def _method_binding(self, node):
        """`s.push_str(x)`, `c.arg(x)` (a Command), `perms.set_mode(m)`, `r.read_to_string(&mut buf)`."""
        function = node.child_by_field_name("function")
        if function is None or function.type != "field_expression":
            return ()
        operand = unwrap(function.child_by_field_name("value"))
        method = _text(function.child_by_field_name("field"))
        args = _args(node)
        if method in _READS_INTO and args:
            target = unwrap(args[0])
            if target is not None and target.type == "identifier":
                return [(_text(target), "set", lambda: self.value(operand))]
            return ()
        if method in rust_commands.ADDS or method in rust_commands.SETTINGS:
            root = rust_commands.chain_root(node)
            parent = node.parent
            outer = parent is not None and parent.type == "field_expression" and \
                _text(parent.child_by_field_name("field")) in rust_commands.ADDS | rust_commands.SETTINGS
            if root is not None and not outer and self.types.get(_text(root)) == rust_commands.COMMAND:
                # c.arg("-c").arg(x): the words the statement adds to the Command held in c
                return [(_text(root), "add", lambda: join([Value("")] + [w.value for w in (
                    rust_commands.chain_added(self, node) or [])]))]
            return ()
        if operand is None or operand.type != "identifier" or not args:
            return ()
        name = _text(operand)
        if method in _PUSHES:
            return [(name, "add", lambda: join([self.value(a) for a in args], ""))]
        if method == "set_mode":
            return [(name, "set", args[0])]
        return ()

    # -- names ------------------------------------------------------------------------------------
    def name_of(self, node):
        return _text(node) if node.type == "identifier" else None

    def field_of(self, node):
        if node.type == "field_expression" and _text(node.child_by_field_name("value")) == "self":
            field = _text(node.child_by_field_name("field"))
            return field if field in self.fields else None
        return None

    def expr_type(self, node) -> str | None:
        """The canonical type of an expression, through at most MAX_TYPE_DEPTH calls of a method chain."""
        if self._type_depth > MAX_TYPE_DEPTH:
            return None
        self._type_depth += 1
        try:
            return self._expr_type(unwrap(node))
        finally:
            self._type_depth -= 1

    def _expr_type(self, node) -> str | None:
        if node is None:
            return None
        if node.type == "identifier":
            return self.types.get(_text(node))
        if node.type != "call_expression":
            return None
        parts = self.parts(node)
        found = returned_type(parts[0]) if parts else None
        if found:
            return found
        function = node.child_by_field_name("function")
        if function is not None and function.type == "field_expression" and \
                _text(function.child_by_field_name("field")) in _KEEPS_TYPE:
            return self.expr_type(function.child_by_field_name("value"))
        return None

    def call_parts(self, node):
        if node.type != "call_expression":
            return None
        function = node.child_by_field_name("function")
        if function is None:
            return None
        args = _args(node)
        if function.type == "identifier":
            name = _text(function)
            if name in self.uses and name not in self.local_names() and name not in self.functions:
                return canonical([name], self.uses), None, None, args, [], None
            return None, name, None, args, [], None
        if function.type in ("scoped_identifier", "generic_function"):
            parts = path_parts(function)
            if not parts:
                return None
            return canonical(parts, self.uses, self.local_names()), parts[-1], None, args, [], None
        if function.type != "field_expression":
            return None
        operand = function.child_by_field_name("value")
        method = _text(function.child_by_field_name("field"))
        if method == "to_socket_addrs":  # (name, port).to_socket_addrs(): the name is looked up in DNS
            return "std.net.ToSocketAddrs.to_socket_addrs", None, None, [operand], [], None
        if operand.type in ("identifier", "scoped_identifier") and \
                (operand.type == "scoped_identifier" or _text(operand) in self.uses) and \
                _text(operand).split("::")[0] not in self.local_names():
            named = canonical(path_parts(operand) or [], self.uses, self.local_names())
            if named:  # general_purpose::STANDARD.decode(x): a constant of a crate
                return f"{named}.{method}", None, operand, args, [], None
        typ = self.expr_type(operand)
        if method in ("bearer_auth", "basic_auth") or (method in ("header", "set") and args and
                                                        _AUTH_HEADER.search(_text(args[0]))):
            # a token that logs the client in (Authorization, X-Api-Key): the `auth` keyword, not the data sent
            return f"{typ or '*'}.{method}", None, operand, [], [("auth", a) for a in args], None
        return f"{typ or '*'}.{method}", None, operand, args, [], None

    def places(self, node, kwargs):
        """A method call is reported at its method's line (`.danger_accept_invalid_certs(x)` of a long chain)."""
        function = node.child_by_field_name("function") if node.type == "call_expression" else None
        if function is not None and function.type == "field_expression":
            field = function.child_by_field_name("field")
            return [(field if field is not None else node, None)]
        return [(node, None)]

    # -- values -----------------------------------------------------------------------------------
    def special(self, node):
        kind = node.type
        if kind == "macro_invocation":
            return rust_macros.value(self, node)
        if kind in ("reference_expression", "try_expression", "await_expression", "type_cast_expression",
                    "return_expression") and node.named_children:
            return self.value(node.child_by_field_name("value") or node.named_children[0])
        if kind == "unary_expression" and node.children and node.children[0].type == "*" and node.named_children:
            return self.value(node.named_children[0])
        if kind == "scoped_identifier" and _CONSTANT_NAME.match(_text(node.child_by_field_name("name"))):
            named = canonical(path_parts(node) or [], self.uses, self.local_names())
            if named:  # Nid::MD5, general_purpose::STANDARD: the crate's constant, by its canonical name
                return Value(name=named)
        if kind == "array_expression":
            values = [self.value(c) for c in node.named_children if "comment" not in c.type]
            if values and all(isinstance(v.const, str) for v in values):
                return merge(values, const=tuple(v.const for v in values)) if any(v.labels for v in values) else \
                    Value(tuple(v.const for v in values))
            return merge(values)
        return None

    def call_value(self, callee, node, args, receiver):
        simple = (callee or "").rsplit(".", 1)[-1]
        if callee in _FROM and args:
            return args[0]
        if receiver is not None and isinstance(receiver.const, (list, tuple)) and simple in ("concat", "join"):
            sep = args[0].const if args and isinstance(args[0].const, str) else ""
            text = sep.join(receiver.const) if all(isinstance(t, str) for t in receiver.const) else UNKNOWN
            return merge([receiver] + list(args), const=text) if receiver.labels else Value(text)
        if receiver is not None and simple == "join" and len(args) == 1:  # a path joined: home.join(".ssh/id_rsa")
            a, b = receiver.const, args[0].const
            text = a.rstrip("/") + "/" + b if isinstance(a, str) and isinstance(b, str) else \
                (b if isinstance(b, str) else UNKNOWN)
            return merge([receiver, args[0]], const=text)
        if receiver is not None and simple in PASS_THROUGH:
            return receiver if not args else merge([receiver] + list(args), const=receiver.const)
        if receiver is not None and simple in ("unwrap_or", "or"):
            return merge([receiver] + list(args), const=receiver.const if receiver.known else
                         (args[0].const if args else UNKNOWN))
        if callee == "std.fs.Permissions.from_mode" and args:
            return args[0]
        if simple == "decode" and callee and _BASE64_ENGINE.search(callee) and args:
            line = node.start_point[0] + 1
            return merge([args[0], labelled(("decoded",), line, f"decoded by {callee}()")],
                         const=_decode("base64", args[0].const))
        return super().call_value(callee, node, args, receiver)

    # -- files written ----------------------------------------------------------------------------
    def path_variable(self, node):
        return super().path_variable(unwrap(node))

    def file_write(self, node):
        """std::fs::write, a File::create handle written to (write_all, io::copy) and curl/wget `-o F` run."""
        found = super().file_write(node)
        if found is not None or node.type != "call_expression":
            return found
        words = rust_commands.run_call(self, node)
        if words:
            return rust_commands.download(self, node, words)
        parts = self.parts(node)
        if not parts or not parts[0]:
            return None
        callee, receiver, args = parts[0], parts[2], parts[3]
        if callee in ("std.fs.File.write_all", "std.fs.File.write") and receiver is not None and args:
            handle, data = receiver, args[0]
        elif callee == "std.io.copy" and len(args) >= 2:
            handle, data = args[1], args[0]
        else:
            return None
        path = self._opened_path(unwrap(handle), node)
        return (path, data) if path is not None else None

    def _opened_path(self, handle, at):
        bound = unwrap(self.handle_binding(handle, at))
        for _ in range(4):  # File::create(p)?.unwrap(): the call inside the unwrapping
            if bound is None or bound.type != "call_expression":
                return None
            parts = self.parts(bound)
            if parts and parts[0] in FILE_HANDLES and parts[3]:
                return parts[3][0]
            function = bound.child_by_field_name("function")
            if function is None or function.type != "field_expression" or \
                    _text(function.child_by_field_name("field")) not in _KEEPS_TYPE:
                return None
            bound = unwrap(function.child_by_field_name("value"))
        return None

    # -- facts ------------------------------------------------------------------------------------
    def facts(self):
        """The calls, each Command run as the command it starts, and `write!(stream, ..)` as a write."""
        out = super().facts()
        for node, scope in self.calls:
            if node.type == "call_expression":
                words = rust_commands.run_call(self, node)
                if words:
                    out.calls.extend(c for c in rust_commands.facts(self, node, scope, words)
                                     if self.wanted is None or self.wanted(c.callee))
            elif rust_macros.macro_name(node) in ("write", "writeln"):
                fact = self._write_macro(node, scope)
                if fact is not None:
                    out.calls.append(fact)
        return out

    def _write_macro(self, node, scope) -> Call | None:
        args = rust_macros.pieces(node)
        target = [t for t in args[0] if t.is_named] if args else []
        if len(target) != 1 or target[0].type != "identifier":
            return None
        typ = self.types.get(_text(target[0]))
        callee = f"{typ or '*'}.write_fmt"
        if self.wanted is not None and not self.wanted(callee):
            return None
        return Call(callee=callee, args=(rust_macros.value(self, node),), line=node.start_point[0] + 1,
                    end_line=node.end_point[0] + 1, column=node.start_point[1] + 1, scope=scope.id,
                    receiver=self.value(target[0]))


# a callback whose parameter is the data a transfer received: the curl crate's write_function(|data| ...)
_RECEIVING_CALLBACKS = frozenset((b"write_function",))


def _received_by(node) -> tuple[str, ...]:
    """("network",) for a closure given to a curl handle's write_function (its parameter is the response body)."""
    if node.type != "closure_expression" or node.parent is None or node.parent.type != "arguments":
        return ()
    call = node.parent.parent
    function = call.child_by_field_name("function") if call is not None and call.type == "call_expression" else None
    field = function.child_by_field_name("field") if function is not None and function.type == "field_expression" \
        else None
    return ("network",) if field is not None and field.text in _RECEIVING_CALLBACKS else ()
