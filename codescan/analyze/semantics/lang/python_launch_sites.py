"""Where a same-file function is handed to a launcher (Thread target, executor, map, timer, callback): those launcher
calls are its call sites, with the arguments the launcher gives it."""
from __future__ import annotations

from ..facts import Value
from ..names import canonical
from .python_calls import callee_value
from .python_launchers import is_method, launcher_around, resolve, spec_for
from .python_param_calls import param_name, params_of


def sites_through_launchers(adapter, start: int) -> list:
    """(launcher call, argument Values) where the same-file function starting at `start` is handed to a launcher
    (`threading.Thread(target=worker, args=(u, d))` is a call of worker with u, d)."""
    values = adapter.values
    function = values.defs.get(start)
    if function is None:  # not evaluated by name yet (defs fill lazily): the definition starting there
        node = values.scopes.locate(start, start + 3)
        while node is not None and node.type not in ("function_definition", "lambda"):
            node = node.parent
        function = node if node is not None and node.start_byte == start else None
    if function is not None and function.type == "lambda":  # map(lambda c: run(c), [...]): the lambda is the argument
        call = launcher_around(function)
        if call is not None:
            return _launched(adapter, call, start, function)
        name = _lambda_name(function)  # send = lambda body: ...; map(send, bodies)
    elif function is not None and function.type == "function_definition":
        name = function.child_by_field_name("name").text
    else:
        return []
    if name is None:
        return []
    out = []
    for call in _launchers_of(values, adapter.source, name):
        if len(out) >= 8:
            break
        out.extend(_launched(adapter, call, start, function))
    return out


def _launchers_of(values, source: bytes, name: bytes) -> list:
    """The launcher calls each whole-word mention of `name` not followed by `(` is handed to, in file order; found
    once per name for every function of that name (150 methods named `get` each searched 3,000 `d.get(` again)."""
    table = values.__dict__.setdefault("_launchers_of", {})
    found = table.get(name)
    if found is None:
        found = table[name] = []
        pos = source.find(name)
        while pos >= 0:
            end = pos + len(name)
            if (not pos or not (source[pos - 1:pos].isalnum() or source[pos - 1] == 95)) and \
                    not (source[end:end + 1].isalnum() or source[end:end + 1] in (b"_", b"(")):
                call = launcher_around(values.scopes.locate(pos, end))
                if call is not None:
                    found.append(call)
            pos = source.find(name, pos + 1)
    return found


def _lambda_name(function):
    """The name a lambda is bound to by a plain assignment (`send = lambda b: ...`), else None."""
    parent = function.parent
    if parent is None or parent.type != "assignment" or parent.child_by_field_name("right") != function:
        return None
    left = parent.child_by_field_name("left")
    return left.text if left is not None and left.type == "identifier" else None


def _launched(adapter, call, start: int, function) -> list:
    """(call, argument Values, note) for each call launcher `call` makes of the function starting at `start`."""
    values = adapter.values
    callee = callee_value(values, call)
    cname = canonical(callee.name) if callee.name else None
    spec = spec_for(cname)
    if spec is None or cname == "functools.partial":
        return []
    out = []
    for launch in resolve(values, call, cname, spec, adapter._argument)[:4]:
        if launch.name != f"<def:{start}>":
            continue
        args = ([Value()] if is_method(function) else []) + list(launch.args)  # self
        names = [param_name(p)[0] for p in params_of(function)]  # keywords by parameter name
        for key, value in launch.kwargs:
            if key in names:
                i = names.index(key)
                args += [Value()] * (i + 1 - len(args)) if i >= len(args) else []
                args[i] = value
        out.append((call, args, launch.note))
    return out
