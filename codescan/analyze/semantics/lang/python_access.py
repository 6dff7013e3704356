"""Attribute reads and subscripts of Python expressions: `self.x`, `cls.x`, class and instance attributes, module
namespaces (`vars(os)["system"]`, `sys.modules[...]`, `globals()[...]`), slicing and constant-table lookups."""
from __future__ import annotations

import re

from ..constants import UNKNOWN, Name
from ..facts import NOTHING, Step, Value, merge
from ..names import canonical
from ..sources import labels_of, narrowed, password_named, python_read, secret_key_labels
from ..text_labels import constant_labels
from ..values import SLICE, part_name
from .python_classattrs import class_level, cls_attribute
from .python_functions import REQUEST_NAMES
from .python_handlers import handler_input, inherited_runner
from .python_instances import instance_attribute, instance_data
from .python_reflect_wrappers import through_getattr_hook
from .python_selfattrs import method, property_value, self_attribute
from .python_tables import CONSTANT_LABELS, pick
from ..module_constants import module_constant

_READ_LABELS = frozenset({"env", "env-var", "request", "secret"})  # labels reading a name (not calling it) gives


def _called(node) -> bool:
    parent = node.parent
    return parent is not None and parent.type == "call" and parent.child_by_field_name("function") == node


def own_source(node, note: str) -> Value:
    """Text of the program's own file (a docstring, the file read through `__file__`): code run from it was
    hidden in comments or docstrings."""
    return Value(UNKNOWN, frozenset({"own-source"}), None, None, (Step(node.start_point[0] + 1, note),))


_PARAM_DOC = frozenset({"param-doc"})


def param_doc(held: Value) -> Value:
    """The docstring of a parameter's function (`fn.__doc__`, `inspect.getdoc(fn)`): label `param-doc` keeps it through
    splits and strips, so a call passing this file's own function makes it own-source (python_summaries)."""
    return Value(UNKNOWN, held.labels | _PARAM_DOC, held.name if (held.name or "").endswith(".__doc__") else None,
                 None, held.trace)


def doc_read(values, node, args) -> Value | None:
    """`inspect.getdoc(f)` / `pydoc.getdoc(f)`: f.__doc__ cleaned; this file's own when f is one of its functions or
    classes, the caller's choice when f is a parameter."""
    held = values.ev(args[0])
    if (held.name or "").startswith(("<def:", "<class:")):
        return own_source(node, "a docstring read")
    if any(lab.startswith("param:") for lab in held.labels):
        return param_doc(held)
    return None


def _super_instance(values, node) -> Value | None:
    """`super()` (or `super(Cls, self)`) inside a method of a class whose first base is a class of this file: an
    instance of that base, so `super().run()` is what the base's run returns."""
    if node.type != "call":
        return None
    fn = node.child_by_field_name("function")
    if fn is None or fn.type != "identifier" or fn.text != b"super":
        return None
    cls = node.parent
    while cls is not None and cls.type != "class_definition":
        cls = cls.parent
    bases = cls.child_by_field_name("superclasses") if cls is not None else None
    first = next((b for b in bases.named_children if b.type in ("identifier", "attribute")), None) \
        if bases is not None else None
    base = values.ev(first) if first is not None else None
    if base is None or not base.name or not base.name.startswith("<class:") or not base.name.endswith(">"):
        return None
    return Value(name=base.name + "()")


def _class_callable(values, cls, attr: str) -> Value | None:
    """`K.name` where K's body defines `name` as a @classmethod or @staticmethod: that function (called on the
    class, its returns are what `K.name()` gives)."""
    found = method(values, cls, attr)
    function = values.defs.get(int(found.name[len("<def:"):-1])) if found is not None else None
    holder = function.parent if function is not None else None
    if holder is None or holder.type != "decorated_definition" or not any(
            d.text.strip() in (b"@classmethod", b"@staticmethod") for d in holder.named_children
            if d.type == "decorator"):
        return None
    return found


def _a_parameter(values, node) -> bool:
    """`node` is a parameter of its function (not self or cls) bound nowhere else, or an attribute of one
    (`caller.__call__`), and that function is not a decorator of this file (`@task` hands it this file's own
    functions: their docstrings are this program's)."""
    while node.type == "attribute":
        node = node.child_by_field_name("object")
    if node.type != "identifier" or node.text in (b"self", b"cls"):
        return False
    entries = values.scopes.entries(node)
    if not entries or any(kind != "param" for kind, _what in entries):
        return False
    function = entries[0][1]
    while function is not None and function.type not in ("function_definition", "lambda"):
        function = function.parent
    name = function.child_by_field_name("name") if function is not None and \
        function.type == "function_definition" else None
    return name is None or not _decorates(values, name.text)


def _decorates(values, name: bytes) -> bool:
    """Whether `@name` (or `@name(...)`) starts a line of the file: the file's decorator names are collected once (a
    file may read thousands of parameters' `.__doc__`, in as many functions)."""
    names = values.__dict__.get("_decorator_names")
    if names is None:
        names = values._decorator_names = frozenset(_DECORATOR.findall(values.source))
    return name in names


_DECORATOR = re.compile(rb"(?m)^[ \t]*@[ \t]*([A-Za-z_]\w*)")


class Access:
    """Mixin of PyValues: what `obj.attr` and `obj[key]` evaluate to."""

    def _attribute(self, node) -> Value:
        obj_node = node.child_by_field_name("object")
        attr = node.child_by_field_name("attribute").text.decode("utf-8", "replace")
        if attr == "__doc__" and not _a_parameter(self, obj_node):
            # f.__doc__, sys.modules[__name__].__doc__: a docstring of this program (a parameter's is the docstring
            # of whatever the caller passes: the call sites say which, through the function's summary)
            return own_source(node, "a docstring read")
        if obj_node.type == "identifier" and obj_node.text == b"self":
            if attr in REQUEST_NAMES:
                return Value(name="request")
            found = handler_input(self, node, attr) or inherited_runner(self, node, attr) or \
                self_attribute(self, node, attr)
            if found is not None:
                return found
        if obj_node.type == "identifier" and obj_node.text == b"cls":
            found = cls_attribute(self, node, attr)  # a classmethod's cls.attr: its class's own binding
            if found is not None:
                return found
        obj = _super_instance(self, obj_node) or self.ev(obj_node)
        if obj.name and obj.name.startswith("<class:") and obj.name.endswith(">") and obj_node.type == "identifier":
            cls = self.defs.get(int(obj.name[len("<class:"):-1]))  # Names.mod: the class's own attribute
            found = class_level(self, cls, obj_node.text.decode(), attr) if cls is not None else None
            if found is None and cls is not None:  # K.name(): a classmethod or staticmethod called on the class
                found = _class_callable(self, cls, attr)
            if found is not None:
                return found
        if obj.name and obj.name.startswith("<class:") and obj.name.endswith(">()"):  # Runner().go
            cls = self.defs.get(int(obj.name[len("<class:"):-3]))
            found = method(self, cls, attr) if cls is not None else None
            found = property_value(self, found)  # Runner().run where run is a @property: what its getter returns
            if found is None and cls is not None:  # Lazy().runner: a name the class's __getattr__ looks up
                found = through_getattr_hook(self, cls, obj, attr)
            if found is None and cls is not None:  # ctx.env, ctx.__dict__: what the class stores in its instances
                found = instance_data(self, cls, node.start_point[0] + 1) if attr == "__dict__" else \
                    instance_attribute(self, cls, attr)
                if attr == "__dict__" and obj.labels:  # b.__dict__.update(os.environ) earlier: this one holds it
                    found = merge([found, Value(UNKNOWN, obj.labels, None, None, obj.trace)])
            if found is not None:
                return found
        if attr == "__name__" and obj.name and not obj.name.startswith("<"):
            return Value(obj.name.rsplit(".", 1)[-1])
        name = f"{obj.name}.{attr}" if obj.name else None
        if name is not None:
            name = canonical(name)
            if (known := module_constant(name)) is not None:  # stat.S_IRWXO: its bits, for the rules that read them
                return known
            labels = python_read(labels_of(name), name)
            if labels and not _called(node):  # a reference to requests.post is a function, not data
                labels = labels & _READ_LABELS
            if labels:
                return Value(UNKNOWN, labels | obj.labels, name, obj.via,
                             (*obj.trace, Step(node.start_point[0] + 1, f"{name} read ({', '.join(sorted(labels))})")))
        if obj.labels:
            return password_named(Value(UNKNOWN, obj.labels, name, None, obj.trace), attr)
        return password_named(Value(name=name, via=obj.via) if name else NOTHING, attr)  # user.password

    def _subscript(self, node) -> Value:
        container_node = node.child_by_field_name("value")
        keys = node.children_by_field_name("subscript")
        if len(keys) == 1 and keys[0].type == "slice":  # `"metsys"[::-1]`, `name[2:]`
            container = self.ev(container_node)
            sliced = self._constant(node) if container.known else None
            stepped = keys[0].text.count(b":") > 1  # name[::-1]: reversed (or every other letter), not a piece
            return merge((container,), UNKNOWN if sliced is None else sliced,
                         None if stepped else part_name(container, SLICE))
        key = self.ev(keys[0]) if len(keys) == 1 else NOTHING
        dynamic = self.dynamic_scope(container_node)
        if dynamic is not None:
            return self.global_name(key, node)
        owner = self.namespace_of(container_node)
        if owner is not None and isinstance(key.const, str) and key.const.isidentifier():
            return Value(name=canonical(f"{owner}.{key.const}"), via="dynamic")
        container = self.ev(container_node)
        if container.name in ("builtins.globals()", "builtins.locals()") and not container.labels:
            return self.global_name(key, node)  # g = globals(); g["__builtins__"]: the module's namespace
        if container.name == "sys.modules" and isinstance(key.const, str):
            return Value(name=canonical(key.const), via="dynamic")
        if container.name in ("plumbum.local", "plumbum.machines.local") and isinstance(key.const, str) and \
                key.const.strip("/"):  # plumbum's local["sh"]: the command `from plumbum.cmd import sh` names
            return Value(name=canonical("plumbum.cmd." + key.const.rstrip("/").rsplit("/", 1)[-1]))
        if container.name in ("builtins", "builtins.__dict__") and not container.labels and \
                isinstance(key.const, str) and key.const.isidentifier():
            # `b = __builtins__ if isinstance(__builtins__, dict) else __builtins__.__dict__; b["exec"]`
            return Value(name=canonical(f"builtins.{key.const}"), via="dynamic")
        if container.name and container.name.endswith(".__dict__") and not container.labels and \
                isinstance(key.const, str) and key.const.isidentifier():  # ns = vars(os); ns["system"]
            return Value(name=canonical(f"{container.name[:-len('.__dict__')]}.{key.const}"), via="dynamic")
        if container.name and container.labels:
            labels = secret_key_labels(narrowed(container.labels, container.name + "[]"), key)
            if labels != container.labels:
                return Value(UNKNOWN, labels, None, None, container.trace)
        picked = pick(self, container, key, keys[0] if len(keys) == 1 else None)
        if picked is not None:  # MODES[profile]: the entry the key (or the parameter's default) picks
            return picked
        if isinstance(container.const, (dict, list, tuple, str, bytes)) and key.known:
            try:
                item = container.const[key.const]
            except (KeyError, IndexError, TypeError):
                item = UNKNOWN
            if isinstance(item, Name):
                return Value(name=canonical(item.dotted), via="dynamic")
            if item is not UNKNOWN:
                labels = container.labels
                if isinstance(container.const, (dict, list, tuple)):  # d["keyA"] is not what d["keyB"] holds
                    labels = frozenset(lab for lab in labels if lab in CONSTANT_LABELS)
                return Value(item, labels | constant_labels(item), None, None, container.trace if labels else ())
        piece = merge((container,), UNKNOWN, part_name(container, key.const))  # host.split(".")[0]: still named
        return password_named(piece, key.const)  # form["password"]
