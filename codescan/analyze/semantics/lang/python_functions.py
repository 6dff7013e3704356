"""Same-file Python functions: parameters (symbolic `param:<def>:<i>` labels, route handlers' request input)
and what a function returns."""
from __future__ import annotations

import re

from ..constants import UNKNOWN
from ..facts import NOTHING, Step, Value, merge
from .python_client_params import client_passed, passed_at_sites
from .python_handlers import _param_names, callback_input
from .python_intercepts import intercepted

REQUEST_NAMES = {"request", "req"}
# a server that calls back with the peer's connection: websockets.serve / unix_serve (asyncio, sync and legacy
# modules), asyncio.start_server / start_unix_server (the reader); the callback is named as the first argument
_SERVED = re.compile(rb"(?:\bwebsockets(?:\.\w+)*\.(?:unix_)?serve|\basyncio\.start_(?:unix_)?server)\(\s*(?:self\.)?(\w+)")
_SERVED_BARE = re.compile(rb"(?<![.\w])(?:(?:unix_)?serve|start_(?:unix_)?server)\(\s*(?:self\.)?(\w+)")
_ROUTE_DECORATOR = ("route", "get", "post", "put", "patch", "delete", "api_route", "websocket", "api_view")


# the parameters through which pytest hands a test or fixture a fresh temporary folder of its own
PYTEST_TEMP_DIRS = frozenset(("tmp_path", "tmpdir"))


def _test_or_fixture(function) -> bool:
    named = function.child_by_field_name("name") if function.type == "function_definition" else None
    return named is not None and (named.text.startswith(b"test") or _fixture_of(function))


class Functions:
    """Mixed into PyValues (uses its ev, defs and _returns cache)."""

    def _parameter(self, name: str, node) -> Value:
        function = node
        while function is not None and function.type not in ("function_definition", "lambda"):
            function = function.parent
        if function is None:
            return NOTHING
        params = function.child_by_field_name("parameters")
        index = _param_index(params, name) if params is not None else -1
        self.defs[function.start_byte] = function
        labels = {f"param:{function.start_byte}:{index}"}
        received = callback_input(function, index) if index >= 0 else None
        if received is not None:  # lineReceived(self, line), on_message(self, message), a gRPC method's request
            return Value(UNKNOWN, frozenset(labels | {received}), name, None,
                         (Step(node.start_point[0] + 1, f"parameter {name}: what a peer sent"),))
        if index >= 0 and (caught := intercepted(self, function, index)) is not None:
            return Value(UNKNOWN, frozenset(labels | caught.labels), name, None, caught.trace)
        if received is None and index >= 0 and self._served_peer(function, index):
            return Value(UNKNOWN, frozenset(labels | {"socket"}), name, None,
                         (Step(node.start_point[0] + 1, f"parameter {name}: the connection a server callback is given"),))
        if name in REQUEST_NAMES or (name == "self" and False):
            return Value(name="request")
        route = _route_text(function)
        if route is not None and name not in ("self", "cls") and not _parsed_scalar(params, index):
            labels.add("request")
            if _one_segment(route, name):
                labels.add("url-segment")
        if route is None and index >= 0 and name not in ("self", "cls"):
            if name in PYTEST_TEMP_DIRS and _test_or_fixture(function):
                labels.add("temp-dir")  # def ssh_dir(tmp_path): pytest's own per-test temporary folder
            fixture = self._fixture_value(function, name)
            if fixture is not None:  # def test_x(server): what the same-file fixture `server` returns or yields
                return fixture.with_step(node.start_point[0] + 1, f"pytest fixture {name}")
            client = client_passed(self, function, index)  # configure(session): session = requests.Session()
            if client is not None:
                return Value(name=client)
            name = self._instance_passed(function, index) or name  # bundle(Places()): places.each() is Places.each
        return Value(UNKNOWN, frozenset(labels), name, None,
                     (Step(node.start_point[0] + 1, f"parameter {name}"),) if "request" in labels else ())

    def _served_peer(self, function, index: int) -> bool:
        """Parameter `index` is the peer connection of a callback this file hands to a server: the websocket of
        `websockets.serve(handler, ...)` (iterated or `.recv()`ed: what the client sent), the reader of
        `asyncio.start_server(handle, ...)`; the callback's first parameter after self."""
        served = self._attributes.get(("served",), False)
        if served is False:
            served = frozenset()
            source = self.source
            # each pattern's literal words first (the regexes are tried at every offset of a file that merely says
            # `serve`): _SERVED needs `websockets` or `asyncio.start_`, _SERVED_BARE `serve` (also in `server`)
            if b"websockets" in source or b"asyncio.start_" in source:
                served = frozenset(_SERVED.findall(source))
            if (b"from websockets" in source or b"from asyncio import" in source) and b"serve" in source:
                served |= frozenset(_SERVED_BARE.findall(source))
            self._attributes[("served",)] = served
        if not served or function.type != "function_definition":
            return False
        named = function.child_by_field_name("name")
        if named is None or named.text not in served:
            return False
        names = _param_names(function)
        return index == (1 if names[:1] == [b"self"] else 0)

    def _fixture_value(self, function, name: str) -> Value | None:
        """What pytest passes a test's (or a fixture's) parameter `name`: the value the same-file function named
        `name` decorated with `@pytest.fixture` / `@fixture` returns or yields; None when there is no such
        fixture (one defined elsewhere, in a conftest, stays an unknown parameter)."""
        named = function.child_by_field_name("name") if function.type == "function_definition" else None
        if named is None or not (named.text.startswith(b"test") or _fixture_of(function)):
            return None
        key = ("fixture", name)
        if key not in self._attributes:
            self._attributes[key] = None  # while computing (a fixture asking for itself)
            found = [f for f in _module_functions(self.root, name) if _fixture_of(f)]
            if len(found) == 1 and found[0] is not function:
                # a yield fixture gives the test what it yields (once): `yield url` is url, not a generator
                ends = _returns(found[0].child_by_field_name("body"))
                if len(ends) == 1 and ends[0].named_children:
                    self._attributes[key] = self.ev(ends[0].named_children[0])
                elif ends:
                    self._attributes[key] = self.returns(found[0])
        return self._attributes[key]

    def _instance_passed(self, function, index: int) -> str | None:
        """`<class:N>()` when every same-file call of this plain function passes, at `index`, an instance of the
        same class of this file (so a method called on the parameter is that class's method), else None."""
        named = function.child_by_field_name("name") if function.type == "function_definition" else None
        if named is None or function.parent is None or function.parent.type != "module":
            return None
        key = ("instance", function.start_byte, index)
        if key in self._attributes:
            return self._attributes[key]
        self._attributes[key] = None  # while computing (a call site inside the function itself)
        found = set()
        passed = passed_at_sites(self, function, index, False, 8)
        if passed is None:
            return None
        for arg in passed:
            held = self.ev(arg)
            if not (held.name or "").startswith("<class:") or not held.name.endswith(">()"):
                return None
            found.add(held.name)
        result = found.pop() if len(found) == 1 else None
        self._attributes[key] = result
        return result

    def returns(self, function) -> Value:
        """What a same-file function returns (parameters stay symbolic as `param:<def>:<i>` labels)."""
        key = function.start_byte
        if key in self._returns:
            return self._returns[key]
        self._returns[key] = NOTHING  # recursion
        body = function.child_by_field_name("body")
        if function.type == "lambda":
            value = self.ev(body) if body is not None else NOTHING
        else:
            found = _returns(body)
            values = [self.ev(r.named_children[0]) for r in found if r.named_children]
            single = len(values) == 1 and found[0].type == "return_statement"
            # a generator's yielded items are what iterating its call gives: their data, no one constant
            value = merge(values, values[0].const if single else UNKNOWN,
                          values[0].name if single else None) if values else NOTHING
            if single and values[0].via and values[0].name:  # return getattr(os, n): still a name found at run time
                value = Value(value.const, value.labels, value.name, values[0].via, value.trace, value.choices)
        self._returns[key] = value
        return value


def _returns(body, limit: int = 32):
    """return statements (and yield expressions) of a function body, not of functions nested in it."""
    stack = [body] if body is not None else []
    found = []
    while stack and len(found) < limit:
        node = stack.pop()
        for child in node.named_children:
            if child.type == "return_statement":
                found.append(child)
            elif child.type == "expression_statement" and child.named_children and \
                    child.named_children[0].type == "yield":
                found.append(child.named_children[0])  # yield x / yield from xs
            elif child.type not in ("function_definition", "class_definition", "lambda") and child.named_child_count:
                if child.type in ("block", "if_statement", "else_clause", "elif_clause", "try_statement",
                                  "except_clause", "finally_clause", "with_statement", "for_statement",
                                  "while_statement", "match_statement", "case_clause", "decorated_definition"):
                    stack.append(child)
    return found


def _param_index(params, name: str) -> int:
    for i, p in enumerate(c for c in params.named_children if c.type != "comment"):
        ident = p if p.type == "identifier" else (p.child_by_field_name("name") or
                                                  (p.named_children[0] if p.named_children else None))
        if ident is not None and ident.text.decode("utf-8", "replace") == name:
            return i
    return -1


# a route parameter annotated with one of these (FastAPI, Litestar, Django Ninja) reaches the handler parsed: a
# number, a flag, a date or an id, never text that could carry quotes or shell words
_SCALARS = frozenset((b"int", b"float", b"bool", b"UUID", b"uuid.UUID", b"datetime", b"date", b"Decimal",
                      b"datetime.datetime", b"datetime.date", b"decimal.Decimal", b"PositiveInt", b"NonNegativeInt"))


def _parsed_scalar(params, index: int) -> bool:
    """Parameter `index` is annotated `count: int` (or `count: int = Query(3)`)."""
    if index < 0:
        return False
    param = [c for c in params.named_children if c.type != "comment"][index]
    if param.type not in ("typed_parameter", "typed_default_parameter"):
        return False
    annotation = param.child_by_field_name("type")
    return annotation is not None and annotation.text in _SCALARS


def _decorators(function):
    """The text of each decorator of a function (`@app.route("/x")`), in order; none when it has none."""
    parent = function.parent
    if parent is None or parent.type != "decorated_definition":
        return
    for deco in parent.children:
        if deco.type == "decorator":
            yield deco.text.decode("utf-8", "replace")


def _route_text(function) -> str | None:
    """The text of the route decorator of a web handler (`@app.route("/img/<pid>")`; Litestar's bare
    `@get("/ping")`; CherryPy's `@cherrypy.expose`, whose method parameters are the query's fields), else None."""
    for text in _decorators(function):
        head = text.split("(", 1)[0]
        if "." in head and head.rsplit(".", 1)[1] in _ROUTE_DECORATOR or head in _EXPOSED or \
                head[1:] in _ROUTE_DECORATOR and _BARE_ROUTE.match(text, len(head)):
            return text
    return None


_EXPOSED = frozenset(("@cherrypy.expose", "@cherrypy.tools.json_in", "@cherrypy.tools.json_out"))
_BARE_ROUTE = re.compile(r"""\(\s*+(?:path\s*=\s*)?[\[(]?\s*['"]/""")  # @get("/ping"), @post(["/a", "/b"]): a path


def _is_route(function) -> bool:
    return _route_text(function) is not None


def _one_segment(route: str, name: str) -> bool:
    """Whether the route binds `name` to one URL path segment (Flask `<name>`, `<string:name>`, `<int:name>`;
    FastAPI/Starlette `{name}`): such a value never holds a `/` (only a `path` converter lets one through)."""
    found = re.search(r"<(?:(\w+)(?:\([^)]*\))?:)?" + re.escape(name) + r">", route)
    if found:
        return found.group(1) != "path"
    found = re.search(r"\{" + re.escape(name) + r"(?::(\w+))?\}", route)
    return bool(found) and found.group(1) != "path"


def _fixture_of(function) -> bool:
    """Whether a function is decorated as a pytest fixture (`@pytest.fixture`, `@pytest.fixture(scope=...)`,
    `@fixture`) and takes its own name as the fixture's (no `name=` given)."""
    for text in _decorators(function):
        head = text[1:].split("(", 1)[0].strip()
        if head in ("pytest.fixture", "fixture", "pytest_asyncio.fixture") and "name=" not in text:
            return True
    return False


def _module_functions(root, name: str) -> list:
    """The module-level (and class-level, one deep) functions called `name`."""
    out = []
    blocks = [root]
    for child in root.named_children:
        if child.type == "class_definition" and child.child_by_field_name("body") is not None:
            blocks.append(child.child_by_field_name("body"))
    for block in blocks:
        for child in block.named_children:
            fn = child.child_by_field_name("definition") if child.type == "decorated_definition" else child
            if fn is not None and fn.type == "function_definition":
                named = fn.child_by_field_name("name")
                if named is not None and named.text.decode("utf-8", "replace") == name:
                    out.append(fn)
    return out
