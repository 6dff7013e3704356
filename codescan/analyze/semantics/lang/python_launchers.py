"""Calls made through higher-order functions: Thread/Process targets, executors, partial, map, timers, atexit,
callbacks; the function that runs and the arguments it is given, mapped from args=/kwargs=/the rest."""
from __future__ import annotations

from dataclasses import dataclass

from ..constants import UNKNOWN
from ..facts import SPLAT, Step, Value
from ..names import canonical
from .python_calls import arguments, callee_value
from .python_summaries import def_start
from .python_param_calls import Launch, through_parameter


@dataclass(frozen=True, slots=True)
class Spec:
    """Where a launcher holds the function, and where the arguments it passes it come from."""

    fn: tuple  # (position, keyword) of the function
    args: tuple | None = None  # (position, keyword) of a sequence of positional arguments
    kwargs: tuple | None = None  # (position, keyword) of a mapping of keyword arguments
    rest: int | None = None  # positional arguments from here on (and the call's keywords) are the function's
    each: int | None = None  # iterables from here on: the function is called with one item of each
    star: bool = False  # each item is itself the argument tuple (starmap)
    role: str = "target"


_THREAD = Spec((1, "target"), (3, "args"), (4, "kwargs"))
BY_NAME = {
    "threading.Thread": _THREAD, "multiprocessing.Process": _THREAD, "multiprocessing.context.Process": _THREAD,
    "threading.Timer": Spec((1, "function"), (2, "args"), (3, "kwargs"), role="function"),
    "atexit.register": Spec((0, "func"), rest=1, role="handler"),
    "asyncio.to_thread": Spec((0, "func"), rest=1, role="function"),
    "builtins.map": Spec((0, None), each=1, role="function"),
    "functools.partial": Spec((0, "func"), rest=1, role="function"),
    # requests.Session.request = partialmethod(requests.Session.request, verify=False): every later call gets it
    "functools.partialmethod": Spec((0, "func"), rest=1, role="function"),
    "signal.signal": Spec((1, "handler"), role="handler"),
    # operator.call(f, *args, **kwargs) (3.11): f(*args, **kwargs) under another name
    "operator.call": Spec((0, None), rest=1, role="function"),
}
BY_METHOD = {  # methods of executors, pools, event loops and schedulers, whatever the receiver is
    "submit": Spec((0, "fn"), rest=1, role="function"),
    "map": Spec((0, "fn"), each=1, role="function"),
    "imap": Spec((0, "func"), each=1, role="function"),
    "imap_unordered": Spec((0, "func"), each=1, role="function"),
    "map_async": Spec((0, "func"), each=1, role="function"),
    "starmap": Spec((0, "func"), each=1, star=True, role="function"),
    "apply_async": Spec((0, "func"), (1, "args"), (2, "kwds"), role="function"),
    "apply": Spec((0, "func"), (1, "args"), (2, "kwds"), role="function"),
    "run_in_executor": Spec((1, None), rest=2, role="function"),
    "call_soon": Spec((0, None), rest=1, role="callback"),
    "call_soon_threadsafe": Spec((0, None), rest=1, role="callback"),
    "call_later": Spec((1, None), rest=2, role="callback"),
    "call_at": Spec((1, None), rest=2, role="callback"),
    "enter": Spec((2, "action"), (3, "argument"), (4, "kwargs"), role="action"),
    "enterabs": Spec((2, "action"), (3, "argument"), (4, "kwargs"), role="action"),
}
# words a launcher's callee ends with: a call whose callee text ends otherwise is not examined (cheap gate)
WORDS = frozenset({"Thread", "Process", "Timer", "register", "to_thread", "map", "partial", "partialmethod", "signal", "call",
                   *BY_METHOD})
MAX_ITEMS = 4  # items of a literal iterable given to map() turned into one call each
MAX_USES = 16  # calls of a name bound to functools.partial(...)


def spec_for(name: str | None) -> Spec | None:
    if not name:
        return None
    found = BY_NAME.get(name)
    if found is None and "." in name and not name.startswith("builtins."):
        found = BY_METHOD.get(name.rsplit(".", 1)[1])
    return found


def maybe_launcher(call) -> bool:
    """Cheap: whether the callee's last word is one a launcher ends with."""
    fn = call.child_by_field_name("function")
    if fn is None:
        return False
    if fn.type == "attribute":
        fn = fn.child_by_field_name("attribute")
    return fn.type == "identifier" and fn.text.decode("utf-8", "replace") in WORDS


def _slot(args, keywords, where):
    position, keyword = where
    if keyword is not None:
        for k, v in keywords:
            if k == keyword:
                return v
    return args[position] if position is not None and position < len(args) else None


def _follow(values, node, depth: int = 0):
    """A name bound once by a plain assignment stands for the assigned expression (args=(u, d) held in a name)."""
    while node is not None and node.type == "identifier" and depth < 3:
        entries = values.scopes.entries(node)
        if not entries or len(entries) != 1 or entries[0][0] != "assign":
            return node
        node = entries[0][1]
        depth += 1
    return node


def _sequence(values, node, ev) -> list[Value]:
    node = _follow(values, node)
    if node is None:
        return []
    if node.type in ("tuple", "list"):
        return [ev(c) for c in node.named_children if c.type != "comment"]
    if node.type == "parenthesized_expression" and node.named_children:
        return [ev(node.named_children[0])]
    held = values.ev(node)  # a sequence not written here: every position may hold its data
    return [Value(UNKNOWN, held.labels, None, None, held.trace)] if held.labels else []


def _mapping(values, node, ev) -> list[tuple[str, Value, int]]:
    node = _follow(values, node)
    if node is None:
        return []
    line = node.start_point[0] + 1
    if node.type == "dictionary":
        out = []
        for pair in node.named_children:
            if pair.type != "pair":
                continue
            key = values.ev(pair.child_by_field_name("key"))
            if isinstance(key.const, str):
                out.append((key.const, ev(pair.child_by_field_name("value")), pair.start_point[0] + 1))
        return out
    if node.type == "call":
        callee = callee_value(values, node)
        if callee.name == "builtins.dict":
            _args, keywords = arguments(node)
            return [(k, ev(v), v.start_point[0] + 1) for k, v in keywords]
    held = values.ev(node)
    return [(SPLAT, Value(UNKNOWN, held.labels, None, None, held.trace), line)] if held.labels else \
        [(SPLAT, Value(), line)]


def _items(values, node, ev) -> list[Value]:
    """What one item of an iterable given to map() may be: each item of a literal, else the iterable's data."""
    node = _follow(values, node)
    if node is None:
        return [Value()]
    if node.type in ("list", "tuple", "set") and node.named_children:
        return [ev(c) for c in node.named_children if c.type != "comment"][:MAX_ITEMS]
    held = values.ev(node)
    if isinstance(held.const, (list, tuple)) and held.const and not held.labels:
        return [Value(c) for c in held.const[:MAX_ITEMS] if isinstance(c, (str, bytes, int))] or [Value()]
    return [Value(UNKNOWN, held.labels, None, None, held.trace)]


def resolve(values, call, name: str, spec: Spec, ev) -> list[Launch]:
    """The calls launcher `call` (callee `name`) makes of its function, one per map() item combination."""
    args, keywords = arguments(call)
    fn_node = _slot(args, keywords, spec.fn)
    if fn_node is None:
        return []
    pre, pre_kw = [], []
    if fn_node.type == "call" and canonical(callee_value(values, fn_node).name) == "functools.partial":
        inner, inner_kw = arguments(fn_node)  # Thread(target=partial(os.system, cmd)): the bound arguments first
        if not inner:
            return []
        fn_node, pre, pre_kw = inner[0], [ev(a) for a in inner[1:]], [(k, ev(v)) for k, v in inner_kw]
    fn = callee_of(values, fn_node)
    line = call.start_point[0] + 1
    short = name[len("builtins."):] if name.startswith("builtins.") else name
    note = f"called through {short} {spec.role}"
    if spec.each is not None:
        lists = [_items(values, a, ev) for a in args[spec.each:spec.each + 4]]
        out = []
        for i in range(max((len(x) for x in lists), default=0)):
            row = [x[min(i, len(x) - 1)] for x in lists]
            if spec.star and len(row) == 1:
                row = [row[0]] * 3  # an argument tuple not known item by item: its data in each position
            out.append(Launch(fn.name, fn.via, fn_node, [*pre, *row], list(pre_kw), [line] * len(pre_kw), note))
        return out
    pos, kws, lines = [], [], []
    if spec.rest is not None:
        for a in args[spec.rest:]:
            if a.type == "list_splat" and a.named_children:
                pos.extend(_sequence(values, a.named_children[0], ev) or [Value()])
            else:
                pos.append(ev(a))
        if spec.fn[1] is None or all(k != spec.fn[1] for k, _v in keywords):
            kws = [(k, ev(v)) for k, v in keywords]
            lines = [v.start_point[0] + 1 for _k, v in keywords]
    else:
        if spec.args is not None:
            node = _slot(args, keywords, spec.args)
            pos = _sequence(values, node, ev) if node is not None else []
        if spec.kwargs is not None:
            node = _slot(args, keywords, spec.kwargs)
            for key, value, at in (_mapping(values, node, ev) if node is not None else []):
                kws.append((key, value))
                lines.append(at)
    return [Launch(fn.name, fn.via, fn_node, [*pre, *pos], [*pre_kw, *kws], [line] * len(pre_kw) + lines, note)]


def callee_of(values, node) -> Value:
    """The function a launcher is given (a name, an attribute, getattr(...), a partial already applied)."""
    if node.type == "call":
        from .python_calls import built_name
        built = built_name(values, node)
        if built is not None:
            return built
    return values.ev(node)


def partial_sites(values, call) -> list:
    """(site call node, line) for each call of the partial object `call` makes: `partial(f, a)(b)` or
    `g = partial(f, a); g(b)`."""
    parent = call.parent
    if parent is None:
        return []
    if parent.type == "call" and parent.child_by_field_name("function") == call:
        return [parent]
    if parent.type == "assignment" and parent.child_by_field_name("right") == call:
        left = parent.child_by_field_name("left")
        if left is None or left.type != "identifier":
            return []
        name = left.text.decode("utf-8", "replace")
        values.scopes.index(name)
        out = []
        for use in values.scopes.uses.get(name, ())[:64]:
            up = use.parent
            if up is not None and up.type == "call" and up.child_by_field_name("function") == use:
                out.append(up)
                if len(out) >= MAX_USES:
                    break
        return out
    return []


def through_partial(values, call, launch: Launch, ev) -> list[tuple]:
    """(site, Launch) for each call of a partial: the bound arguments first, then the site's."""
    out = []
    for site in partial_sites(values, call):
        args, keywords = arguments(site)
        pos = [*launch.args, *(ev(a) for a in args)]
        kws = [*launch.kwargs, *((k, ev(v)) for k, v in keywords)]
        lines = [*launch.kwlines, *(v.start_point[0] + 1 for _k, v in keywords)]
        out.append((site, Launch(launch.name, launch.via, launch.fn_node, pos, kws, lines,
                                 f"called through functools.partial bound at line {call.start_point[0] + 1}")))
    return out


# -- facts ------------------------------------------------------------------------------------------

def launch_facts(adapter, items) -> list:
    """Call facts for the wanted functions handed to launchers, partials and same-file helpers."""
    values, ev = adapter.values, adapter._argument
    out: list = []
    for call, arg_node in items:
        callee = callee_value(values, call)
        name = canonical(callee.name) if callee.name else None
        spec = spec_for(name)
        if spec is not None:
            launches = resolve(values, call, name, spec, ev)
            if name == "functools.partial":
                pairs = [pair for launch in launches for pair in through_partial(values, call, launch, ev)]
                outer = launcher_around(call)  # Thread(target=partial(os.system, cmd)): the launcher runs it
                if outer is not None:
                    outer_name = canonical(callee_value(values, outer).name)
                    outer_spec = spec_for(outer_name)
                    if outer_spec is not None and outer_name != "functools.partial":
                        pairs += [(outer, launch) for launch in resolve(values, outer, outer_name, outer_spec, ev)]
            else:
                pairs = [(call, launch) for launch in launches]
            out.extend(f for site, launch in pairs if (f := _fact(adapter, site, launch, ())) is not None)
        elif def_start(callee.name) is not None or applied_lambda(call) is not None:
            function = applied_lambda(call) or values.defs.get(def_start(callee.name))
            if function is None:
                continue
            fn = call.child_by_field_name("function")
            method = fn.type == "attribute" and is_method(function)
            target = callee_of(values, arg_node)
            if not target.name or not adapter.wanted.wants(canonical(target.name)):
                continue
            for inner, launch in through_parameter(values, call, arg_node, function, ev, method):
                launch.name, launch.via = target.name, target.via
                step = Step(inner.start_point[0] + 1, f"the parameter holding {target.name} is called here")
                fact = _fact(adapter, call, launch, (step,))
                if fact is not None:
                    out.append(fact)
        if len(out) >= 64:
            break
    return out


def applied_lambda(call):
    """The lambda a call applies where it is written, `(lambda f, x: f(x))(eval, src)`, else None."""
    fn = call.child_by_field_name("function")
    while fn is not None and fn.type == "parenthesized_expression" and fn.named_child_count == 1:
        fn = fn.named_children[0]
    return fn if fn is not None and fn.type == "lambda" else None


def _fact(adapter, site, launch: Launch, extra: tuple):
    from ..facts import Call
    name = canonical(launch.name) if launch.name else None
    if not name or not adapter.wanted.wants(name):
        return None
    line = site.start_point[0] + 1
    scope = adapter.values.scopes.scope_of(site)
    return Call(callee=name, args=tuple(launch.args), kwargs=tuple(launch.kwargs), line=line,
                end_line=site.end_point[0] + 1, column=site.start_point[1] + 1,
                scope=-1 if scope is None else scope.start_byte, via=launch.via, receiver=None,
                trace=(Step(line, launch.note), *extra), kwlines=tuple(launch.kwlines))


def launcher_around(node):
    if node is None or node.type not in ("identifier", "attribute", "call", "lambda"):
        return None
    parent = node.parent
    if parent is not None and parent.type == "attribute" and parent.child_by_field_name("attribute") == node:
        node, parent = parent, parent.parent  # self.worker
    if parent is not None and parent.type == "keyword_argument":
        parent = parent.parent
    if parent is None or parent.type != "argument_list" or parent.parent is None:
        return None
    call = parent.parent
    return call if call.type == "call" and maybe_launcher(call) else None


def is_method(function) -> bool:
    from .python_summaries import _is_method as check
    return check(function)
