"""Go adapter: imports and receiver types to canonical callees (`os/exec.Command`, `net/http.Post`)."""
from __future__ import annotations

from ..facts import NOTHING, Call, Value, merge
from ..constants import UNKNOWN
from .clike import APPENDS, GO_CODECS, CLikeFlow
from . import clike_go_writers as writers
from .clike_go_fields import foreign_literals, owner_type
from .clike_names import RETURNS, go_import_name
from .treeflow import join, labelled

_GO_APPENDS = APPENDS | {"Set", "Write"}  # url.Values / http.Header: form.Set(k, v) fills the form;
# buf.Write(b) on a bytes.Buffer (or any writer held in a variable) holds b afterwards
_FLAGS = frozenset(("_", "ok", "found", "exists", "err", "present", "loaded"))  # results that are a status, not data

GO_REQUEST_TYPES = {"net/http.Request": ("request",)}


def _text(node) -> str:
    return node.text.decode("utf-8", "replace") if node is not None else ""


def _args(node) -> list:
    args = node.child_by_field_name("arguments")
    return [c for c in args.named_children if "comment" not in c.type] if args is not None else []


HANDLE_COPIES = frozenset(("io.Copy", "io.CopyN", "io.CopyBuffer"))  # (destination handle, source)
FILE_OPENERS = frozenset(("os.Create", "os.OpenFile"))  # return a handle writing to their first argument


class GoFlow(CLikeFlow):
    BINDINGS = frozenset(("short_var_declaration", "assignment_statement", "var_spec", "const_spec", "range_clause",
                          "call_expression"))
    SCOPES = frozenset(("function_declaration", "method_declaration", "func_literal"))
    CALLS = frozenset(("call_expression", "composite_literal"))
    LOOPS = frozenset(("for_statement",))

    def __init__(self, source, tree, language="go", budget=None, wanted=None):
        super().__init__(source, tree, language, budget, wanted)
        self.imports: dict[str, str] = {}
        self.field_sets: list = []  # (selector node, struct type, field, value node) of `x.Field = v`
        for child in self.root.named_children:
            if child.type != "import_declaration":
                continue
            for spec in _descendants(child, "import_spec"):
                path = spec.child_by_field_name("path")
                name = spec.child_by_field_name("name")
                path_text = _text(path).strip('"`')
                alias = _text(name) if name is not None and name.type == "package_identifier" else \
                    go_import_name(path_text)
                self.imports[alias] = path_text

    # -- types and names --------------------------------------------------------------------------
    def type_name(self, node) -> str | None:
        while node is not None and node.type in ("pointer_type", "parenthesized_type"):
            node = node.named_children[0] if node.named_children else None
        if node is None:
            return None
        if node.type == "qualified_type":
            pkg = self.imports.get(_text(node.child_by_field_name("package")))
            return f"{pkg}.{_text(node.child_by_field_name('name'))}" if pkg else None
        return None

    def dotted(self, node) -> str | None:
        """`exec.Command` -> `os/exec.Command`, `base64.StdEncoding` -> `encoding/base64.StdEncoding`."""
        if node.type == "identifier":
            return self.imports.get(_text(node))
        if node.type == "selector_expression":
            base = self.dotted(node.child_by_field_name("operand"))
            return f"{base}.{_text(node.child_by_field_name('field'))}" if base else None
        return None

    def expr_type(self, node) -> str | None:
        if node.type == "identifier":
            return self.types.get(_text(node))
        if node.type == "call_expression":
            parts = self.parts(node)
            return RETURNS.get(parts[0]) if parts and parts[0] else None
        if node.type in ("unary_expression", "parenthesized_expression") and node.named_children:
            return self.expr_type(node.named_children[-1])
        if node.type == "composite_literal":
            return self.type_name(node.child_by_field_name("type"))
        return None

    # -- hooks ------------------------------------------------------------------------------------
    def places(self, node, kwargs):
        if node.type == "composite_literal" and kwargs:
            return [(value.parent if value.parent is not None else value, {key}) for key, value in kwargs]
        return [(node, None)]

    def params(self, node):
        plist = node.child_by_field_name("parameters")
        out = []
        for decl in (plist.named_children if plist is not None else []):
            if decl.type not in ("parameter_declaration", "variadic_parameter_declaration"):
                continue
            typ = self.type_name(decl.child_by_field_name("type"))
            for name in decl.children_by_field_name("name"):
                if typ:
                    self.types[_text(name)] = typ
                labels = GO_REQUEST_TYPES.get(typ or "")
                out.append((_text(name), labelled(labels, decl.start_point[0] + 1, f"{typ} parameter")
                            if labels else NOTHING))
        return out

    def param_value(self, scope, name, event):
        """Also the path a `filepath.Walk(root, func(p string, ...) ...)` callback is given: a path under root."""
        value = super().param_value(scope, name, event)
        walked = writers.walk_root(self, scope.node) if event.index == 0 else None
        if walked is None:
            return value
        root = self.value(walked)
        return merge([value, root.with_step(walked.start_point[0] + 1, "a path under it given to the walk callback")]) \
            if root.labels else value

    def bindings(self, node):
        kind = node.type
        if kind in ("short_var_declaration", "assignment_statement"):
            left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
            if left is None or right is None:
                return ()
            names, values = left.named_children, right.named_children
            op = next((c.text for c in node.children if not c.is_named and c.text.endswith(b"=")), b"=")
            return self._pairs(names, values, "add" if op == b"+=" else "set")
        if kind in ("var_spec", "const_spec"):
            value = node.child_by_field_name("value")
            names = node.children_by_field_name("name")
            typ = self.type_name(node.child_by_field_name("type"))
            if typ:
                for n in names:
                    self.types[_text(n)] = typ
            if value is None:  # `var buf bytes.Buffer`: declared here, empty (a closure appending to it adds here)
                return [(_text(n), "set", NOTHING) for n in names if n.text != b"_"]
            return self._pairs(names, value.named_children, "set")
        if kind == "range_clause":
            left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
            if left is not None and right is not None and left.named_children:
                return [(_text(left.named_children[-1]), "set", right)]
        if kind == "call_expression":
            function = node.child_by_field_name("function")
            if function is not None and function.type == "identifier" and function.text.decode() not in self.imports:
                # fill(&buf): what the same-file fill writes into that parameter (io.Copy(out, fh), a zip writer
                # made on it) is in buf afterwards
                return [(_text(t), "add", writers.out_param(self, function.text.decode(), i, node))
                        for i, t in enumerate(_args(node)) if t.type == "unary_expression" and writers.target(t)
                        for t in [writers.target(t)]]
            if function is not None and function.type == "selector_expression":
                operand = function.child_by_field_name("operand")
                field = _text(function.child_by_field_name("field"))
                if operand.type == "identifier" and operand.text.decode() not in self.imports and \
                        (field in _GO_APPENDS or field in writers.ENTRIES):
                    # part.Write(b) with part from mw.CreateFormFile and mw := multipart.NewWriter(&body): body too
                    thunk = _thunk_join(self, _args(node))
                    return [(_text(t), "add", thunk) for t in [operand, *writers.wrapped(self, operand, node)]]
                if field == "Decode":
                    return self._decoded_into(node, self.dotted(operand))
                if self.dotted(function) in writers.COPIES and _args(node):
                    dest = writers.target(_args(node)[0])  # io.Copy(w, fh), fmt.Fprintf(&b, ...): w holds it
                    if dest is not None:
                        thunk = _thunk_join(self, _args(node)[1:])
                        return [(_text(t), "add", thunk) for t in [dest, *writers.wrapped(self, dest, node)]]
        return ()

    def _decoded_into(self, node, codec: str | None):
        """base64.StdEncoding.Decode(dst, src), hex.Decode(dst, src): dst now holds src decoded."""
        args = _args(node)
        target = _declared_name(args[0]) if len(args) == 2 else None
        if not codec or not (codec + ".").startswith(GO_CODECS) or not target:
            return ()
        line = node.start_point[0] + 1

        def thunk():
            return merge([self.value(args[1]), labelled(("decoded",), line, f"decoded into {target} by {codec}.Decode()")])
        return [(target, "set", thunk)]

    def _pairs(self, names, values, how):
        out = []
        for i, name in enumerate(names):
            value = values[i] if len(values) == len(names) else (values[0] if i == 0 and values else None)
            if value is None and len(values) == 1 and values[0].type == "call_expression" and \
                    _text(name) not in _FLAGS and not _text(name).lower().endswith("err"):
                value = values[0]  # k, v, ok := strings.Cut(kv, "="): every result but the error/ok carries its data
            if value is None:
                continue
            if name.type == "identifier" and name.text != b"_":
                typ = self.expr_type(value)
                if typ:
                    self.types[_text(name)] = typ
                out.append((_text(name), how, value))
            elif name.type == "selector_expression":
                out.append((_text(name.child_by_field_name("field")), "field-" + how, value))
                typ = owner_type(self, name)  # cfg.X, tr.TLSClientConfig.X, t.(*http.Transport).TLSClientConfig.X
                if typ and len(self.field_sets) < 64:  # cfg.InsecureSkipVerify = skip: set like the literal's field
                    self.field_sets.append((name, typ, _text(name.child_by_field_name("field")), value))
            elif name.type == "index_expression" and name.child_by_field_name("operand") is not None and \
                    name.child_by_field_name("operand").type == "identifier":  # args[2] = x
                out.append((_text(name.child_by_field_name("operand")), "add", value))
        return out

    def name_of(self, node):
        if node.type == "identifier":
            text = _text(node)
            return None if text in self.imports else text
        return None

    def field_of(self, node):
        if node.type == "selector_expression":
            field = _text(node.child_by_field_name("field"))
            if field in self.fields and self.dotted(node) is None:
                return field
        return None

    def facts(self):
        """The calls, plus each `x.Field = v` on a variable of a known struct type as that type's literal with the
        field set (`cfg := &tls.Config{}` then `cfg.InsecureSkipVerify = !strict`)."""
        out = super().facts()
        for name, typ, field, value in self.field_sets + foreign_literals(self):  # + Options{InsecureSkipVerify: v}
            if self.wanted is not None and not self.wanted(typ):
                continue
            out.calls.append(Call(callee=typ, args=(), kwargs=((field, self.value(value)),),
                                  line=name.start_point[0] + 1, end_line=value.end_point[0] + 1,
                                  column=name.start_point[1] + 1, scope=self.scope_at(name).id))
        return out

    def special(self, node):
        kind = node.type
        if kind == "selector_expression" and node.parent is not None and node.parent.type != "call_expression":
            named = self.dotted(node)  # a package function used as a value (run := exec.Command) names it
            if named:
                return Value(name=named)
            operand = node.child_by_field_name("operand")
            held = self.value(operand) if operand is not None else NOTHING
            field = _text(node.child_by_field_name("field"))
            if isinstance(held.const, dict) and field in held.const:  # o.SkipVerify of Options{SkipVerify: true}
                return Value(held.const[field], held.labels, None, None, held.trace)
        if kind == "call_expression":  # f.Name(): the file the handle f was opened on (what was written to it)
            function = node.child_by_field_name("function")
            if function is not None and function.type == "selector_expression" and not _args(node) and \
                    _text(function.child_by_field_name("field")) == "Name" and \
                    function.child_by_field_name("operand").type == "identifier":
                return self.value(function.child_by_field_name("operand"))
        if kind == "composite_literal":
            typ = node.child_by_field_name("type")
            if typ is not None and typ.type in ("slice_type", "array_type", "implicit_length_array_type"):
                body = node.child_by_field_name("body")
                return join([self.value(e) for e in (body.named_children if body is not None else [])])
            if typ is not None and typ.type == "type_identifier":
                return self._struct_value(node.child_by_field_name("body"))
        if kind == "type_conversion_expression":
            return self.value(node.child_by_field_name("operand"))
        if kind in ("index_expression", "slice_expression"):  # probes[r.FormValue("p")]: the key picks, the
            held = self.value(node.child_by_field_name("operand"))  # table's entries are what comes out
            return Value(UNKNOWN, held.labels, None, None, held.trace)
        if kind == "call_expression":
            function = node.child_by_field_name("function")
            if function is not None and (function.type in ("slice_type", "array_type", "parenthesized_type") or
                                         _text(function) in ("string", "[]byte")):
                args = _args(node)
                return self.value(args[0]) if args else NOTHING
        return None

    def _struct_value(self, body):
        """A literal of a struct type of this file (`Options{Timeout: t, SkipVerify: true}`): its fields as a
        dictionary (a selector reads one back), with every field's labels; None when a field is given by position."""
        fields, values = {}, []
        for element in (body.named_children if body is not None else []):
            if element.type == "keyed_element":
                key, value = element.child_by_field_name("key"), element.child_by_field_name("value")
                if key is None:
                    key, value = element.named_children[0], element.named_children[-1]
                held = self.value(value)
                fields[_text(key)] = held.const
                values.append(held)
            elif "comment" not in element.type:
                return None
        return merge(values, const=fields) if fields else None

    def file_write(self, node):
        """Also a file written through its handle: `f, _ := os.Create(p)` then io.Copy(f, resp.Body) or
        f.Write(body) writes the data to p."""
        found = super().file_write(node)
        if found is not None:
            return found
        parts = self.parts(node)
        if not parts:
            return None
        callee, _simple, receiver, args = parts[0] or "", parts[1], parts[2], parts[3]
        if callee in HANDLE_COPIES and len(args) >= 2:
            handle, data = args[0], args[1]
        elif (callee.rsplit(".", 1)[-1] in ("Write", "WriteString") and receiver is not None and args):
            handle, data = receiver, args[0]
        else:
            return None
        path = self._opened_path(handle, node)
        return (path, data) if path is not None else None

    def _opened_path(self, handle, at):
        """The path node of the os.Create/os.OpenFile call a file handle was bound to before `at`."""
        node = self.handle_binding(handle, at)
        if node is None:
            return None
        if node.type == "expression_list" and node.named_children:
            node = node.named_children[0]
        opened = self.parts(node) if node.type == "call_expression" else None
        if opened and opened[0] in FILE_OPENERS and opened[3]:
            return opened[3][0]
        if opened and opened[0] == "os.CreateTemp" and handle.type == "identifier":
            return handle  # a temporary file has no path of its own here: the handle names it (f.Name())
        return None

    def call_parts(self, node):
        if node.type == "composite_literal":
            callee = self.type_name(node.child_by_field_name("type"))
            if callee is None:
                return None
            body = node.child_by_field_name("body")
            args, kwargs = [], []
            for element in (body.named_children if body is not None else []):
                if element.type == "keyed_element":
                    key, value = element.child_by_field_name("key"), element.child_by_field_name("value")
                    if key is None:
                        key, value = element.named_children[0], element.named_children[-1]
                    kwargs.append((_text(key), value))
                elif "comment" not in element.type:
                    args.append(element)
            return callee, None, None, args, kwargs, None
        function = node.child_by_field_name("function")
        if function is None:
            return None
        args = _args(node)
        if function.type == "identifier":
            simple = _text(function)
            if self._collected:
                held = self.value(function)  # run := exec.Command; run("sh", "-c", x): the function it holds
                if held.name and "." in held.name:
                    return held.name, None, None, args, [], held.via
            return None, simple, None, args, [], None
        if function.type != "selector_expression":
            return None
        field = _text(function.child_by_field_name("field"))
        operand = function.child_by_field_name("operand")
        base = self.dotted(operand)
        if base:
            return f"{base}.{field}", None, None, args, [], None
        from . import clike_calls
        dynamic = clike_calls.go_reflect_call(self, node, operand, field, args)
        if dynamic is not None:
            return dynamic
        typ = self.expr_type(operand)
        return f"{typ or '*'}.{field}", None, operand, args, [], None


def _declared_name(node) -> str | None:
    while node is not None and node.type not in ("identifier",):
        if node.type in ("pointer_declarator", "array_declarator", "init_declarator", "reference_declarator",
                         "pointer_expression", "parenthesized_declarator"):
            inner = node.child_by_field_name("declarator") or node.child_by_field_name("argument") or \
                (node.named_children[0] if node.named_children else None)
            node = inner
        else:
            return None
    return _text(node) if node is not None else None


def _descendants(node, kind):
    stack = [node]
    while stack:
        n = stack.pop()
        if n.type == kind:
            yield n
        stack.extend(n.named_children)


def _thunk_join(flow, args):
    def thunk():
        return join([flow.value(a) for a in args], "")
    return thunk
