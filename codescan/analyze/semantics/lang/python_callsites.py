"""Python adapter: the call sites of a same-file function, where the summary of which parameters reach which
sinks is applied (a mixin of the adapter's per-file facts: it reads self.values, self.source and its two memos)."""
from __future__ import annotations

from ..facts import NOTHING, Call, Step
from .python_calls import arguments, callee_value
from .python_summaries import substitute
from .python_launch_sites import sites_through_launchers
from .python_param_calls import by_keyword, with_defaults, with_splat_params
from .python_defaults import built_default
from .python_aliases import aliases

MAX_CALLERS = 16  # call sites a function's summary is applied at
MAX_HOPS = 3  # functions a parameter is followed out through (caller of a caller...)
MAX_CALLER_FACTS = 64  # facts made at call sites per file
SITES_MEMO = True  # a function's call sites evaluated once per file (off: tests compare)


class CallSites:
    def _through_callers(self, calls: list) -> list:
        """A sink inside a function reached by its parameters: one fact per call site in the file,
        with the arguments passed there (a same-file summary of which parameters reach which sinks).
        A call site's arguments may be its own function's parameters: followed up to MAX_HOPS functions out."""
        out: list = []
        for _hop in range(MAX_HOPS):
            found = self._callers_once(calls)[:MAX_CALLER_FACTS - len(out)]
            if not found:
                break
            out.extend(found)
            calls = found
        return out

    def _callers_once(self, calls: list) -> list:
        out = []
        for call in calls:
            params = {lab for v in (*call.args, *(v for _k, v in call.kwargs)) for lab in v.labels
                      if lab.startswith("param:")}
            defs = {int(lab.split(":")[1]) for lab in params}
            for start in sorted(defs)[:4]:
                for site, arg_values, note in self._call_sites(start):
                    line = site.start_point[0] + 1
                    step = Step(line, note)
                    sub_args = tuple(substitute(v, start, arg_values, line) for v in call.args)
                    sub_kw = tuple((k, substitute(v, start, arg_values, line)) for k, v in call.kwargs)
                    out.append(Call(call.callee, sub_args, sub_kw, call.line, call.end_line, call.column,
                                    call.scope, call.via, call.receiver, (step, *call.trace)[:4],
                                    windows_only=call.windows_only, at_caller=True, discarded=call.discarded,
                                    stretched=call.stretched))
        return out

    def callers_of(self, start: int) -> list:
        """(scope, line, name) of each call site in the file of the function starting at byte `start`."""
        if start < 0:
            return []
        found = self._callers_memo.get(start)
        if found is None:
            found = []
            sites = [(site, node.text) for site, node, _function in self._site_nodes(start)]
            # threading.Thread(target=watch).start(): the launcher is where the function runs
            sites += [(call, call.child_by_field_name("function").text) for call, _args, _note
                      in sites_through_launchers(self, start)]
            for site, text in sites:
                scope = self.values.scopes.scope_of(site)
                found.append((-1 if scope is None else scope.start_byte, site.start_point[0] + 1,
                              text.decode("utf-8", "replace")))
            self._callers_memo[start] = found
        return found

    def _call_sites(self, start: int):
        """(call, argument Values, note) at each call site of the function starting at `start`, once per file: every
        sink reached by its parameters, and every hop out, asks again. The same list each time: these run after the
        candidates, at no nesting, and what they evaluate is memoized (a value past the file's evaluation cap is
        NOTHING each time)."""
        found = self._sites_memo.get(start) if SITES_MEMO else None
        if found is None:
            found = self._sites_memo[start] = self._call_sites_now(start)
        return found

    def _call_sites_now(self, start: int):
        values = self.values
        found = sites_through_launchers(self, start)  # Thread(target=worker, args=(...)): a call of worker
        for parent, node, function in self._site_nodes(start):
            args, keywords = arguments(parent)
            # hash_password(pw, algo=DIGEST) calling _digest(pw, algo): the disguised default is what is passed
            arg_values = [built_default(values, a) or values.ev(a) for a in args]
            if _constructed(function) is not None:  # Job(cmd) runs Job.__init__(self, cmd): the new object is self
                arg_values = [NOTHING, *arg_values]
            elif node.type == "attribute" and _is_method(function):
                arg_values = [values.ev(node.child_by_field_name("object")), *arg_values]
            if keywords:  # request(url=u, data=body): each keyword fills the parameter of that name
                arg_values = by_keyword(values, function, arg_values, keywords)
            arg_values = with_defaults(values, function, arg_values, keywords)  # post(u): check=False there
            if function.type == "function_definition":  # send(**os.environ) into def send(**kw)
                arg_values = with_splat_params(values, parent, function, arg_values, keywords)
            found.append((parent, arg_values, "called here with data that reaches the call below"))
        return found

    def _site_nodes(self, start: int) -> list:
        """(call, callee node, function) for each call in the file of the function starting at `start`."""
        values = self.values
        function = values.defs.get(start)
        if function is None:
            node = values.scopes.locate(start, start + 3)
            while node is not None and node.type not in ("function_definition", "lambda"):
                node = node.parent
            function = node
        if function is None:
            return []
        if function.type == "lambda":  # `f = lambda c: ...` / `self.fn = lambda c: ...`: called by that name
            holder = function.parent
            if holder is not None and holder.type == "pair":  # OPS = {"sh": lambda c: ...}: OPS[key](...)
                return _table_sites(values, function, holder)
            target = holder.child_by_field_name("left") if holder is not None and holder.type == "assignment" else None
            if target is None or target.type not in ("identifier", "attribute"):
                return []
            name = (target if target.type == "identifier" else target.child_by_field_name("attribute")).text
        elif function.type == "function_definition":
            name = function.child_by_field_name("name").text
        else:
            return []
        cls = _constructed(function)
        if cls is not None:  # __init__ runs where the class is called: Job(request.form["cmd"])
            calls = _calls_named(values, self.source, cls.child_by_field_name("name").text,
                                 f"<class:{cls.start_byte}>", MAX_CALLERS)
            return [(parent, node, function) for parent, node in calls]
        calls = _calls_named(values, self.source, name, f"<def:{start}>", MAX_CALLERS)
        found = [(parent, node, function) for parent, node in calls]
        if function.type == "function_definition":  # ACTIONS = {"run": run_shell}: ACTIONS[verb](arg)
            found = (_held_in_tables(values, function, name) + found)[:MAX_CALLERS]
            for alias in aliases(values, function, name):  # g = helper; run = make_runner(): g(x), run(x)
                if len(found) >= MAX_CALLERS:
                    break
                found += [(parent, node, function) for parent, node in
                          _calls_named(values, self.source, alias, f"<def:{start}>", MAX_CALLERS - len(found))]
        return found


class _NamedCalls:
    """The calls `name(...)` / `x.name(...)` of a file by their callee's name, resolved in file order as far as some
    function of that name has asked, once for all of them: 150 methods named `get` in a file of 3,000 `d.get(k)`
    calls resolved all 3,000 callees again for each method (450,000 resolutions, 10 s on 50 KB)."""

    def __init__(self, values, source: bytes, name: bytes):
        self.values, self.name = values, name
        self.offsets = _called_at(source, name)
        self.by_callee: dict[str | None, list] = {}
        self.done = False

    def more(self) -> None:
        """Resolve the next call of the name (done when there is none left)."""
        values, name = self.values, self.name
        for at in self.offsets:
            node = values.scopes.locate(at, at + len(name))
            if node is None or node.type != "identifier":
                continue
            parent = node.parent
            if parent.type == "attribute":
                node, parent = parent, parent.parent
            if parent is None or parent.type != "call" or parent.child_by_field_name("function") != node:
                continue
            self.by_callee.setdefault(callee_value(values, parent).name, []).append((parent, node))
            return
        self.done = True


def _calls_named(values, source: bytes, name: bytes, callee: str, limit: int) -> list:
    """(call, callee node) of the first `limit` calls of `name` in the file whose callee is `callee`."""
    table = values.__dict__.setdefault("_named_calls", {})
    calls = table.get(name)
    if calls is None:
        calls = table[name] = _NamedCalls(values, source, name)
    while not calls.done and len(calls.by_callee.get(callee, ())) < limit:
        calls.more()
    return calls.by_callee.get(callee, [])[:limit]


def _table_sites(values, function, pair) -> list:
    """Calls of a lambda held in a dictionary bound to a name: `TABLE[key](...)` and `TABLE.get(key)(...)`. The key
    is often not known here (a command-and-control loop dispatching on a task's name): every lambda of the table
    may run with those arguments. The table's reads come from the scope index (whole-word uses, at most 64 looked
    at), found once per table for all its lambdas: a text search for the name looked at every occurrence of its
    letters for every lambda (3,000 lambdas in a table named `T`, 340 KB: past five minutes)."""
    table = pair.parent
    holder = table.parent if table is not None and table.type == "dictionary" else None
    target = holder.child_by_field_name("left") if holder is not None and holder.type == "assignment" else None
    if target is None or target.type != "identifier" or holder.child_by_field_name("right") != table:
        return []
    known = values.__dict__.setdefault("_table_calls", {})
    calls = known.get(holder.id)
    if calls is None:
        calls = known[holder.id] = _table_calls(values, target.text.decode("utf-8", "replace"))
    return [(call, picked, function) for call, picked in calls]


def _held_in_tables(values, function, name: bytes) -> list:
    """Calls of a same-file function held in a dictionary bound to a name (`TABLE = {"sh": run_shell}`): every
    `TABLE[key](...)` / `TABLE.get(key)(...)` may run it. Only when the name is a dictionary value somewhere: the
    text is searched for `: name` first."""
    if b": " + name not in values.source and b":" + name not in values.source:
        return []
    text = name.decode("utf-8", "replace")
    values.scopes.index(text)
    found = []
    for node in values.scopes.uses.get(text, ())[:64]:
        pair = node.parent
        if pair is not None and pair.type == "pair" and pair.child_by_field_name("value") == node:
            found.extend(_table_sites(values, function, pair))
            if len(found) >= MAX_CALLERS:
                break
    return found[:MAX_CALLERS]


def _table_calls(values, name: str) -> list:
    """(call, subscript or .get call) of each `name[key](...)` / `name.get(key)(...)` among the name's uses, and of
    a pick bound to a local first (`handler = name.get(verb)`, then `handler(arg)` in the same function)."""
    scopes = values.scopes
    scopes.index(name)
    found = []
    for node in scopes.uses.get(name, ())[:64]:
        picked = node.parent
        if picked is not None and picked.type == "attribute" and picked.child_by_field_name("attribute").text == b"get":
            picked = picked.parent  # TABLE.get(key)
            if picked is None or picked.type != "call":
                continue
        elif picked is None or picked.type != "subscript" or picked.child_by_field_name("value") != node:
            continue
        call = picked.parent
        if call is not None and call.type == "call" and call.child_by_field_name("function") == picked:
            found.append((call, picked))
        elif call is not None and call.type == "assignment" and call.child_by_field_name("right") == picked:
            found.extend((site, picked) for site in _calls_of_local(values, call))
        if len(found) >= MAX_CALLERS:
            break
    return found[:MAX_CALLERS]


def _calls_of_local(values, assignment) -> list:
    """The calls `h(...)` of the local `h` an assignment `h = <picked>` binds, in the same function after it."""
    target = assignment.child_by_field_name("left")
    if target is None or target.type != "identifier":
        return []
    local = target.text.decode("utf-8", "replace")
    scopes = values.scopes
    scope = scopes.scope_of(assignment)
    scopes.index(local)
    found = []
    for use in scopes.uses.get(local, ())[:64]:
        call = use.parent
        if use.start_byte > assignment.end_byte and call is not None and call.type == "call" and \
                call.child_by_field_name("function") == use and scopes.scope_of(use) == scope:
            found.append(call)
    return found[:4]


def _called_at(source: bytes, name: bytes):
    r"""Offsets where `name` is followed by `(` (spaces between allowed) and not preceded by a word character:
    the matches of `(?<![\w])name\s*\(` found with bytes.find (a regex compiled per function name, whose
    leading look-behind makes it try every offset, cost more than the call sites' evaluation)."""
    size = len(name)
    if not size:
        return
    pos = source.find(name)
    while pos >= 0:
        if not pos or not (source[pos - 1:pos].isalnum() or source[pos - 1] == 95):  # 95: `_`
            end = pos + size
            while source[end:end + 1].isspace():
                end += 1
            if source[end:end + 1] == b"(":
                yield pos
        pos = source.find(name, pos + 1)


def _constructed(function):
    """The class whose `__init__` this function is (its calls are the class's calls), else None."""
    if function.type != "function_definition" or function.child_by_field_name("name").text != b"__init__" or \
            not _is_method(function):
        return None
    cls = function.parent
    while cls is not None and cls.type != "class_definition":
        cls = cls.parent
    return cls if cls is not None and cls.child_by_field_name("name") is not None else None


def _is_method(function) -> bool:
    from .python_summaries import _is_method as check
    return check(function)
