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
                target, offset = _buffer(args[spec[0]])
                if target:
                    how = "add" if offset or name in ("strcat", "strncat", "wcscat") else "set"
                    return [(target, how, self.wrote(node, *spec))]
            if function is not None and function.type == "identifier" and name in self.functions:
                return self._helper_outputs(node, self.functions[name], args)
        return ()

    def file_write(self, node):
        """Also a file written through its FILE* handle: libcurl's CURLOPT_WRITEDATA fp (the response, downloaded to
        fopen's path), fwrite(buf, size, n, fp) and fputs(s, fp)."""
        found = super().file_write(node)
        parts = self.parts(node) if found is None else None
        if not parts or parts[0] not in ("libc.curl_easy_setopt", "libc.fwrite", "libc.fputs"):
            return found
        args = parts[3]
        if parts[0] == "libc.curl_easy_setopt":
            if len(args) != 3 or args[1].text != b"CURLOPT_WRITEDATA":
                return None
            handle, data = args[2], None
        elif len(args) >= 2:
            handle, data = args[-1], args[0]
        else:
            return None
        opened = self.handle_binding(handle, node)
        opener = self.parts(opened) if opened is not None and opened.type == "call_expression" else None
        if not opener or opener[0] != "libc.fopen" or len(opener[3]) < 2:
            return None
        mode = self.value(opener[3][1]).const
        return (opener[3][0], data) if isinstance(mode, str) and re.search(r"[wa]", mode) else None

    def _helper_outputs(self, node, helper, args):
        """A same-file function (defined above) that writes into a non-const pointer parameter (`hexlabel(in,
        out, n)` filling out with snprintf or `out[i] = ...`): the buffer passed there receives data made from
        the call's other arguments (context-insensitive: what the helper does with them is not followed)."""
        out = []
        for index, param in enumerate(helper.params[:len(args)]):
            events = helper.events.get(param, ())
            target = _buffer(args[index])[0]
            if not target or not any(e.kind != "param" for e in events) or not _writable(helper.node, param):
                continue
            others = [a for i, a in enumerate(args) if i != index]

            def thunk(others=others, line=node.start_point[0] + 1, fn=helper.name, target=target) -> Value:
                data = merge([self.value(a) for a in others])
                return data.with_step(line, f"{fn}() writes into {target}") if data.labels else data
            out.append((target, "add", thunk))
        return out

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


def _buffer(node):
    """(variable, at an offset) a buffer argument writes into: `buf`, `&buf`, `buf + n` (into it, added)."""
    if node.type == "binary_expression" and node.child_by_field_name("left") is not None:
        op = node.child_by_field_name("operator")
        if op is not None and op.text == b"+":
            return _declared_name(node.child_by_field_name("left")), True
    return _declared_name(node), False


def _writable(function, param: str) -> bool:
    """Whether `param` is declared in `function` as a pointer or array to non-const data (a buffer it fills)."""
    decl = function.child_by_field_name("declarator")
    while decl is not None and decl.type != "function_declarator":
        decl = decl.child_by_field_name("declarator")
    plist = decl.child_by_field_name("parameters") if decl is not None else None
    for p in (plist.named_children if plist is not None else []):
        declarator = p.child_by_field_name("declarator")
        if _declared_name(declarator) == param:
            return declarator.type in ("pointer_declarator", "array_declarator") and \
                not any(c.type == "type_qualifier" and c.text == b"const" for c in p.children)
    return False
