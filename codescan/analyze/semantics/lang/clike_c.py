"""C/C++ adapter: libc and libcurl calls to canonical callees (`libc.system`, `libc.curl_easy_setopt`)."""
from __future__ import annotations

import re

from ..facts import NOTHING, Value, merge
from .clike import C_WRITERS, CLikeFlow
from .clike_go import _args, _declared_name, _text
from .clike_names import LIBC
from .treeflow import join, labelled

_UPPER = re.compile(r"[A-Z][A-Z0-9_]{2,}\Z")  # a macro-like constant name


class CFlow(CLikeFlow):
    BINDINGS = frozenset(("init_declarator", "assignment_expression", "call_expression"))
    SCOPES = frozenset(("function_definition", "lambda_expression"))
    CALLS = frozenset(("call_expression",))

    def __init__(self, source, tree, language="c", budget=None, wanted=None):
        super().__init__(source, tree, language, budget, wanted)

    def scope_name(self, node):
        decl = node.child_by_field_name("declarator")
        while decl is not None and decl.type != "identifier":
            decl = decl.child_by_field_name("declarator")
        return _text(decl) if decl is not None else None

    def params(self, node):
        decl = node.child_by_field_name("declarator")
        while decl is not None and decl.type != "function_declarator":
            decl = decl.child_by_field_name("declarator")
        plist = decl.child_by_field_name("parameters") if decl is not None else None
        out = []
        for p in (plist.named_children if plist is not None else []):
            name = _declared_name(p.child_by_field_name("declarator"))
            if name:
                out.append((name, NOTHING))
        return out

    def bindings(self, node):
        kind = node.type
        if kind == "init_declarator":
            name = _declared_name(node.child_by_field_name("declarator"))
            value = node.child_by_field_name("value")
            return [(name, "set", value)] if name and value is not None else ()
        if kind == "assignment_expression":
            left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
            op = node.child_by_field_name("operator")
            how = "add" if op is not None and op.text == b"+=" else "set"
            if left is not None and left.type == "identifier":
                return [(_text(left), how, right)]
            if left is not None and left.type == "field_expression":
                return [(_text(left.child_by_field_name("field")), "field-" + how, right)]
            target = left.child_by_field_name("argument") if left is not None and \
                left.type == "subscript_expression" else None
            if target is not None and target.type == "identifier":  # argv[2] = cmd
                return [(_text(target), "add", right)]
            return ()
        if kind == "call_expression":
            function = node.child_by_field_name("function")
            name = _text(function).rsplit("::", 1)[-1] if function is not None else ""
            spec = C_WRITERS.get(name)
            args = _args(node)
            if name == "curl_easy_setopt" and len(args) == 3 and args[1].text == b"CURLOPT_WRITEDATA":
                target = _declared_name(args[2])  # the buffer libcurl fills with the response
                if target:
                    return [(target, "set", labelled(("network",), node.start_point[0] + 1,
                                                     "curl response written into " + target))]
            if spec and len(args) > spec[0]:
                target = _declared_name(args[spec[0]])
                if target:
                    how = "add" if name in ("strcat", "strncat", "wcscat") else "set"
                    return [(target, how, self.wrote(node, *spec))]
        return ()

    def name_of(self, node):
        return _text(node) if node.type == "identifier" else None

    def lookup(self, name, node):
        value = super().lookup(name, node)
        if value is NOTHING and _UPPER.match(name):
            return Value(name)  # a macro constant (CURLOPT_SSL_VERIFYPEER): its name is what rules test
        return value

    def field_of(self, node):
        if node.type == "field_expression":
            field = _text(node.child_by_field_name("field"))
            return field if field in self.fields else None
        return None

    def special(self, node):
        if node.type == "initializer_list":  # {"/bin/sh", "-c", cmd, NULL}: the NULL terminator is not a word
            return join([v for v in (self.value(c) for c in node.named_children) if v.const is not None])
        if node.type in ("pointer_expression", "cast_expression", "subscript_expression"):
            named = [c for c in node.named_children if c.type not in ("type_descriptor",)]
            return merge(self.value(c) for c in named) if named else NOTHING
        return None

    def call_parts(self, node):
        function = node.child_by_field_name("function")
        args = _args(node)
        if function is None:
            return None
        if function.type in ("identifier", "qualified_identifier"):
            name = _text(function).rsplit("::", 1)[-1]
            if name in LIBC:
                return f"libc.{name}", name, None, args, [], None
            return None, name, None, args, [], None
        if function.type == "field_expression":
            return f"*.{_text(function.child_by_field_name('field'))}", None, \
                function.child_by_field_name("argument"), args, [], None
        return None
