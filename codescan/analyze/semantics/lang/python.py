"""The Python adapter: the calls of one parsed file that fact rules may need, as Call facts.

Demand-driven: call sites are found near the tokens the rules' callees end with (and near the
builtins that build names at run time), then only their callees and arguments are evaluated."""
from __future__ import annotations

from itertools import islice

from ... import disguise
from ...budget import Budget
from ...rule_gate import presence_of

from ...treesitter import Deadline
from ..constants import UNKNOWN, Name
from ..facts import NOTHING, SPLAT, Call, Facts, Value
from ..names import canonical
from .auth_gates import gates, possible as compare_possible  # noqa: F401 (the engine's gate)
from .python_downloads import linked, runs
from .python_intercepts import forwarded
from .python_calls import arguments, callee_value
from .python_callsites import CallSites
from .python_candidates import CandidateClimb
from .python_launchers import launch_facts
from .python_methodcaller import methodcaller_call
from .python_platform import windows_only
from .python_discard import discarded_after
from .python_stretch import stretched
from .python_route_returns import route_returns
from .python_dead_words import code_words, dead_words_for
from .python_heads import Heads, needed_for, no_wanted_head
from .python_skip import cannot_be_wanted, skips_for
from .python_values import shared
from .python_setattr import setattr_facts
from .python_tls_sets import tls_sets
from .python_reflect_wrappers import climb_from_class, proxy_classes
from .python_stdin import fed_input
from .python_defaults import built_default

DYNAMIC = (b"getattr", b"__import__", b"import_module", b"globals", b"locals", b"vars", b"__builtins__",
           b"modules", b"__getattribute__", b"__dict__", b"eval", b"methodcaller", b"attrgetter", b"setattr")
_DYNAMIC_WORDS = frozenset(DYNAMIC)
DEAD_WORDS = True  # skip the words no wanted name can end with in this file (off: for tests comparing both)
# `len(getattr(o, n))`: a call met only as the one a name-building call is an argument of, whose callee is a plain
# name or attribute, is not evaluated (its last word is not wanted, else that word's own climb met it too)
SKIP_ENCLOSING = True
MAX_CANDIDATES = 2_000  # call sites examined per file


ARG_NEEDS = True  # facts() takes the engine's ArgNeeds: only the arguments some rule reads are evaluated


def facts(source: bytes, tree, wanted, deadline: Budget | None, needs=None) -> Facts:
    return _PythonFacts(source, tree, wanted, deadline, needs).run()


_COMMAND_FACTORIES = frozenset(("plumbum.local", "plumbum.machines.local"))

class _PythonFacts(CallSites, CandidateClimb):
    def __init__(self, source: bytes, tree, wanted, deadline, needs=None):
        self.source = source
        self.needs = needs  # semantics.arg_needs.ArgNeeds, or None: every argument of a wanted call is evaluated
        self.values = shared(source, tree.root_node, deadline)
        self.wanted = wanted
        self.deadline = deadline
        self.candidates: dict[int, object] = {}
        self.launches: dict[int, tuple] = {}  # call id -> (call, argument node): a wanted name handed to a call
        self._aliases: dict[str, tuple] = {}  # name -> (its uses were climbed from a live word, depth)
        self._attribute_climbs: dict[tuple, bool] = {}  # (method name, depth) -> its uses were climbed from a live word
        self._live = True  # the word being climbed from can end a wanted name in this file
        self.live: set[int] | None = None  # ids of candidates reached from live words (None: all are)
        self.enclosing: set[int] = set()  # ids of candidates met only as a call an argument climbed into
        self._callers_memo: dict[int, list] = {}
        self._sites_memo: dict[int, list] = {}  # function start -> its call sites (python_callsites)

    def run(self) -> Facts:
        out = Facts("python")
        scopes = self.values.scopes
        pattern = self.wanted.token_regex(DYNAMIC)
        dead = dead_words_for(self.wanted).for_file(presence_of(self.source).word_set(),
                                                    code_words(self.source, scopes)) if DEAD_WORDS else None
        if dead is not None:
            self.live = set()
        for match in islice(pattern.finditer(self.source), MAX_CANDIDATES * 4 + 1):
            node = scopes.locate(match.start(), match.end())
            if node is not None and node.type == "identifier":
                word = match.group()
                # `x.get()` in a file naming no module whose `get` a rule wants: climbed (candidates keep the
                # order they are met in) but not evaluated unless a live word reaches it too
                self._live = dead is None or word in _DYNAMIC_WORDS or not dead(word)
                self._climb(node, 0, word in _DYNAMIC_WORDS)
        if b"__getattr__" in self.source:  # lazy = Proxy(); lazy.runner(cmd): the hook names what runs
            self._live = True
            for cls_name in proxy_classes(self.values.root):
                climb_from_class(self, cls_name)
        for name, places in scopes.imports.items():
            for _scope, target in places:
                last = target.rsplit(".", 1)[-1] if target else None
                if last and ((last != name and self.wanted.token_full(last)) or target in _COMMAND_FACTORIES or
                             (last not in self.wanted._words and self.wanted.wants(canonical(target)))):
                    # an alias, a name whose callee only a wildcard pattern wants (`from plumbum.cmd import bash`
                    # for plumbum.cmd.*: the word is no token), or plumbum's `local` (local["sh"] is a command)
                    self._live = dead is None or not dead(last.encode())
                    self._alias_uses(name, 0)
        skips = skips_for(self.wanted)
        skipping = skips.file_allows(self.source, scopes)
        needed, heads = needed_for(self.wanted), Heads(self.values)
        live = self.live
        for i, node in enumerate(list(self.candidates.values())[:MAX_CANDIDATES]):
            if self.deadline is not None and not i % 32 and self.deadline.expired():
                raise Deadline()
            if live is not None and node.id not in live:
                continue  # met only from words no wanted name here can end with
            if node.id in self.enclosing and SKIP_ENCLOSING and \
                    node.child_by_field_name("function").type in ("identifier", "attribute"):
                continue  # print(getattr(o, n)): what print names does not depend on its argument
            if node.child_by_field_name("function").text == b"setattr":
                out.calls.extend(setattr_facts(self, node))  # setattr(s, "verify", False): s's verify set
                continue
            applied = methodcaller_call(self.values, node)
            if applied is not None:  # methodcaller("system", cmd)(os): os.system(cmd), named at run time
                call = self._fact(node, applied[0], "dynamic", applied[1], applied[2])
                if call is not None:
                    out.calls.append(call)
                continue
            if skipping and cannot_be_wanted(skips, self.source, node):
                continue  # `d.copy()` in a file naming no wanted module: no callee any rule wants
            if no_wanted_head(needed, heads, node):
                continue  # `d.get(k)` where d is a local dict: no pattern ending in `.get` can name it
            callee = callee_value(self.values, node)
            names = [callee.name] if callee.name else [c.name for c in callee.choices[:8] if c.name]
            via = callee.via if callee.name else "table"
            if not names:
                names, via = self._data_method(node), None
            for name in names:  # HANDLERS[kind](x): a call of every function the table holds
                call = self._fact(node, name, via)
                if call is not None:
                    out.calls.append(call)
        if self.launches:
            out.calls.extend(launch_facts(self, list(self.launches.values())[:MAX_CANDIDATES // 8]))
        out.calls.extend(tls_sets(self))  # ctx.verify_mode = _policy(): the context's attribute set, a fact
        out.calls.extend(self._through_callers(out.calls))
        out.calls.extend(gates(self.source, self.values.root, self.values, "python", self.wanted.wants))
        out.calls.extend(route_returns(self.source, self.values.root, self.values, self.wanted.wants))
        out.callers = self.callers_of
        return out

    def _data_method(self, node) -> list:
        """`x.chmod(...)` where `x` holds data but names nothing (`Path(tmp) / "a"` written with a download):
        the method of an unnamed object that carries labels, as `<data>.chmod` (rules name it `**.chmod`)."""
        fn = node.child_by_field_name("function")
        if fn is None or fn.type != "attribute":
            return []
        method = fn.child_by_field_name("attribute").text.decode("utf-8", "replace")
        if not self.wanted.token_full(method) or not self.values.ev(fn.child_by_field_name("object")).labels:
            return []
        return ["<data>." + method]

    # -- facts ---------------------------------------------------------------------------
    def _fact(self, node, callee_name: str, via: str | None, bound=None, bound_kw=()) -> Call | None:
        name = canonical(callee_name)
        if not name or not self.wanted.wants(name):
            return None
        need = self.needs.of(name) if self.needs is not None else None
        if need is None and self.needs is not None:
            return None  # no rule can match a call of this callee (every case names other callees)
        values = self.values
        args, keywords = arguments(node) if bound is None else (bound, bound_kw)
        fn = node.child_by_field_name("function")
        receiver = values.ev(fn.child_by_field_name("object")) if fn.type == "attribute" and (
            need is None or need.receiver) else None
        scope = self.values.scopes.scope_of(node)
        # an argument no rule reads keeps its place (presence tests) with no value
        kwargs = [(k, self._argument(v) if need is None or need.keyword(k) else NOTHING) for k, v in keywords]
        kwlines = [v.start_point[0] + 1 for _k, v in keywords]
        for splat in _dict_splats(node):  # requests.get(u, **{"verify": False}) / **options
            held = values.ev(splat)
            if isinstance(held.const, dict):
                for key, item in list(held.const.items())[:32]:
                    if isinstance(key, str) and item is not UNKNOWN:
                        kwargs.append((key, Value(name=canonical(item.dotted)) if isinstance(item, Name) else Value(item)))
                        kwlines.append(splat.start_point[0] + 1)
            else:  # entries not known here: any keyword may be given (`Loader` is not known to be absent)
                kwargs.append((SPLAT, Value()))
                kwlines.append(splat.start_point[0] + 1)
        if name in _FED_PROCESSES and bound is None and not any(k == "input" for k, _v in keywords):
            fed = fed_input(values, node, name == "os.popen")  # Popen(..).communicate(x): x is its input=
            if fed is not None:
                kwargs.append(("input", fed[0]))
                kwlines.append(fed[1])
        environment = _environment_at(name, len(args))  # os.execve(path, argv, env): env is not the command
        given = [self._argument(a) if (need is None or need.position(i)) and i != environment else NOTHING
                 for i, a in enumerate(args)]
        if given and runs(name):  # os.system("/tmp/.a") after urlretrieve(url, "/tmp/.a")
            given[0] = linked(values, name, node, given[0])
        given = forwarded(values, name, scope, given)  # real_send(self, request) inside the send installed for it
        return Call(callee=name, args=tuple(given), kwargs=tuple(kwargs),
                    line=node.start_point[0] + 1, end_line=node.end_point[0] + 1, column=node.start_point[1] + 1,
                    scope=-1 if scope is None else scope.start_byte, via=via, receiver=receiver,
                    kwlines=tuple(kwlines), windows_only=windows_only(node),
                    discarded=name.endswith("chmod") and discarded_after(node),
                    stretched=name.startswith("hashlib.") and stretched(node))

    def _argument(self, node) -> Value:
        """An argument's value; a constant text assembled at run time ("md" + "5", a loop, a helper) is
        marked `via="built"` (rules may ask whether a choice was disguised)."""
        value = self.values.ev(node)
        if not value.known and (held := built_default(self.values, node)) is not None:
            return held  # def hash_password(pw, algo="md" + "5"): hashlib.new(algo) runs the disguised default
        if value.via is None and isinstance(value.const, (str, bytes, tuple, list)):
            built = _assembled(self.values, node, 0)
            if built is not None:
                # spelled to hide the constant ('0.0' + '.0.0', 'abc'[:0]) rather than computed (a default, a helper)
                text = built.text[:400].decode("utf-8", "replace")
                via = "disguised" if disguise.disguised_line(text) else "built"
                return Value(value.const, value.labels, value.name, via, value.trace)
        return value


def _environment_at(name: str, given: int) -> int:
    """The position of the environment mapping a process is started with (os.execve/execle/spawnve/..: the last
    argument; os.posix_spawn(path, argv, env): the third), -1 when the call takes none."""
    if name.startswith(("os.exec", "os.spawn")) and name.endswith("e") and given >= 3:
        return given - 1
    if name in ("os.posix_spawn", "os.posix_spawnp") and given >= 3:
        return 2
    return -1


_FED_PROCESSES = frozenset({"subprocess.Popen", "asyncio.create_subprocess_exec", "asyncio.create_subprocess_shell",
                            "os.popen"})  # (os.popen(cmd, "w"): what is written to the pipe is the input)


def _dict_splats(call) -> list:
    args = call.child_by_field_name("arguments")
    if args is None or args.type != "argument_list":
        return []
    return [c.named_children[0] for c in args.named_children if c.type == "dictionary_splat" and c.named_children]


def _assembled(values, node, depth: int):
    """The expression that computes a constant text rather than writing it out (following plain
    assignments), or None."""
    kind = node.type
    if kind == "string":
        return node if any(c.type == "interpolation" for c in node.children) else None
    if kind in ("concatenated_string", "integer", "float", "true", "false", "none"):
        return None
    if kind == "parenthesized_expression" and node.named_children:
        return _assembled(values, node.named_children[0], depth)
    if kind in ("tuple", "list"):  # ('0.0' + '.0.0', 80): an address tuple with a built part
        return next((found for child in node.named_children[:8]
                     if (found := _assembled(values, child, depth)) is not None), None)
    if kind == "identifier":
        entries = values.scopes.entries(node)
        if not entries or depth > 3:
            return None
        if len(entries) > 1:
            return node
        bound_kind, what = entries[0]
        return _assembled(values, what, depth + 1) if bound_kind == "assign" else None
    if kind in ("binary_operator", "call", "subscript", "conditional_expression", "list_comprehension",
                "generator_expression"):
        return node
    return None
