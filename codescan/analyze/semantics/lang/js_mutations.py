"""What a JavaScript variable comes to hold after it is made: `parts.push(x)`-like calls that add to it, and files a
download is written to under its name (also by a same-file helper given it as an argument)."""
from __future__ import annotations

from ..constants import UNKNOWN
from ..facts import NOTHING, Value, merge
from .js_callbacks import written_file

_MUTATORS = {"push", "unshift", "concat", "append", "set", "add", "write", "assign",
             # archives filled from files and folders (adm-zip, archiver, jszip): the archive holds what they name
             "addLocalFolder", "addLocalFile", "addFile", "directory", "file", "glob"}
_PART_MUTATORS = frozenset((b"set", b"append", b"push", b"add"))
MAX_HELPER_USES = 16  # uses of a helper's parameter examined for a file write


class JsMutations:
    """Mixin of JsValues: needs `scopes`, `defs`, `ev` and the `_sites` memo."""

    def _mutation_sites(self, name: str) -> list:
        """The uses of `name` that may change what it holds, in source order: `name.push(...)`-like calls
        (start, call, prop) and `f(name)` arguments (start, None, None); found once per name, not once per read
        (a bundle's one-letter names are read thousands of times)."""
        uses = self.scopes.uses.get(name, ())
        key = (id(uses), len(uses))
        cached = self._sites.get(name)
        if cached is not None and cached[0] == key:
            return cached[1]
        sites = []
        for other in uses:
            parent = other.parent
            if parent.type == "member_expression" and parent.child_by_field_name("object") == other:
                prop = parent.child_by_field_name("property").text.decode("utf-8", "replace")
                call = parent.parent
                if prop in _MUTATORS and call.type == "call_expression" and call.child_by_field_name("function") == parent:
                    sites.append((other.start_byte, other, call, prop, self._binding_scopes(other)))
                elif call.type == "member_expression" and call.parent.type == "call_expression" and \
                        call.child_by_field_name("property").text in _PART_MUTATORS and \
                        call.parent.child_by_field_name("function") == call:
                    # u.searchParams.set(k, v), req.headers.append(..): what a part of the object is given, it holds
                    inner = call.child_by_field_name("property").text.decode("utf-8", "replace")
                    sites.append((other.start_byte, other, call.parent, f"{prop}.{inner}", self._binding_scopes(other)))
            elif parent.type == "arguments":
                sites.append((other.start_byte, other, None, None, self._binding_scopes(other)))
        self._sites[name] = (key, sites)
        return sites

    def _binding_scopes(self, node) -> frozenset:
        """The scopes whose binding of the name a use reads (one, or the module's)."""
        return frozenset(e[2] for e in self.scopes.bindings(node))

    def _mutated(self, name: str, current: Value, use) -> Value:
        added = []
        written: list = []
        sites = self._mutation_sites(name)
        mine = self._binding_scopes(use) if sites else frozenset()
        items = list(current.const) if isinstance(current.const, list) and sites else None
        for start, other, call, prop, scopes in sites:
            if start >= use.start_byte:
                continue
            if mine and scopes != mine:
                continue  # another function's own `zip` (or `parts`): not this variable
            if call is not None:
                args = call.child_by_field_name("arguments")
                given = [self.ev(a) for a in args.named_children if a.type != "comment"] if args is not None else []
                value = merge(given)
                added.append(value.with_step(call.start_point[0] + 1, f"{name}.{prop}(...)"))
                items = _pushed(items, prop, given, call, use)
            elif len(written) < 4:
                found = written_file(self, name, other)
                if not found.labels:  # grab(url, dest, done): a same-file helper writes the download to its parameter
                    found = self._written_by_helper(name, other)
                written.append(found)
        if not any(v.labels for v in added):
            if any(v.labels for v in written):  # the path still names the same file: its text stays
                return merge([current, *written], current.const, current.name)
            if items is not None and items != current.const:  # steps.push("curl ... x.sh"); steps.push("sh")
                return Value(items, current.labels, current.name, current.via, current.trace)
            return current
        return merge([current, *added, *written], UNKNOWN, current.name)

    def _written_by_helper(self, name: str, arg) -> Value:
        """Network data a same-file function writes to the file its parameter names, when `arg` (a use of `name`)
        is given at that parameter's place: `function grab(url, out) { https.get(url, r =>
        r.pipe(fs.createWriteStream(out))) }` then `grab(src, dest)` writes the download to dest. One call deep."""
        call = arg.parent.parent
        fn = call.child_by_field_name("function") if call is not None and call.type == "call_expression" else None
        if fn is None or fn.type != "identifier" or getattr(self, "_in_helper", False):
            return NOTHING
        target = self.ev(fn).name or ""
        if not target.startswith("<def:"):
            return NOTHING
        function = self.defs.get(int(target[5:-1]))
        params = function.child_by_field_name("parameters") if function is not None else None
        index = [a for a in arg.parent.named_children if a.type != "comment"].index(arg)
        listed = [c for c in params.named_children if c.type != "comment"] if params is not None else []
        given = listed[index] if index < len(listed) else None
        if given is not None and given.type in ("required_parameter", "optional_parameter"):
            given = given.child_by_field_name("pattern")  # TypeScript `dest: string`: the name before the type
        if given is None or given.type != "identifier":
            return NOTHING
        param = given.text.decode("utf-8", "replace")
        self.scopes.index(param)
        self._in_helper = True
        try:
            found = [written_file(self, param, use) for use in self.scopes.uses.get(param, ())[:MAX_HELPER_USES]
                     if function.start_byte <= use.start_byte < function.end_byte]
        finally:
            self._in_helper = False
        data = merge([v for v in found if v.labels])
        if not data.labels:
            return NOTHING
        # the helper's own parameters (its url) stay inside it: what the caller's path holds is the download
        data = Value(UNKNOWN, frozenset(x for x in data.labels if not x.startswith("param:")), None, None, data.trace)
        return data.with_step(call.start_point[0] + 1, f"{name} given to {fn.text.decode('utf-8', 'replace')}(...), "
                                                       f"which writes to its parameter {param}")


_BODIES = frozenset(("program", "statement_block"))
_FUNCTIONS = frozenset(("program", "function_declaration", "function_expression", "function", "arrow_function",
                        "method_definition", "generator_function_declaration", "generator_function"))
MAX_ITEMS = 64


def _pushed(items: list | None, prop: str, given: list, call, use) -> list | None:
    """The constant list after `list.push(...)`/`unshift(...)` of constants run once, in straight-line code of the
    function that reads the list (not in a loop or a branch); None once that is no longer known."""
    if items is None or prop not in ("push", "unshift") or not all(v.known and not v.labels for v in given):
        return None
    statement = call.parent
    if statement is None or statement.type != "expression_statement" or statement.parent is None or \
            statement.parent.type not in _BODIES or _function_of(statement) != _function_of(use) or \
            len(items) + len(given) > MAX_ITEMS:
        return None
    body = statement.parent
    if body.type == "statement_block" and (body.parent is None or body.parent.type not in _FUNCTIONS):
        return None  # the block of an if, a loop, a try: it may run any number of times
    consts = [v.const for v in given]
    return items + consts if prop == "push" else consts + items


def _function_of(node):
    current = node.parent
    while current is not None and current.type not in _FUNCTIONS:
        current = current.parent
    return current
