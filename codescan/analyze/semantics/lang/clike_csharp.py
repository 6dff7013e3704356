"""C# adapter: usings, interpolated strings, declarations and member access over the shared JVM-style flow."""
from __future__ import annotations

import re

from ..facts import NOTHING, merge
from .clike_jvm import _ObjectFlow, _plain, _text
from .clike_names import CSHARP_CLASSES
from .treeflow import join, labelled

# ASP.NET Core controllers and Razor pages: `Request` is the base class's property holding the HTTP request
_WEB_BASES = re.compile(rb":\s*(?:[\w.]+\.)?(?:Controller|ControllerBase|PageModel)\b")


class CSharpFlow(_ObjectFlow):
    BINDINGS = frozenset(("variable_declarator", "assignment_expression", "invocation_expression"))
    SCOPES = frozenset(("method_declaration", "constructor_declaration", "local_function_statement",
                        "lambda_expression", "anonymous_method_expression"))
    CALLS = frozenset(("invocation_expression", "object_creation_expression"))
    RETURNS = frozenset(("return_statement", "arrow_expression_clause"))  # string D(string s) => Decode(s);
    CLASSES = CSHARP_CLASSES

    def __init__(self, source, tree, language="csharp", budget=None, wanted=None):
        super().__init__(source, tree, language, budget, wanted)

    def literal(self, node):
        if node.type == "interpolated_string_expression":
            return merge(self.value(c) for c in node.named_children if c.type == "interpolation")
        return super().literal(node)

    def params(self, node):
        plist = node.child_by_field_name("parameters")
        out = []
        for p in (plist.named_children if plist is not None else []):
            if p.type != "parameter":
                continue
            name = p.child_by_field_name("name")
            mods = " ".join(_text(c) for c in p.named_children if c.type == "attribute_list")
            out.append((_text(name), self.declared(_text(name), p.child_by_field_name("type"), mods,
                                                   p.start_point[0] + 1)))
        return out

    def bindings(self, node):
        kind = node.type
        if kind == "variable_declarator":
            name = node.child_by_field_name("name")
            rest = [c for c in node.named_children if c != name and c.type not in ("bracketed_argument_list",)]
            holder = node.parent
            if not rest:
                return ()
            value = rest[-1]
            if value.type == "equals_value_clause" and value.named_children:
                value = value.named_children[-1]
            if holder is not None and holder.type == "variable_declaration":
                self.typed(_text(name), _text(holder.child_by_field_name("type")), value)
            out = [(_text(name), "set", value)]
            if holder is not None and holder.parent is not None and holder.parent.type == "field_declaration":
                out.append((_text(name), "field-set", value))
            return out
        if kind == "assignment_expression":
            left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
            if left is None or right is None or (node.parent is not None and
                                                 node.parent.type == "initializer_expression"):
                return ()
            how = "add" if any(c.text == b"+=" for c in node.children if not c.is_named) else "set"
            if left.type == "identifier":
                return [(_text(left), how, right)]
            if left.type == "member_access_expression":
                out = [(_text(left.child_by_field_name("name")), "field-" + how, right)]
                obj = left.child_by_field_name("expression")
                if obj is not None and obj.type == "identifier" and not _text(obj)[:1].isupper():
                    out.append((_text(obj), "add", right))  # psi.Arguments = x: the object psi now holds x
                return out
            if left.type == "element_access_expression" and left.named_children and \
                    left.named_children[0].type == "identifier":
                return [(_text(left.named_children[0]), "add", right)]
        if kind == "invocation_expression":
            function = node.child_by_field_name("function")
            if function is not None and function.type == "member_access_expression":
                method, obj, args = _text(function.child_by_field_name("name")), \
                    function.child_by_field_name("expression"), self._args(node)[0]
                if method in ("Read", "ReadAsync", "ReadExactly") and obj is not None and args and \
                        args[0].type == "identifier":
                    return [(_text(args[0]), "add", obj)]  # s.Read(buf, 0, n): the buffer holds the stream's data
                return self.append_binding(node, obj, method, args)
        return ()

    def file_write(self, node):
        """Also a file written through a stream opened on it: `fs = new FileStream(p, ..)` / `File.Create(p)`, then
        `fs.Write(buf, ..)` or `src.CopyTo(fs)` writes that data to p."""
        found = super().file_write(node)
        if found is not None or node.type != "invocation_expression":
            return found
        function = node.child_by_field_name("function")
        if function is None or function.type != "member_access_expression":
            return None
        method, obj, args = _text(function.child_by_field_name("name")), function.child_by_field_name("expression"), \
            self._args(node)[0]
        if method in ("Write", "WriteAsync") and obj is not None and args:
            handle, data = obj, args[0]
        elif method in ("CopyTo", "CopyToAsync") and obj is not None and args:
            handle, data = args[0], obj
        else:
            return None
        opened = self.handle_binding(handle, node)
        if opened is None:
            return None
        if opened.type == "object_creation_expression" and _text(opened.child_by_field_name("type")).endswith("FileStream"):
            path = self._args(opened)[0]
            return (path[0], data) if path else None
        target = opened.child_by_field_name("function") if opened.type == "invocation_expression" else None
        if target is not None and _text(target).replace("System.IO.", "") in ("File.Create", "File.OpenWrite"):
            path = self._args(opened)[0]
            return (path[0], data) if path else None
        return None

    def _args(self, node):
        args, kwargs = [], []
        holder = node.child_by_field_name("arguments")
        for arg in (holder.named_children if holder is not None else []):
            if arg.type != "argument" or not arg.named_children:
                continue
            name = arg.child_by_field_name("name")
            if name is not None:
                kwargs.append((_text(name), arg.named_children[-1]))
            else:
                args.append(arg.named_children[-1])
        init = node.child_by_field_name("initializer")
        for item in (init.named_children if init is not None else []):
            if item.type == "assignment_expression":
                kwargs.append((_text(item.child_by_field_name("left")), item.child_by_field_name("right")))
        return args, kwargs

    def name_of(self, node):
        return _text(node) if node.type == "identifier" else None

    def lookup(self, name, node):
        value = super().lookup(name, node)
        if value is NOTHING and name == "Request" and not self.bound_in_scope(name, node) and \
                _WEB_BASES.search(self.source):
            return labelled(("request",), node.start_point[0] + 1, "the controller's Request")
        return value

    def field_of(self, node):
        if node.type == "member_access_expression":
            expr = node.child_by_field_name("expression")
            if expr is not None and expr.type == "this_expression" or expr is not None and expr.type == "this":
                return _text(node.child_by_field_name("name"))
        return None

    def special(self, node):
        if node.type in ("array_creation_expression", "implicit_array_creation_expression"):
            init = next((c for c in node.named_children if c.type == "initializer_expression"), None)
            return self.value(init) if init is not None else NOTHING
        if node.type == "initializer_expression" and (node.parent is None or
                                                      node.parent.type != "object_creation_expression"):
            return join([self.value(c) for c in node.named_children])
        return None

    def call_parts(self, node):
        args, kwargs = self._args(node)
        if node.type == "object_creation_expression":
            typ = _text(node.child_by_field_name("type"))
            q = self.qualify(typ)
            return q or _plain(typ), _plain(typ).rsplit(".", 1)[-1], None, args, kwargs, None
        function = node.child_by_field_name("function")
        if function is None:
            return None
        if function.type in ("identifier", "generic_name"):
            return None, _text(function).split("<")[0], None, args, kwargs, None
        if function.type != "member_access_expression":
            return None
        obj, method = function.child_by_field_name("expression"), _text(function.child_by_field_name("name"))
        dynamic = self.invoke_parts(method, obj, args)
        if dynamic is not None:
            return dynamic
        if obj is not None and obj.type in ("this_expression", "this", "base_expression"):
            return None, method, None, args, kwargs, None
        if obj is not None and obj.type in ("member_access_expression", "qualified_name"):
            q = self.qualify(_text(obj))
            if q and _text(obj)[:1].isupper() and not self.bound_in_scope(_text(obj).split(".")[0], obj):
                return f"{q}.{method}", None, None, args, kwargs, None
        callee, receiver = self.receiver_callee(obj, method)
        return callee, None, receiver, args, kwargs, None
