"""Java adapter, and what Java, Kotlin and C# share (_ObjectFlow): imports, declared types and receiver types to
canonical callees (`java.lang.Runtime.exec`, `System.Diagnostics.Process.Start`), reflection included."""
from __future__ import annotations

import re

from ..facts import NOTHING, Value, merge
from . import clike_calls
from .clike import APPENDS, CLikeFlow
from .clike_names import JAVA_CLASSES, RETURNS
from .treeflow import join, labelled

REQUEST_TYPES = {"javax.servlet.http.HttpServletRequest", "jakarta.servlet.http.HttpServletRequest",
                 "HttpServletRequest", "HttpRequest", "Microsoft.AspNetCore.Http.HttpRequest", "ServerHttpRequest",
                 "WebRequest", "ApplicationCall", "RoutingContext", "Context"}
REQUEST_ANNOTATIONS = re.compile(r"@(RequestParam|PathVariable|RequestBody|RequestHeader|CookieValue|QueryParam"
                                 r"|PathParam|FormParam|HeaderParam)\b|\[(FromQuery|FromBody|FromForm|FromRoute"
                                 r"|FromHeader)\b")


def _text(node) -> str:
    return node.text.decode("utf-8", "replace") if node is not None else ""


def _plain(type_text: str) -> str:
    return re.sub(r"<.*>|\[\]|\?$", "", type_text).strip()


class _ObjectFlow(CLikeFlow):
    """Shared by Java, Kotlin and C#: classes by simple name, typed variables, reflection."""

    CLASSES: dict = {}

    def __init__(self, source, tree, language, budget=None, wanted=None):
        super().__init__(source, tree, language, budget, wanted)
        self.imported: dict[str, str] = {}
        self._imports()

    def _imports(self) -> None:
        pass

    def qualify(self, simple: str) -> str | None:
        simple = _plain(simple)
        if "." in simple:
            head = simple.split(".", 1)[0]
            return simple if head[:1].islower() or head == "System" else (self.qualify(head) or head) + \
                simple[len(head):]
        return self.imported.get(simple) or self.CLASSES.get(simple)

    def typed(self, name: str, type_text: str, value=None) -> None:
        """Record a variable's type: the declared one, else (`var`, `val`) the type of its value."""
        q = self.qualify(type_text) if type_text not in ("var", "val", "") else None
        if q is None and value is not None:
            q = self.expr_type(value)
        if q:
            self.types[name] = q

    def lookup(self, name, node):
        """A bare name not bound in its function is the class's field: every assignment to it counts."""
        if name in self.fields:
            scope = self.scope_at(node)
            while scope is not None and scope is not self.global_scope:
                if name in scope.events:
                    return super().lookup(name, node)
                scope = scope.parent
            return self.field_value(name)
        return super().lookup(name, node)

    def declared(self, name: str, type_node, modifiers_text: str, line: int) -> Value:
        type_text = _text(type_node)
        self.typed(name, type_text)
        if _plain(type_text) in REQUEST_TYPES or (self.qualify(type_text) or "") in REQUEST_TYPES or \
                REQUEST_ANNOTATIONS.search(modifiers_text):
            return labelled(("request",), line, f"request parameter {name}")
        return NOTHING

    def receiver_callee(self, obj, method: str):
        """(callee, receiver node) for `obj.method(...)`."""
        if obj is None:
            return None, None
        if obj.type in ("identifier", "simple_identifier") and _text(obj) not in self.types:
            name = _text(obj)
            if not self.bound_in_scope(name, obj):
                q = self.qualify(name)
                if q or name[:1].isupper():
                    return f"{q or name}.{method}", None
        typ = self.expr_type(obj)
        return f"{typ or '*'}.{method}", obj

    def expr_type(self, node) -> str | None:
        kind = node.type
        if kind in ("identifier", "simple_identifier"):
            return self.types.get(_text(node))
        if kind in self.CALLS:
            parts = self.parts(node)
            if parts and parts[0]:
                if kind == "object_creation_expression" or (parts[1] and parts[1][:1].isupper()
                                                            and parts[0].endswith(parts[1])):
                    return parts[0]
                return RETURNS.get(parts[0])
        if kind in ("parenthesized_expression", "cast_expression") and node.named_children:
            return self.expr_type(node.named_children[-1])
        return None

    def invoke_parts(self, method: str, obj, args):
        if method in clike_calls.INVOKES and obj is not None:
            return clike_calls.invoked(self, method, obj, args)
        return None

    def append_binding(self, node, obj, method: str, args):
        """`sb.append(a).append(b)` / `list.add(x)` as statements: the variable grows by the arguments."""
        if method not in APPENDS or obj is None or obj.type not in ("identifier", "simple_identifier"):
            return ()
        chain = [args]
        current = node
        while current.parent is not None and current.parent.type in self.CALLS:
            parent = current.parent
            parts = self.parts(parent)
            if not parts or parts[2] is None or parts[2] != current or (parts[0] or "").rsplit(".", 1)[-1] not in APPENDS:
                break
            chain.append(parts[3])
            current = parent
        flat = [a for group in chain for a in group]

        def thunk():
            return join([self.value(a) for a in flat], "")
        return [(_text(obj), "add", thunk)]


# methods that call their lambda with the receiver's items (or the receiver itself)
_ITERATORS = frozenset(("forEach", "forEachOrdered", "map", "mapToObj", "flatMap", "filter", "peek", "ifPresent",
                        "replaceAll", "anyMatch", "allMatch", "noneMatch", "computeIfPresent"))


class JavaFlow(_ObjectFlow):
    BINDINGS = frozenset(("variable_declarator", "assignment_expression", "method_invocation", "resource",
                          "enhanced_for_statement"))
    SCOPES = frozenset(("method_declaration", "constructor_declaration", "lambda_expression", "static_initializer"))
    CALLS = frozenset(("method_invocation", "object_creation_expression"))
    CLASSES = JAVA_CLASSES

    def __init__(self, source, tree, language="java", budget=None, wanted=None):
        super().__init__(source, tree, language, budget, wanted)

    def file_write(self, node):
        """Also a file written through a stream opened on it: `out = new FileOutputStream(f)` then
        `in.transferTo(out)` or `out.write(buf)` writes that data to f."""
        found = super().file_write(node)
        if found is not None:
            return found
        parts = self.parts(node)
        if not parts or node.type != "method_invocation":
            return None
        method = (parts[0] or "").rsplit(".", 1)[-1]
        receiver, args = node.child_by_field_name("object"), parts[3]
        if method == "transferTo" and args and receiver is not None:
            handle, data = args[0], receiver
        elif method == "write" and args and receiver is not None:
            handle, data = receiver, args[0]
        else:
            return None
        path = self._stream_path(handle, node)
        return (path, data) if path is not None else None

    def _stream_path(self, handle, at):
        """The path node of the `new FileOutputStream(p)` a stream variable was bound to before `at`."""
        node = self.handle_binding(handle, at)
        if node is None or node.type != "object_creation_expression":
            return None
        opened = self.parts(node)
        callee = (opened[0] or "") if opened else ""
        if callee.rsplit(".", 1)[-1] == "FileOutputStream" and opened[3]:
            return opened[3][0]
        if callee.rsplit(".", 1)[-1] == "BufferedOutputStream" and opened[3]:
            inner = opened[3][0]  # new BufferedOutputStream(fos) or (new FileOutputStream(p))
            if inner.type == "identifier":
                return self._stream_path(inner, at)
            wrapped = self.parts(inner) if inner.type == "object_creation_expression" else None
            if wrapped and (wrapped[0] or "").endswith("FileOutputStream") and wrapped[3]:
                return wrapped[3][0]
        return None

    def _imports(self):
        for child in self.root.named_children:
            if child.type == "import_declaration":
                named = [c for c in child.named_children if c.type in ("scoped_identifier", "identifier")]
                if named and not any(c.type == "asterisk" for c in child.named_children):
                    full = _text(named[0])
                    self.imported[full.rsplit(".", 1)[-1]] = full

    def lookup(self, name, node):
        """A lambda's parameter given to xs.forEach/map/filter/ifPresent(...) holds what xs holds (`vars.forEach((k, v)
        -> sb.append(k))`: k is the environment's when vars is)."""
        value = super().lookup(name, node)
        if value is not NOTHING:
            return value
        holder = node.parent
        while holder is not None and holder.type != "lambda_expression":
            holder = holder.parent
        call = holder.parent.parent if holder is not None and holder.parent is not None else None
        if call is None or call.type != "method_invocation" or _text(call.child_by_field_name("name")) not in _ITERATORS:
            return value
        plist = holder.child_by_field_name("parameters")
        names = [plist] if plist is not None and plist.type == "identifier" else \
            [c for c in (plist.named_children if plist is not None else []) if c.type == "identifier"] + \
            [c.child_by_field_name("name") for c in (plist.named_children if plist is not None else [])
             if c.type == "formal_parameter"]
        receiver = call.child_by_field_name("object")
        if receiver is not None and any(n is not None and _text(n) == name for n in names):
            return self.value(receiver)
        return value

    def params(self, node):
        plist = node.child_by_field_name("parameters")
        out = []
        if plist is None and node.type == "lambda_expression":
            return out
        for p in (plist.named_children if plist is not None else []):
            if p.type not in ("formal_parameter", "spread_parameter"):
                continue
            name = p.child_by_field_name("name")
            mods = next((c for c in p.named_children if c.type == "modifiers"), None)
            out.append((_text(name), self.declared(_text(name), p.child_by_field_name("type"), _text(mods),
                                                   p.start_point[0] + 1)))
        return out

    def bindings(self, node):
        kind = node.type
        if kind == "variable_declarator":
            name, value = node.child_by_field_name("name"), node.child_by_field_name("value")
            holder = node.parent
            if holder is not None:
                self.typed(_text(name), _text(holder.child_by_field_name("type")), value)
            if value is None:
                return ()
            out = [(_text(name), "set", value)]
            if holder is not None and holder.type == "field_declaration":
                out.append((_text(name), "field-set", value))
            return out
        if kind == "assignment_expression":
            left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
            op = node.child_by_field_name("operator")
            how = "add" if op is not None and op.text == b"+=" else "set"
            if left.type == "identifier":
                return [(_text(left), how, right)]
            if left.type == "field_access":
                return [(_text(left.child_by_field_name("field")), "field-" + how, right)]
            array = left.child_by_field_name("array") if left.type == "array_access" else None
            if array is not None and array.type == "identifier":  # cmd[2] = task: the array holds it too
                return [(_text(array), "add", right)]
        if kind == "method_invocation":
            method, obj, args = _text(node.child_by_field_name("name")), node.child_by_field_name("object"), self._args(node)
            if method in ("read", "readFully", "readNBytes") and obj is not None and args and args[0].type == "identifier":
                return [(_text(args[0]), "add", obj)]  # in.read(buf): the buffer holds what the stream gives
            return self.append_binding(node, obj, method, args)
        if kind == "resource":
            name, value = node.child_by_field_name("name"), node.child_by_field_name("value")
            if name is not None and value is not None:
                self.typed(_text(name), _text(node.child_by_field_name("type")), value)
                return [(_text(name), "set", value)]
        if kind == "enhanced_for_statement":
            name, value = node.child_by_field_name("name"), node.child_by_field_name("value")
            if name is not None and value is not None:
                return [(_text(name), "set", value)]
        return ()

    def _args(self, node):
        args = node.child_by_field_name("arguments")
        return [c for c in args.named_children if "comment" not in c.type] if args is not None else []

    def name_of(self, node):
        return _text(node) if node.type == "identifier" else None

    def field_of(self, node):
        if node.type == "field_access":
            obj = node.child_by_field_name("object")
            if obj is not None and obj.type == "this":
                return _text(node.child_by_field_name("field"))
        return None

    def special(self, node):
        if node.type == "array_creation_expression":
            init = node.child_by_field_name("value")
            return self.value(init) if init is not None else NOTHING
        if node.type == "array_initializer":
            return join([self.value(c) for c in node.named_children if "comment" not in c.type])
        if node.type == "ternary_expression":
            return merge([self.value(node.child_by_field_name("consequence")),
                          self.value(node.child_by_field_name("alternative"))])
        return None

    def call_parts(self, node):
        args = self._args(node)
        if node.type == "object_creation_expression":
            typ = _text(node.child_by_field_name("type"))
            q = self.qualify(typ)
            return q or _plain(typ), _plain(typ).rsplit(".", 1)[-1], None, args, [], None
        method = _text(node.child_by_field_name("name"))
        obj = node.child_by_field_name("object")
        dynamic = self.invoke_parts(method, obj, args)
        if dynamic is not None:
            return dynamic
        if obj is None or obj.type == "this":
            return None, method, None, args, [], None
        callee, receiver = self.receiver_callee(obj, method)
        return callee, None, receiver, args, [], None
