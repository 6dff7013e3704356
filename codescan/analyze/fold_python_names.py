"""What a callee expression names in the Python fold: aliases followed, names built at run time (getattr, eval, __import__...)."""
from __future__ import annotations

import re

from .semantics.constants import Name, NotConstant, evaluate

BUILTIN_MODULES = {"builtins", "__builtins__", "__builtin__"}
IMPORTERS = {"__import__", "builtins.__import__", "importlib.import_module", "importlib.__import__"}
_IMPORTER_ATTRS = {name.rpartition(".")[2] for name in IMPORTERS}
_BUILT_BY_CALL = {"getattr", "eval"}  # the builtins _built_name reads a name from
_DOTTED = re.compile(r"[A-Za-z_]\w*(\.[A-Za-z_]\w*)*\Z")


class FoldNames:
    """The name questions of _PythonFolder (the constant interpreter's Env.name_of / is_builtin); the
    folder provides `scopes`, `_builtin`, `_busy` and `_deep`."""

    def is_builtin(self, node) -> bool:
        name = _text(node)
        if name not in self._builtin:
            self._builtin[name] = not self.scopes.maybe_rebound(name) or self.scopes.entries(node) is None
        return self._builtin[name]

    def name_of(self, node) -> str | None:
        key = ("name", node.id)
        if key in self._busy:
            return None
        self._busy.add(key)
        try:
            return self._name_of(node)
        finally:
            self._busy.discard(key)

    def _name_of(self, node) -> str | None:
        kind = node.type
        if kind == "identifier":
            if not self.scopes.maybe_rebound(_text(node)):
                return _text(node)
            entries = self.scopes.entries(node)
            if entries is None:
                return _text(node)
            if len(entries) != 1:
                return None
            what, value = entries[0]
            if what == "import":
                return value
            if what == "assign" and value.type in ("identifier", "attribute", "call", "subscript"):
                return self.name_of(value)
            return None
        if kind == "attribute":
            base = self.name_of(node.child_by_field_name("object"))
            return f"{base}.{_text(node.child_by_field_name('attribute'))}" if base else None
        if kind == "parenthesized_expression" and node.named_child_count == 1:
            return self.name_of(node.named_children[0])
        if kind in ("call", "subscript"):
            built = self._built_name(node)
            if built is not None and built[0] is None:
                return built[1]
            if kind == "subscript":
                try:
                    value = evaluate(node, self)
                except NotConstant:
                    return None
                return value.dotted if isinstance(value, Name) else None
        return None

    # -- names built at run time ------------------------------------------------------------
    def _built_name(self, node):
        """(object node or None, name) for getattr/__import__/globals()[..]-style expressions, else None."""
        if node.type == "call":
            function = node.child_by_field_name("function")
            args = _positional(node)
            fn = _text(function) if function.type == "identifier" else None
            if fn in _BUILT_BY_CALL and self.is_builtin(function):
                if fn == "getattr" and len(args) in (2, 3):
                    attr = self._const_str(args[1])
                    if attr is None or not attr.isidentifier():
                        return None
                    owner = self.name_of(args[0]) if args[0].type in ("identifier", "attribute") else None
                    if len(args) == 3 and args[1].type == "string" and owner not in BUILTIN_MODULES:
                        return None  # getattr(obj, 'name', default): the ordinary optional lookup
                    return (None, attr) if owner in BUILTIN_MODULES else (args[0], attr)
                if fn == "eval" and len(args) == 1:
                    name = self._const_str(args[0])
                    return (None, name) if name and _DOTTED.match(name) else None
            if function.type == "attribute" and _text(function.child_by_field_name("attribute")) == "__getattribute__":
                attr = self._const_str(args[0]) if len(args) == 1 else None
                if attr and attr.isidentifier():
                    return function.child_by_field_name("object"), attr
                return None
            # an attribute names an importer only by its last part (`importlib.import_module`): other method calls
            # are not resolved (most candidate calls are `x.decode(..)`, `', '.join(..)`)
            if args and (fn is not None or (function.type == "attribute" and _text(
                    function.child_by_field_name("attribute")) in _IMPORTER_ATTRS)) and self.name_of(function) in IMPORTERS:
                module = self._const_str(args[0])
                return (None, module) if module and _DOTTED.match(module) else None
            return None
        if node.type != "subscript":
            return None
        keys = node.children_by_field_name("subscript")
        key = self._const_str(keys[0]) if len(keys) == 1 else None
        if key is None:
            return None
        value = node.child_by_field_name("value")
        if value.type == "call":
            fn = value.child_by_field_name("function")
            args = _positional(value)
            if fn.type == "identifier" and self.is_builtin(fn) and _text(fn) in ("globals", "locals", "vars"):
                if not args or (_text(fn) == "vars" and self.name_of(args[0]) in BUILTIN_MODULES):
                    return (None, key) if key.isidentifier() else None
            return None
        if value.type == "identifier" and _text(value) == "__builtins__" and self.is_builtin(value):
            return (None, key) if key.isidentifier() else None
        if value.type == "attribute":
            owner_node = value.child_by_field_name("object")
            attr = _text(value.child_by_field_name("attribute"))
            if attr == "__dict__" and key.isidentifier():
                owner = self.name_of(owner_node) if owner_node.type in ("identifier", "attribute") else None
                return (None, key) if owner in BUILTIN_MODULES else (owner_node, key)
            if attr == "modules" and self.name_of(value) == "sys.modules" and _DOTTED.match(key):
                return None, key
        return None

    def _const_str(self, node) -> str | None:
        """A name or code string built at run time; here names bound more than once are followed too."""
        self._deep += 1
        try:
            value = evaluate(node, self)
        except NotConstant:
            return None
        finally:
            self._deep -= 1
        return value if isinstance(value, str) else None


def _positional(call) -> list:
    args = call.child_by_field_name("arguments")
    if args is None or args.type != "argument_list":
        return []
    return [c for c in args.named_children if c.type not in ("comment", "keyword_argument")]


def _text(node) -> str:
    return node.text.decode("utf-8", "replace")
