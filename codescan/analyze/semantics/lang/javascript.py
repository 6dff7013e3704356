"""The JavaScript/TypeScript adapter: the calls of one parsed file that fact rules may need, as Call facts.

Callees are canonical: `child_process.exec` (through require, import, destructuring and aliases),
`eval`/`Function` (also through window/global/globalThis[...]), `fetch`, `https.request`..."""
from __future__ import annotations

import re
from itertools import islice

from ...budget import Budget

from ...treesitter import Deadline
from ..facts import Call, Facts, Step, Value
from .auth_gates import gates, possible as compare_possible  # noqa: F401 (the engine's gate)
from .js_calls import arguments
from .js_reflection import unbound
from .js_site_args import site_values
from .js_env_set import ENV_SET, env_sets
from .js_hash_uses import split_updates
from .js_stored_functions import stored_function_sites
from .js_pipes import client_stdin_writes
from .js_proto import proto_writes
from .js_wipe import wipe_calls
from .js_function_ctor import MARKS as FUNCTION_MARKS
from .js_dom import SRC_SET, beacon_sets, html_sets, script_texts
from .js_server_sinks import SERVER_JS_KEY as SERVER_JS, koa_bodies, server_js_filters
from .js_imports import IMPORT_CALL, url_code_calls, worker_code_calls
from .js_options import TLS_OPTIONS, option_fields
from .js_property_paths import INVOKERS, path_member
from .js_scopes import enclosing_function
from .js_site_constants import filled
from .js_values import JsValues
from .js_written import RUNNERS, linked
from .python_summaries import substitute

DYNAMIC = (b"window", b"global", b"globalThis", b"require", b"Function", b"eval", b"self", b"Reflect", b"Proxy",
           b"getOwnPropertyDescriptor", b"getOwnPropertyNames", b"entries")
MAX_CANDIDATES = 2_000


class _Gate:
    """A gate beside the words: the Function constructor reached through `.constructor`, and code imported from a
    data:/blob: URL (`import(` in a file that writes `data:` or `createObjectURL`), an image's or element's `.src` set."""

    @staticmethod
    def search(source: bytes):
        return FUNCTION_MARKS.search(source) or (
            (b"data:" in source or b"createObjectURL" in source) and IMPORT_CALL.search(source)) or (
            b"Image" in source or b"createElement" in source) and SRC_SET.search(source) or (
            b"\\u" in source and ESCAPED_NAME.search(source))


# an identifier written with \u escapes (`\u0065val(x)`): the name it spells is hidden from a reader and a word search
# (each escape is exactly one \uXXXX or \u{X..}, the word characters after it taken possessively: `[0-9a-f{}]+[\w$]*`
# could split a run of hex digits between the two in exponentially many ways, and xregexp's Unicode tables of
# \uXXXX\uXXXX... with no `(` after them took minutes)
ESCAPED_NAME = re.compile(rb"(?<![\w$\\])[\w$]*+\\u(?:\{[0-9a-fA-F]{1,6}\}|[0-9a-fA-F]{4})[\w$]*+"
                          rb"(?:\\u(?:\{[0-9a-fA-F]{1,6}\}|[0-9a-fA-F]{4})[\w$]*+)*+\s*\(")
DYNAMIC_CALLS = _Gate()
# a namespace or default import of a module that runs code or commands: its uses are climbed as a require's alias's
POWER_IMPORT = re.compile(rb"\bimport\s+(?:\*\s+as\s+)?([A-Za-z_$][\w$]*)\s+from\s+['\"](?:node:)?"
                          rb"(?:child_process|vm|module|worker_threads)['\"]")
JS_NAMES = {"eval": "eval", "Function": "Function"}
MAX_PASSED_ON = 16  # sinks reached through a caller that is itself a same-file function, followed one more level


def facts(source: bytes, tree, wanted, deadline: Budget | None) -> Facts:
    values = JsValues(source, tree.root_node, deadline)
    candidates: dict[int, object] = {}
    aliases: set[str] = set()

    def climb(node, depth: int) -> None:
        current = node
        for _ in range(10):
            parent = current.parent
            if parent is None:
                return
            kind = parent.type
            if kind in ("call_expression", "new_expression") and (
                    parent.child_by_field_name("function") == current or
                    parent.child_by_field_name("constructor") == current):
                candidates.setdefault(parent.id, parent)
            elif kind in ("member_expression", "subscript_expression") and \
                    parent.child_by_field_name("object") == current or kind == "member_expression":
                pass
            elif kind == "arguments" and parent.parent is not None:
                candidates.setdefault(parent.parent.id, parent.parent)
                parent = parent.parent
                stored = _map_set_owner(parent)
                if stored is not None:  # TABLE.set('shell', exec): TABLE.get(k)(x) may call exec (the table
                    alias_uses(stored, depth)  # stands for what it holds: no alias level spent)
                    return
            elif kind == "array" and parent.parent is not None and parent.parent.type in ("array", "arguments"):
                pass  # new Map([['run', cp.exec]]): the Map's entries
            elif kind == "variable_declarator" and parent.child_by_field_name("value") == current and depth < 2:
                target = parent.child_by_field_name("name")
                if target is not None and target.type == "identifier":
                    alias_uses(target.text.decode("utf-8", "replace"), depth + 1)
                elif target is not None and target.type == "object_pattern":
                    for part in target.named_children:
                        bound = part.child_by_field_name("value") if part.type == "pair_pattern" else part
                        if bound is not None and bound.type in ("identifier", "shorthand_property_identifier_pattern"):
                            alias_uses(bound.text.decode("utf-8", "replace"), depth + 1)
                return
            elif kind == "pair" and parent.child_by_field_name("value") == current or kind == "object":
                pass  # const ops = { run: exec }: ops.run(...) / ops['run'](...) call it
            elif kind == "sequence_expression" and parent.named_children and parent.named_children[-1] == current:
                pass  # (0, eval)(code): the comma operator gives its last operand
            elif kind == "ternary_expression" and parent.child_by_field_name("condition") != current or \
                    kind == "binary_expression" and parent.child_by_field_name("operator").type in ("||", "??"):
                pass  # typeof globalThis !== 'undefined' ? globalThis : window / globalThis || window: either one
            elif kind in ("await_expression", "parenthesized_expression", "as_expression", "non_null_expression",
                          "satisfies_expression", "type_assertion"):  # (globalThis as any)[name]: TypeScript wrappers
                pass
            else:
                return
            current = parent

    def alias_uses(name: str, depth: int) -> None:
        if name in aliases:
            return
        aliases.add(name)
        values.scopes.index(name)
        for use in values.scopes.uses.get(name, ())[:64]:
            climb(use, depth)

    pattern = wanted.token_regex(DYNAMIC)
    for match in islice(pattern.finditer(source), MAX_CANDIDATES * 4 + 1):
        node = values.scopes.locate(match.start(), match.end())
        if node is not None and node.type in ("identifier", "property_identifier", "shorthand_property_identifier_pattern"):
            if node.type == "shorthand_property_identifier_pattern":
                alias_uses(node.text.decode("utf-8", "replace"), 1)
            else:
                climb(node, 0)
        elif node is not None and node.type == "string_fragment":
            climb(node.parent, 0)
    if b"import" in source:  # import * as cp from 'child_process': its uses, as a require's (cp[`exe${'c'}`](x))
        for match in islice(POWER_IMPORT.finditer(source), 8):
            alias_uses(match.group(1).decode("utf-8", "replace"), 1)
    if b"\\u" in source:
        for count, match in enumerate(ESCAPED_NAME.finditer(source)):  # \u0065val(code): a call of eval
            node = values.scopes.locate(match.start(), match.start() + 1)
            while node is not None and node.type not in ("identifier", "property_identifier") and \
                    node.end_byte <= match.end():
                node = node.parent
            if count < MAX_CANDIDATES and node is not None and node.type in ("identifier", "property_identifier"):
                climb(node, 0)
    for count, match in enumerate(FUNCTION_MARKS.finditer(source)):  # (async () => {}).constructor: Function
        node = values.scopes.locate(match.end() - len("constructor"), match.end())
        if count < MAX_CANDIDATES and node is not None and node.parent is not None:
            climb(node.parent if node.parent.type == "member_expression" else node, 0)
    out = Facts("javascript")
    for i, node in enumerate(list(candidates.values())[:MAX_CANDIDATES]):
        if deadline is not None and not i % 32 and deadline.expired():
            raise Deadline()
        fn = node.child_by_field_name("function") or node.child_by_field_name("constructor")
        if fn is None:
            continue
        callee = values.ev(fn)
        listed_at = REFLECT_CALLS.get(callee.name)
        if listed_at is not None:  # Reflect.construct(Function, [code]): a call of the function it names
            callee = _reflected(values, node, callee)
        elif callee.name in INVOKERS:  # _.invoke(cp, 'exec', cmd): a call of cp.exec(cmd)
            target = path_member(values, callee.name, arguments(node), node)
            callee, listed_at = (target, -2) if target is not None and target.name else (callee, None)
        if not callee.name and callee.choices:  # TABLE.get(kind)(x): one of the functions the table holds
            picked = [c for c in callee.choices if c.name and wanted.wants(unbound(c.name))]
            callee = picked[0] if picked else callee
        name = unbound(callee.name)
        passed = _passed_to_then(values, node, fn, wanted)
        if passed is not None:
            out.calls.append(passed)
        if not name or not wanted.wants(name):
            continue
        receiver = values.ev(fn.child_by_field_name("object")) if fn.type == "member_expression" else None
        scope = enclosing_function(node)
        args = _applied(values, callee.name, arguments(node), listed_at)
        if args and name in RUNNERS:  # execFileSync('/tmp/.tool') after writeFileSync('/tmp/.tool', body)
            args[0] = linked(values, name, node, args[0])
        fields = option_fields(values, node, name)
        out.calls.append(Call(callee=name, args=tuple(args), kwargs=tuple((k, v) for k, v, _line in fields),
                              kwlines=tuple(line for _k, _v, line in fields) if name in TLS_OPTIONS else (),
                              line=node.start_point[0] + 1,
                              end_line=node.end_point[0] + 1, column=node.start_point[1] + 1,
                              scope=-1 if scope is None else scope.start_byte, via=callee.via, receiver=receiver))
    if wanted.wants("Image().src") and b".src" in source:  # new Image().src = "https://x/p.gif?d=" + data
        out.calls.extend(beacon_sets(values, source))
    if b"$" in source and wanted.wants("mongodb.$where") and SERVER_JS.search(source):  # filter = { $where: .. }
        out.calls.extend(server_js_filters(values, source))
    if b"ctx" in source and wanted.wants("res.send"):  # Koa: ctx.body = '<h1>' + q + '</h1>'
        out.calls.extend(koa_bodies(values, source))
    if b"HTML" in source and (wanted.wants("innerHTML") or wanted.wants("dangerouslySetInnerHTML")):
        out.calls.extend(html_sets(values, source))  # el.innerHTML = markup; { __html: markup }
    if b"Worker" in source and wanted.wants("eval"):  # new Worker(URL.createObjectURL(new Blob([code])))
        out.calls.extend(worker_code_calls(values, source))
    if b"createElement" in source and wanted.wants("eval"):  # s = createElement('script'); s.textContent = code
        out.calls.extend(script_texts(values, source))
    if b"import" in source and (wanted.wants("eval") or wanted.wants("import")):
        # import("data:text/javascript," + code): eval of code; import(pathToFileURL(f)) of a downloaded file
        out.calls.extend(url_code_calls(values, source, loaded=wanted.wants("import")))
    reached = _through_callers(values, out.calls, source)
    out.calls.extend(reached)
    # one level further: a helper whose caller is itself a helper (`log(ref)` calls `this.git(...)`, which runs it)
    passed_on = [c for c in reached if any(lab.startswith("param:") for v in c.args for lab in v.labels)]
    if passed_on:
        out.calls.extend(_through_callers(values, passed_on[:MAX_PASSED_ON], source))
    if b"createHash" in source and wanted.wants("crypto.createHash"):  # h = createHash('md5'); h.update(password)
        out.calls.extend(split_updates(values, source))
    if wanted.wants("__proto__") and b"]" in source:  # merge(target[k], src[k]) / node = node[k] of request data
        out.calls.extend(proto_writes(values, source))
    if wanted.wants("wipe-tree") and b"readdir" in source:  # a recursive walker deleting every file it reaches
        out.calls.extend(wipe_calls(values, source))
    if b".stdin" in source and wanted.wants("curl.stdin"):  # spawn('curl', [.., '@-', url]).stdin.end(data)
        out.calls.extend(client_stdin_writes(values, source))
    if wanted.wants(ENV_SET):  # process.env[k] = v: a setting for the whole process
        out.calls.extend(env_sets(values, source))
    out.calls.extend(gates(source, tree.root_node, values, "javascript", wanted.wants))
    return out


def _map_set_owner(call) -> str | None:
    """The name of the table `call` stores into when it is `NAME.set(key, value)`."""
    fn = call.child_by_field_name("function") if call.type == "call_expression" else None
    if fn is None or fn.type != "member_expression" or fn.child_by_field_name("property").text != b"set":
        return None
    owner = fn.child_by_field_name("object")
    return owner.text.decode("utf-8", "replace") if owner.type == "identifier" else None


def _passed_to_then(values, node, fn, wanted) -> Call | None:
    """`promise.then(eval)`: the function named as the callback is called with what the promise holds."""
    if fn.type != "member_expression" or fn.child_by_field_name("property").text not in (b"then", b"catch"):
        return None
    args = arguments(node)
    if not args or args[0].type not in ("identifier", "member_expression"):
        return None
    callback = values.ev(args[0]).name
    if not callback or not wanted.wants(callback):
        return None
    held = values.ev(fn.child_by_field_name("object"))
    return Call(callee=callback, args=(held,), line=node.start_point[0] + 1, end_line=node.end_point[0] + 1,
                column=node.start_point[1] + 1, scope=-1)


def _function_name(function) -> bytes | None:
    """The name a same-file function is called by: its declaration's, or the variable an arrow function or
    function expression initialises (`const send = (u, d) => fetch(u, ...)`)."""
    if function is None:
        return None
    if function.type == "function_declaration":
        return function.child_by_field_name("name").text
    parent = function.parent
    if function.type in ("arrow_function", "function_expression", "function") and parent is not None and \
            parent.type == "variable_declarator" and parent.child_by_field_name("value") == function:
        name = parent.child_by_field_name("name")
        return name.text if name is not None and name.type == "identifier" else None
    return None


def _through_callers(values, calls, source: bytes) -> list:
    """Sinks reached by a same-file function's parameters, once per call site of that function."""
    out = []
    for call in calls:
        starts = {int(lab.split(":")[1]) for v in call.args for lab in v.labels if lab.startswith("param:")}
        for start in sorted(starts)[:4]:
            function = values.defs.get(start)
            name = _function_name(function)
            method = name is None and function is not None and function.type == "method_definition"
            if method:  # class A { go(c) { cp.exec(c) } }  new A().go(x) / a.go(x): called as a member
                name = function.child_by_field_name("name").text
            built = method and name == b"constructor"
            if built:  # this.dir = dir in the constructor, run by a method: `new Job(x)` gives dir
                cls = function.parent.parent if function.parent is not None else None
                name = cls.child_by_field_name("name") if cls is not None and cls.type == "class_declaration" else None
                name = name.text if name is not None else None
                method = False
            if name is None:
                sites = stored_function_sites(values, function, source)  # actions.get(name)(arg)
            else:
                sites = _sites(values, name, method, built, source)
            sites_args = [site_values(values, site, function, [values.ev(a) for a in arguments(site)]) for site in sites]
            fills = [filled(v, start, sites_args) for v in call.args]  # `git ${args}`, each call passing a constant
            for i, (site, args) in enumerate(zip(sites, sites_args)):
                line = site.start_point[0] + 1
                given = tuple(fill[i] if fill is not None else substitute(v, start, args, line)
                              for v, fill in zip(call.args, fills))
                out.append(Call(call.callee, given, (),
                                call.line, call.end_line, call.column, call.scope, call.via, call.receiver,
                                (Step(line, _SITE_NOTES[any(f is not None for f in fills)]),), at_caller=True))
    return out


_SITE_NOTES = {False: "called here with data that reaches the call below",
               True: "called here with a constant that completes the text below"}


def _sites(values, name: bytes, method: bool, built: bool, source: bytes) -> list:
    """The calls of a same-file function by its name (`go(`, `.go(` for a method, `new Job(` for a constructor)."""
    out = []
    before = rb"(?<=\.)" if method else rb"(?<![\w$.])"
    for match in _named_calls(values, before, name, source):
        ident = values.scopes.locate(match.start(), match.start() + len(name))
        callee = ident.parent if method and ident is not None else ident
        site = callee.parent if callee is not None else None
        if site is not None and site.type == ("new_expression" if built else "call_expression") and \
                site.child_by_field_name("constructor" if built else "function") == callee:
            out.append(site)
    return out


# Reflect.apply(f, thisArg, [args]) calls f, Reflect.construct(F, [args]) constructs F: the argument list's place
REFLECT_CALLS = {"Reflect.apply": 2, "Reflect.construct": 1}


def _reflected(values, node, callee: Value) -> Value:
    """The function Reflect.apply / Reflect.construct calls, named as if written out: `via` as the function was
    reached (Reflect.apply(this.runner, ..) of a field holding cp.execFileSync names it as plainly as a call does;
    dynamic when the function itself was found by a name built at run time)."""
    nodes = arguments(node)
    target = values.ev(nodes[0]) if nodes else None
    if target is None or not target.name:
        return callee
    return Value(name=target.name, via=target.via)


def _applied(values, callee: str | None, nodes, listed_at: int | None = None) -> list:
    """The arguments the called function receives: `f.call(thisArg, a, b)` gives a, b; `f.apply(thisArg, [a, b])`
    the array's items (one unknown list stays one value); `Reflect.apply(f, thisArg, [a])` /
    `Reflect.construct(F, [a])` the items of the list at `listed_at`."""
    if listed_at == -2:  # an invoker's arguments after the object and the path
        return [values.ev(a) for a in nodes[2:]]
    if listed_at is not None:
        listed = nodes[listed_at] if len(nodes) > listed_at else None
        if listed is not None and listed.type == "array":
            return [values.ev(a) for a in listed.named_children if a.type != "comment"]
        return [values.ev(listed)] if listed is not None else []
    if callee and callee.endswith(".call") and nodes:
        return [values.ev(a) for a in nodes[1:]]
    if callee and callee.endswith(".apply") and nodes:
        if len(nodes) > 1 and nodes[1].type == "array":
            return [values.ev(a) for a in nodes[1].named_children if a.type != "comment"]
        return [values.ev(a) for a in nodes[1:2]]
    return [values.ev(a) for a in nodes]


def _named_calls(values, before: bytes, name: bytes, source: bytes) -> list:
    """The first 16 places `name(` is written (after `before`), found once per file and name: each sink reached by a
    function's parameters asked again, and the search read the whole file each time (all its matches, then 16)."""
    known = values.__dict__.setdefault("_named_calls", {})
    found = known.get((before, name))
    if found is None:
        found = known[(before, name)] = list(islice(re.finditer(before + re.escape(name) + rb"\s*[(`]", source), 16))
    return found
