"""Names a Python program reaches through namespaces: globals()/vars()/__builtins__/X.__dict__ lookups."""
from __future__ import annotations

from ..constants import UNKNOWN
from ..facts import Value
from ..names import canonical
from ..python_scopes import MODULE

_DYNAMIC_SCOPES = {"globals", "locals", "vars"}


class Namespaces:
    """Mixed into PyValues (uses its ev, scopes, is_builtin and binding_value)."""

    def dynamic_scope(self, node) -> str | None:
        """'globals' when `node` is globals()/locals()/vars()/vars(builtins)/__builtins__/X.__dict__ of builtins."""
        if node.type == "call":
            fn = node.child_by_field_name("function")
            if fn.type == "identifier" and fn.text.decode() in _DYNAMIC_SCOPES and self.is_builtin(fn):
                args = node.child_by_field_name("arguments").named_children
                if not args or self.ev(args[0]).name == "builtins":
                    return "globals"
            return None
        if node.type == "identifier" and node.text == b"__builtins__":
            return "globals"
        if node.type == "attribute" and node.child_by_field_name("attribute").text == b"__dict__":
            if self.ev(node.child_by_field_name("object")).name == "builtins":
                return "globals"
        return None

    def namespace_of(self, node) -> str | None:
        """The module whose namespace `node` is: `os.__dict__`, `vars(subprocess)`."""
        if node.type == "attribute" and node.child_by_field_name("attribute").text == b"__dict__":
            return self.ev(node.child_by_field_name("object")).name
        if node.type == "call":
            fn = node.child_by_field_name("function")
            args = node.child_by_field_name("arguments").named_children
            if fn.type == "identifier" and fn.text == b"vars" and len(args) == 1 and self.is_builtin(fn):
                return self.ev(args[0]).name
        return None

    def global_name(self, key: Value, where) -> Value:
        """What a name built at run time (`globals()[key]`) denotes: a builtin or a module-level import."""
        if not isinstance(key.const, str) or not key.const.isidentifier():
            return Value(UNKNOWN, key.labels, None, "dynamic", key.trace)
        entries = self.scopes.bindings.get((MODULE, key.const))
        if entries is None:
            self.scopes.index(key.const)
            entries = self.scopes.bindings.get((MODULE, key.const))
        if entries:
            value = self.binding_value(key.const, entries, where.start_byte, None)
            return Value(value.const, value.labels, value.name, "dynamic", value.trace)
        return Value(name=canonical(key.const), via="dynamic")
