"""Same-file wrappers of the reflection calls (`lambda m, a: getattr(m, a)`, `def load(n): return
importlib.import_module(n)`, a class's `__getattr__` over a table of modules): a call through one names what the
wrapped call would name for these arguments."""
from __future__ import annotations

from ..constants import UNKNOWN
from ..facts import Value
from ..names import canonical

IMPORTERS = {"builtins.__import__", "importlib.import_module", "importlib.__import__"}
REDUCERS = {"functools.reduce", "_functools.reduce"}
MAX_REDUCED = 8  # attribute names a reduce(getattr, names, obj) folds
MAX_CHOICES = 8  # constant items of a loop a wrapper is run on, one by one
_NAMESPACE_WORDS = (b"builtins", b"__dict__")  # a wrapper's `return ns[name]` is a lookup only over one of these


def through_wrapper(values, function, arg_values: list) -> Value | None:
    """The name a call of `function` (a lambda or a small function around getattr/import_module) gives for
    `arg_values`, else None. Simple statements before the return are run on the arguments: local names bound
    from them (`mod, attr = TABLE[item]`), bare calls skipped (`__import__(mod)`), `sys.modules[m]` is module m."""
    from .python_calls import _attribute_of, arguments, callee_value

    found = _wrapped_call(function)
    if found is None:
        return None
    looped = next((i for i, v in enumerate(arg_values) if not v.known and v.via == "loop" and v.choices), None)
    if looped is not None and len(arg_values[looped].choices) <= MAX_CHOICES:
        # for spec in HOOKS: _resolve(spec)(cmd): the loop binds each constant item in turn, so the call names
        # what the wrapper names for each of them (the first that names something)
        for choice in arg_values[looped].choices:
            named = through_wrapper(values, function, [*arg_values[:looped], choice, *arg_values[looped + 1:]])
            if named is not None and named.name:
                return named
        return None
    body, before = found
    branches = _branches(body)
    inners = [callee_value(values, b).name if b.type == "call" else None for b in branches]
    if not any(i == "builtins.getattr" or i in IMPORTERS or i in REDUCERS or
               b.type == "subscript" and any(w in function.text for w in _NAMESPACE_WORDS)
               for i, b in zip(inners, branches)):
        return None
    params = function.child_by_field_name("parameters")
    names = [p.text.decode("utf-8", "replace") for p in (params.named_children if params is not None else ())
             if p.type == "identifier"]
    bound = dict(zip(names, arg_values))
    for statement in before:
        if not _bind(values, statement, bound):
            return None
    for branch, inner in zip(branches, inners):
        # `return b[name] if isinstance(b, dict) else getattr(b, name)`: the first branch that names something
        named = _reflected(values, branch, inner, bound) if branch.type == "call" else \
            _in_namespace(values, branch, bound)
        if named is not None and (named.name or len(branches) == 1):
            return named
    return None


def _branches(body) -> list:
    """The expressions a wrapper's return may give: both arms of a conditional expression, else the one."""
    if body.type == "conditional_expression" and len(body.named_children) == 3:
        return [body.named_children[0], body.named_children[2]]
    return [body]


def _in_namespace(values, node, bound: dict) -> Value | None:
    """`return ns[name]` where ns is the builtins namespace or a module's __dict__ and name a parameter given a
    constant: the name it looks up (`scope = globals()["__builtins__"]; return scope[name]`)."""
    keys = node.children_by_field_name("subscript")
    if len(keys) != 1 or keys[0].type == "slice":
        return None
    key = _local(values, keys[0], bound).const
    if not isinstance(key, str) or not key.isidentifier():
        return None
    owner = _local(values, node.child_by_field_name("value"), bound)
    if owner.labels or not owner.name:
        return None
    if owner.name in ("builtins", "builtins.__dict__"):
        return Value(name=canonical(f"builtins.{key}"), via="dynamic")
    if owner.name.endswith(".__dict__"):
        return Value(name=canonical(f"{owner.name[:-len('.__dict__')]}.{key}"), via="dynamic")
    return None


def _reflected(values, body, inner, bound: dict) -> Value | None:
    """What one reflection call of a wrapper (getattr, an importer, reduce(getattr, ...)) names with `bound`."""
    from .python_calls import _attribute_of, arguments

    if inner != "builtins.getattr" and inner not in IMPORTERS and inner not in REDUCERS:
        return None
    inner_args, _keywords = arguments(body)

    def ev(node):
        return _local(values, node, bound)

    if inner == "builtins.getattr" and len(inner_args) >= 2:
        return _attribute_of(values, ev(inner_args[0]), ev(inner_args[1]))
    if inner in REDUCERS:  # return functools.reduce(getattr, spec[2:], head): the chain along the given names
        if len(inner_args) != 3 or _keywords or values.ev(inner_args[0]).name != "builtins.getattr":
            return None
        names = ev(inner_args[1]).const
        if not isinstance(names, (list, tuple)) or not 0 < len(names) <= MAX_REDUCED or \
                not all(isinstance(n, str) for n in names):
            return None
        value = ev(inner_args[2])
        for part in names:
            value = _attribute_of(values, value, Value(part))
        return value
    if inner in IMPORTERS and inner_args:
        module = ev(inner_args[0])
        if isinstance(module.const, str) and module.const.replace(".", "").replace("_", "").isalnum():
            return Value(name=canonical(module.const), via="dynamic")
        return Value(UNKNOWN, module.labels, None, "dynamic", module.trace)
    return None


def imported(importer: str, module: str, given: int, fromlist: bool = False) -> str:
    """The module an import call returns: `__import__("a.b")` returns the package `a` (its attribute `b` is the
    submodule) unless a fromlist is given; `importlib.import_module("a.b")` returns `a.b`."""
    if importer == "builtins.__import__" and given < 4 and not fromlist:
        return module.split(".", 1)[0]
    return module


MAX_STATEMENTS = 6  # simple statements before a wrapper's return that are run on its arguments


def _wrapped_call(function):
    """(the returned call, the statements before the return) of a lambda or a small function, else None."""
    body = function.child_by_field_name("body")
    if body is None:
        return None
    if function.type == "lambda":
        return (body, []) if body.type in ("call", "subscript", "conditional_expression") else None
    statements = [c for c in body.named_children if c.type not in ("comment",) and not (
        c.type == "expression_statement" and c.named_children and c.named_children[0].type == "string")]
    if not statements or len(statements) > MAX_STATEMENTS + 1:
        return None
    last = statements[-1]
    if last.type == "return_statement" and last.named_children and \
            last.named_children[0].type in ("call", "subscript", "conditional_expression"):
        return last.named_children[0], statements[:-1]
    return None


def _bind(values, statement, bound: dict) -> bool:
    """Run one simple statement of a wrapper on the bound names: False when it is not one (a branch, a loop)."""
    if statement.type != "expression_statement" or not statement.named_children:
        return False
    node = statement.named_children[0]
    if node.type == "call":
        return True  # __import__(mod): its effect is what sys.modules[mod] reads
    if node.type != "assignment":
        return False
    left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
    if left is None or right is None:
        return False
    value = _local(values, right, bound)
    if left.type == "identifier":
        bound[left.text.decode("utf-8", "replace")] = value
        return True
    if left.type in ("pattern_list", "tuple_pattern", "list_pattern"):
        targets = [t for t in left.named_children if t.type == "identifier"]
        if len(targets) != len(left.named_children):
            return False
        items = value.const if isinstance(value.const, (tuple, list)) and len(value.const) == len(targets) else None
        for i, target in enumerate(targets):
            bound[target.text.decode("utf-8", "replace")] = Value(items[i]) if items is not None else Value()
        return True
    return False


def _local(values, node, bound: dict) -> Value:
    """A wrapper's expression with its parameters and locals bound: names, `sys.modules[m]`, a constant table's
    entry for a known key, an item of a known tuple, an attribute of the instance passed as `self`."""
    if node.type == "identifier":
        text = node.text.decode("utf-8", "replace")
        if text in bound:
            return bound[text]
    elif node.type == "subscript":
        keys = node.children_by_field_name("subscript")
        if len(keys) == 1 and keys[0].type == "slice":  # spec[2:]: the tail of a known list of names
            return _sliced(_local(values, node.child_by_field_name("value"), bound), keys[0], bound, values)
        if len(keys) == 1:
            container = _local(values, node.child_by_field_name("value"), bound)
            key = _local(values, keys[0], bound).const
            if container.name == "sys.modules" and isinstance(key, str):
                return Value(name=canonical(key), via="dynamic")
            held = container.const
            if isinstance(held, dict) and isinstance(key, (str, int)) and key in held and held[key] is not UNKNOWN:
                return Value(held[key])
            if isinstance(held, (tuple, list)) and isinstance(key, int) and -len(held) <= key < len(held):
                return Value(held[key])
    elif node.type == "call":  # getattr(__import__(m), "po" + "pen"): the module the parameter names
        from .python_calls import arguments, callee_value
        args, keywords = arguments(node)
        importer = callee_value(values, node).name if args and not keywords else None
        if importer in IMPORTERS:
            module = _local(values, args[0], bound)
            if isinstance(module.const, str) and module.const.replace(".", "").replace("_", "").isalnum():
                return Value(name=canonical(imported(importer, module.const, len(args))), via="dynamic")
    elif node.type == "binary_operator" and node.child_by_field_name("operator").type == "+":
        left = _local(values, node.child_by_field_name("left"), bound).const
        right = _local(values, node.child_by_field_name("right"), bound).const
        if isinstance(left, str) and isinstance(right, str) and len(left) + len(right) <= 256:
            return Value(left + right)  # getattr(mod, prefix + "en"): a name built from a parameter
    elif node.type == "attribute":
        owner = node.child_by_field_name("object")
        if owner.type == "identifier" and owner.text.decode("utf-8", "replace") in bound:
            instance = bound[owner.text.decode("utf-8", "replace")].name or ""
            if instance.startswith("<class:") and instance.endswith(">()"):
                from .python_classattrs import class_level
                cls = values.defs.get(int(instance[len("<class:"):-3]))
                attr = node.child_by_field_name("attribute").text.decode("utf-8", "replace")
                found = class_level(values, cls, "", attr) if cls is not None else None
                if found is not None:
                    return found
    if node.type in _FOLDED and any(v.known for v in bound.values()):
        # parts = path.split("."); parts[1:]: an expression over the bound constants, folded with them
        from ..constants import NotConstant, evaluate
        try:
            return Value(evaluate(node, values, {k: v.const for k, v in bound.items() if v.known}))
        except NotConstant:
            pass
    return values.ev(node)


_FOLDED = frozenset(("call", "binary_operator", "subscript"))


def _sliced(container: Value, key, bound: dict, values) -> Value:
    """A known list or tuple cut by a slice of constant integers (`spec[2:]`, `parts[:-1]`)."""
    held = container.const
    if not isinstance(held, (list, tuple)):
        return Value()
    bounds, at = [None, None, None], 0
    for part in key.children:
        if part.type == ":":
            at += 1
        elif at < 3:
            bounds[at] = _local(values, part, bound).const
    if at > 2 or any(b is not None and not isinstance(b, int) for b in bounds) or bounds[2] == 0:
        return Value()
    return Value(held[slice(*bounds)])


def through_getattr_hook(values, cls, instance: Value, attr: str) -> Value | None:
    """`obj.attr` on an instance of a same-file class that does not define `attr` but resolves names in
    `__getattr__` (a lazy proxy over a table of modules): what the hook returns for "attr"."""
    from .python_classattrs import class_level
    from .python_selfattrs import method
    from .python_summaries import def_start

    if attr.startswith("__") or class_level(values, cls, "", attr) is not None:
        return None
    hook = method(values, cls, "__getattr__")
    function = values.defs.get(def_start(hook.name)) if hook is not None else None
    if function is None:
        return None
    found = through_wrapper(values, function, [instance, Value(attr)])
    return found if found is not None and found.name else None


def proxy_classes(root) -> list[bytes]:
    """Names of the module-level classes that define `__getattr__` (their instances' attributes are looked up)."""
    out = []
    for child in root.named_children:
        cls = child.child_by_field_name("definition") if child.type == "decorated_definition" else child
        if cls is None or cls.type != "class_definition" or b"__getattr__" not in cls.text:
            continue
        body = cls.child_by_field_name("body")
        for member in body.named_children if body is not None else ():
            function = member.child_by_field_name("definition") if member.type == "decorated_definition" else member
            if function is not None and function.type == "function_definition" and \
                    function.child_by_field_name("name").text == b"__getattr__":
                out.append(cls.child_by_field_name("name").text)
                break
    return out[:8]


def climb_from_class(adapter, cls_name: bytes) -> None:
    """Climb from each place a class is named: its instances, and the attribute calls made on them, become call
    sites (`lazy = Proxy()` then `lazy.runner(cmd)`)."""
    source, scopes = adapter.source, adapter.values.scopes
    pos, found = source.find(cls_name), 0
    while pos >= 0 and found < 16:
        end = pos + len(cls_name)
        if (not pos or not (source[pos - 1:pos].isalnum() or source[pos - 1] == 95)) and \
                not (source[end:end + 1].isalnum() or source[end:end + 1] == b"_"):
            node = scopes.locate(pos, end)
            if node is not None and node.type == "identifier" and node.parent is not None and \
                    node.parent.type != "class_definition":
                found += 1
                adapter._climb(node, 0, False)
        pos = source.find(cls_name, end)
