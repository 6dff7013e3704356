"""Collection for the other-language adapters: one tree-sitter query finds the nodes that open a scope, bind a
name, return, call or compare; bindings become events of their scope, and files written become fields."""
from __future__ import annotations

from functools import lru_cache

import tree_sitter as ts

from ..facts import Value, merge
from ...budget import CPU_SECONDS
from ...treesitter import Deadline
from .concepts import FILE_WRITERS
from .flowcompare import _SECRET_IN_SOURCE, comparison_sides
from .flowscope import Event, Scope
from .flowvalues import labelled

MAX_STEPS = 200_000  # nodes visited per file while collecting scopes, bindings and calls
MAX_EVENTS = 64  # bindings of one name kept per scope
MAX_COMPARES = 512  # equality tests turned into facts per file

_VARIABLES = frozenset(("identifier", "variable_name"))  # a name holding a path (PHP: $path)
MAX_WRITE_SITES = 8  # call sites of a helper a file written through its parameter is carried to
_PATH_VIEWS = frozenset(("toPath", "toFile", "getAbsolutePath", "getPath", "toAbsolutePath", "getCanonicalPath",
                         "toString", "ToString", "FullName"))  # f.toPath(): the same file as f
_PATH_MAKERS = frozenset(("get", "of", "File", "Path", "FileInfo"))  # Paths.get(p), Path.of(p), new File(p)


class FlowIndex:
    """The collection half of TreeFlow (which sets the attributes and the node-kind tables it reads)."""

    def file_write(self, node):
        """(path node, data node or None for "fetched from the network") when this call writes a file."""
        parts = self.parts(node)
        spec = FILE_WRITERS.get(parts[0]) if parts and parts[0] else None
        args = parts[3] if spec else []
        if not spec or len(args) <= max(spec):
            return None
        return args[spec[0]], (args[spec[1]] if spec[1] >= 0 else None)

    def bound_in_scope(self, name, node) -> bool:
        """Whether `name` is assigned in the scope around `node` or a scope enclosing it."""
        scope = self.scope_at(node)
        while scope is not None:
            if name in scope.events:
                return True
            scope = scope.parent
        return False

    def binding_scope(self, node) -> Scope:
        """The scope whose binding of identifier `node` it reads (a block writing to an outer variable: the outer
        scope), else the innermost scope around it."""
        return _holding_scope(self.scope_at(node), node.text.decode("utf-8", "replace"))

    def scope_at(self, node) -> Scope:
        """The innermost function scope holding node (its nearest scope-kind ancestor). Each ancestor walked keeps the
        answer (until a new scope is collected), so the nodes of a 900-link method chain do not each climb it again:
        that was quadratic in the chain's depth."""
        memo = self._scope_memo
        walked = []
        current = node.parent
        found = self.global_scope
        while current is not None:
            known = memo.get(current.id)
            if known is not None:
                found = known
                break
            walked.append(current.id)
            if current.type in self.SCOPES:
                scope = self._by_node.get((current.start_byte, current.end_byte))
                if scope is not None:
                    found = scope
                    break
            current = current.parent
        for key in walked:
            memo[key] = found
        return found

    # -- collection -------------------------------------------------------------------------------
    def _scope(self, node, parent, name):
        scope = Scope(node, parent, name, node.start_byte if parent is not None else -1)
        self.scopes.append(scope)
        self._by_node[(node.start_byte, node.end_byte)] = scope
        self._scope_memo.clear()  # a node below the new scope now answers it
        return scope

    def collect(self) -> None:
        """One pass over the nodes that matter (scopes, calls, returns, bindings), found by a tree-sitter
        query in C and visited in source order, so a scope exists before anything inside it."""
        for node in self._interesting():
            self._tick()
            kind = node.type
            scope = self.scope_at(node)
            if kind in self.SCOPES and node is not self.root:
                scope = self._scope(node, scope, self.scope_name(node))
                if scope.name and scope.name not in self.functions:
                    self.functions[scope.name] = scope
                for i, (name, value) in enumerate(self.params(node)):
                    scope.params.append(name)
                    self._event(scope, name, Event(node.start_byte, "param", None, value, i))
            if kind in self.RETURNS:
                scope.returns.append(node)
            if kind in self.BINDINGS:
                self._bind(node, scope)
            if kind in self.CALLS:
                self.calls.append((node, scope))
            if kind in self.COMPARES and len(self.compares) < MAX_COMPARES:
                sides = comparison_sides(node)
                if sides is not None:
                    self.compares.append((node, scope, sides))

    def _interesting(self) -> list:
        kinds = self.SCOPES | self.CALLS | self.RETURNS | self.BINDINGS
        if (self.wanted is None or self.wanted("operator.eq")) and _SECRET_IN_SOURCE.search(self.source):
            kinds = kinds | self.COMPARES  # equality tests matter only where a secret-like name occurs
        query = _compiled(self.grammar, kinds)
        if query is None:
            return []
        found = ts.QueryCursor(query).captures(self.root).get("n", [])
        found.sort(key=lambda n: (n.start_byte, -n.end_byte))
        return found

    def _bind(self, node, scope) -> None:
        for name, how, value in self.bindings(node):
            target = self.fields if how.startswith("field") else None
            ev_kind = "add" if how.endswith("add") else "set"
            if callable(value):
                ev = Event(node.end_byte, ev_kind, node, None, -1, value)
            else:
                ev = Event(node.end_byte if ev_kind == "set" else node.start_byte, ev_kind,
                           value if not isinstance(value, Value) else None,
                           value if isinstance(value, Value) else None)
            if target is not None:
                target.setdefault(name, []).append(ev)
            else:
                self._event(_holding_scope(scope, name) if ev_kind == "add" else scope, name, ev)

    def _event(self, scope, name, event) -> None:
        events = scope.events.setdefault(name, [])
        if len(events) < MAX_EVENTS:
            events.append(event)

    def _tick(self) -> None:
        self._ticks += 1
        if self.budget is not None and not self._ticks & 63:
            self.budget.check()
        if self._ticks > MAX_STEPS:
            raise Deadline(CPU_SECONDS, f"semantic layer: more than {MAX_STEPS} steps")

    def prepare(self) -> None:
        """Collect scopes, bindings and calls once, then the files written and same-file call sites: after
        this, values can be asked for (the facts and the folded view both need it)."""
        if self._prepared:
            return
        self._prepared = True
        self.collect()
        self._collected = True
        for node, _scope in self.calls:
            parts = self.parts(node)
            if parts is None:
                continue
            if parts[1] and parts[1] in self.functions and parts[2] is None:
                self.sites.setdefault(parts[1], []).append((node, parts[3]))
            elif parts[2] is not None and parts[0]:
                method = parts[0].rsplit(".", 1)[-1]  # r.byName(x), byName a method of this file: x reaches it
                if method in self.functions and self.functions[method].node.type in self.METHODS:
                    self.sites.setdefault(method, []).append((node, parts[3]))
        for node, _scope in self.calls:
            written = self.file_write(node)
            if written is not None:
                self._record_write(node, *written)
                self._write_through_callers(node, *written)

    def _write_through_callers(self, node, path_node, data_node) -> None:
        """A helper that writes the file its parameter names (`save(dst)`, `fetch(path)`): each same-file call of
        it writes the file its argument names there, so the caller running that path runs what was written."""
        path_node = self.path_variable(path_node)
        if path_node.type not in _VARIABLES:
            return
        name = path_node.text.decode("utf-8", "replace").lstrip("$")  # PHP parameters are named without `$`
        scope = self.binding_scope(path_node)
        if scope.name is None or name not in scope.params or \
                any(e.kind != "param" for e in scope.events.get(name, ())):
            return  # a parameter reassigned in the helper names another file
        index = scope.params.index(name)
        for site, args in self.sites.get(scope.name, [])[:MAX_WRITE_SITES]:
            if index < len(args) and self.scope_at(site) is not scope:
                self._record_write(site, args[index], data_node)

    def path_variable(self, node):
        """The variable a path expression is made of (`f.toPath()`, `Paths.get(p)`, `new File(p)`), else node."""
        if node.type == "argument" and node.named_child_count == 1:  # PHP/C# wrap each argument
            node = node.named_children[0]
        if node.type in _VARIABLES:
            return node
        parts = self.parts(node) if node.type in self.CALLS else None
        if not parts:
            return node
        method = (parts[0] or parts[1] or "").rsplit(".", 1)[-1]
        receiver, args = parts[2], parts[3]
        if method in _PATH_VIEWS and receiver is not None and receiver.type in _VARIABLES and not args:
            return receiver
        if method in _PATH_MAKERS and len(args) == 1 and args[0].type in _VARIABLES and \
                (method not in ("get", "of") or "Path" in (parts[0] or "")):
            return args[0]
        return node

    def _record_write(self, node, path_node, data_node) -> None:
        """A file written with data: reading or running that path later carries the data's labels."""
        path_node = self.path_variable(path_node)
        path = self.value(path_node).const
        self._memo.clear()
        if not isinstance(path, str) and path_node.type in _VARIABLES:
            # a path held in a variable: runs of that variable in the same function
            path = f"@{self.binding_scope(path_node).id}:{path_node.text.decode('utf-8', 'replace')}"
        if not isinstance(path, str) or not path:
            return
        line = node.start_point[0] + 1
        shown = f"the file named by {path.split(':', 1)[1]}" if path.startswith("@") else path

        def thunk() -> Value:
            if data_node is None:
                return labelled(("network", "downloaded"), line, f"downloaded to {shown}")
            data = self.value(data_node)
            if isinstance(data.const, str) and data.const.startswith(("http://", "https://", "ftp://")):
                return labelled(("network", "downloaded"), line, f"{data.const} copied to {shown}")
            if data.labels & {"network", "socket"}:
                data = merge([data, labelled(("downloaded",), line, f"written to {shown}")])
            return data
        self.fields.setdefault("file:" + path, []).append(Event(node.end_byte, "set", node, None, -1, thunk))
        self.written.add(path)


def _holding_scope(scope, name: str):
    """The nearest scope from `scope` outwards that binds `name`, else `scope`: where a read of `name` finds its
    binding, and where an append to it is recorded (a closure appending to a variable of the function around it adds
    to that variable, not to a name of its own)."""
    current = scope
    while current is not None:
        if name in current.events:
            return current
        current = current.parent
    return scope


@lru_cache(maxsize=64)
def _compiled(language, kinds: frozenset):
    """A query capturing every node of the given kinds that the grammar has (None: none of them)."""
    present = sorted(k for k in kinds if language.id_for_node_kind(k, True))
    if not present:
        return None
    return ts.Query(language, "[" + " ".join(f"({k})" for k in present) + "] @n")
