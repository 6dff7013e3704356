"""Kotlin adapter: imports, string templates, properties and call suffixes over the shared JVM flow."""
from __future__ import annotations

import re

from ..facts import NOTHING, Value, merge
from .clike_jvm import _ObjectFlow, _text
from .clike_names import JAVA_CLASSES
from .concepts import BLOCKERS
from .treeflow import join

_TEMPLATE = re.compile(r"\$\{([^}]*)\}|\$([A-Za-z_]\w*)")


class KotlinFlow(_ObjectFlow):
    BINDINGS = frozenset(("property_declaration", "assignment", "call_expression", "for_statement"))
    SCOPES = frozenset(("function_declaration", "lambda_literal", "anonymous_function", "secondary_constructor"))
    CALLS = frozenset(("call_expression",))
    RETURNS = frozenset(("return_expression",))
    CLASSES = JAVA_CLASSES

    def __init__(self, source, tree, language="kotlin", budget=None, wanted=None):
        super().__init__(source, tree, language, budget, wanted)

    def _imports(self):
        for child in self.root.named_children:
            for imp in ([child] if child.type in ("import", "import_header") else
                        [c for c in child.named_children if c.type in ("import", "import_header")]):
                named = [c for c in imp.named_children if c.type in ("qualified_identifier", "identifier")]
                if named:
                    full = _text(named[0])
                    self.imported[full.rsplit(".", 1)[-1]] = full

    def literal(self, node):
        if node.type == "string_literal":
            text = _text(node)
            if "$" in text and _TEMPLATE.search(text):
                return self._template(node, text)
        return super().literal(node)

    def _template(self, node, text: str) -> Value:
        body = text[3:-3] if text.startswith('"""') else text[1:-1]
        values, pieces, pos, known = [], [], 0, True
        for m in _TEMPLATE.finditer(body):
            pieces.append(body[pos:m.start()])
            expr = (m.group(1) or m.group(2)).strip()
            value = self.lookup(expr, node) if re.fullmatch(r"[A-Za-z_]\w*", expr) else NOTHING
            values.append(value)
            if isinstance(value.const, str):
                pieces.append(value.const)
            else:
                known = False
            pos = m.end()
        pieces.append(body[pos:])
        text_value = "".join(pieces) if known else None
        if any(v.labels for v in values):
            return merge(values, const=text_value if known else merge([]).const)
        return Value(text_value) if known else NOTHING

    def params(self, node):
        out = []
        for plist in node.named_children:
            if plist.type not in ("function_value_parameters", "lambda_parameters"):
                continue
            for p in plist.named_children:
                if p.type not in ("parameter", "function_value_parameter", "variable_declaration"):
                    continue
                ident = next((c for c in p.named_children if c.type in ("identifier", "simple_identifier")), None)
                typ = next((c for c in p.named_children if c.type in ("user_type", "nullable_type")), None)
                if ident is not None:
                    out.append((_text(ident), self.declared(_text(ident), typ, _text(p.prev_named_sibling)
                                                            if p.prev_named_sibling is not None else "",
                                                            p.start_point[0] + 1)))
        return out

    def bindings(self, node):
        kind = node.type
        if kind == "property_declaration":
            decl = next((c for c in node.named_children if c.type == "variable_declaration"), None)
            if decl is None:
                return ()
            ident = next((c for c in decl.named_children if c.type in ("identifier", "simple_identifier")), None)
            typ = next((c for c in decl.named_children if c.type in ("user_type", "nullable_type")), None)
            after = [c for c in node.named_children if c.start_byte >= decl.end_byte and "comment" not in c.type
                     and c.type not in ("getter", "setter", "property_delegate")]
            if ident is not None:
                self.typed(_text(ident), _text(typ) if typ is not None else "", after[0] if after else None)
            if ident is None or not after:
                return ()
            out = [(_text(ident), "set", after[0])]
            if node.parent is not None and node.parent.type in ("class_body", "source_file"):
                out.append((_text(ident), "field-set", after[0]))
            return out
        if kind == "assignment":
            left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
            if left is None or right is None:
                return ()
            how = "add" if any(c.text == b"+=" for c in node.children if not c.is_named) else "set"
            if left.type in ("identifier", "simple_identifier"):
                return [(_text(left), how, right)]
            if left.type == "navigation_expression" and left.named_children:
                return [(_text(left.named_children[-1]), "field-" + how, right)]
        if kind == "call_expression":
            parts = self.parts(node)
            if parts and parts[2] is not None:
                return self.append_binding(node, parts[2], (parts[0] or "").rsplit(".", 1)[-1], parts[3])
        if kind == "for_statement":  # for (x in xs) / for ((k, v) in map): each name holds what the iterable holds
            decl = next((c for c in node.named_children
                         if c.type in ("variable_declaration", "multi_variable_declaration")), None)
            iterable = next((c for c in node.named_children if decl is not None and c.start_byte >= decl.end_byte
                             and c.type not in ("block", "control_structure_body") and "comment" not in c.type), None)
            if iterable is None:
                return ()
            names = [decl] if decl.type == "variable_declaration" else \
                [c for c in decl.named_children if c.type == "variable_declaration"]
            idents = [next((c for c in d.named_children if c.type in ("identifier", "simple_identifier")), None)
                      for d in names]
            return [(_text(i), "set", iterable) for i in idents if i is not None]
        return ()

    def returns_of(self, scope, call):
        """`fun f() = expr`: the expression body is what the function returns."""
        body = next((c for c in scope.node.named_children if c.type == "function_body"), None)
        expr = body.named_children[0] if body is not None and body.named_children else None
        if expr is not None and expr.type != "block" and expr not in scope.returns:
            scope.returns.append(expr)
        return super().returns_of(scope, call)

    def lookup(self, name, node):
        """`it` in a lambda given to x.use { }, x.let { }, x.also { }, xs.forEach { }: what x holds."""
        value = super().lookup(name, node)
        if value is NOTHING and name == "it":
            holder = node.parent
            while holder is not None and holder.type != "lambda_literal":
                holder = holder.parent
            call = holder.parent.parent if holder is not None and holder.parent is not None and \
                holder.parent.type == "annotated_lambda" else None
            callee = call.named_children[0] if call is not None and call.type == "call_expression" else None
            if callee is not None and callee.type == "navigation_expression" and callee.named_children:
                return self.value(callee.named_children[0])
        return value

    def name_of(self, node):
        return _text(node) if node.type in ("identifier", "simple_identifier") and \
            (node.parent is None or node.parent.type != "navigation_expression" or
             node.parent.named_children[0] == node) else None

    def field_of(self, node):
        if node.type == "navigation_expression" and node.named_children and \
                node.named_children[0].type == "this_expression":
            return _text(node.named_children[-1])
        return None

    def special(self, node):
        if node.type == "navigation_expression" and node.named_children and \
                _text(node.named_children[-1]) in BLOCKERS and (node.parent is None or node.parent.type != "call_expression"):
            return NOTHING  # xs.size, s.length: a property that keeps nothing of the data
        if node.type == "call_expression" and node.named_children and \
                _text(node.named_children[0]) in ("arrayOf", "listOf", "mutableListOf", "arrayListOf"):
            return join([self.value(a) for a in self._args(node)])
        return None

    def _args(self, node):
        out = []
        for holder in node.named_children:
            if holder.type in ("value_arguments", "call_suffix"):
                for arg in (holder.named_children if holder.type == "value_arguments" else
                            [a for v in holder.named_children if v.type == "value_arguments"
                             for a in v.named_children]):
                    if arg.type == "value_argument" and arg.named_children:
                        out.append(arg.named_children[-1])
        return out

    def call_parts(self, node):
        if not node.named_children:
            return None
        function = node.named_children[0]
        args = self._args(node)
        if function.type in ("identifier", "simple_identifier"):
            name = _text(function)
            q = self.qualify(name)
            if q or name[:1].isupper():
                return q or name, name, None, args, [], None
            return None, name, None, args, [], None
        if function.type == "navigation_expression" and len(function.named_children) >= 2:
            obj, method = function.named_children[0], _text(function.named_children[-1])
            dynamic = self.invoke_parts(method, obj, args)
            if dynamic is not None:
                return dynamic
            if obj.type == "this_expression":
                return None, method, None, args, [], None
            callee, receiver = self.receiver_callee(obj, method)
            return callee, None, receiver, args, [], None
        return None
