"""Python adapter: finding the call sites fact rules may need, from the words a wanted callee ends with (a mixin
of the adapter's per-file facts: it reads self.values, self.source and self.wanted, and fills self.candidates,
self.launches, self.live and self.enclosing). A word is climbed through attributes, subscripts and calls to the
calls it names; through assignments, loops, returns, tables and class bodies to the uses of what it is bound to."""
from __future__ import annotations

from .python_launchers import applied_lambda, maybe_launcher

_ADDERS = frozenset({b"append", b"insert", b"extend", b"add", b"appendleft"})
ALIAS_IN_SCOPE = True  # a name bound in a function: its uses there only (off: every use in the file, tests compare)


class CandidateClimb:
    def _climb(self, node, depth: int, argument: bool = True) -> None:
        """Call sites `node` is the callee of (through attributes, subscripts, calls). `argument`: also
        the call it is an argument of (a builtin that builds a name: getattr(__builtins__, ...))."""
        current = node
        for _ in range(10):
            parent = current.parent
            if parent is None:
                return
            kind = parent.type
            if kind == "call" and parent.child_by_field_name("function") == current:
                self._candidate(parent)
            elif kind == "attribute" or (kind == "subscript" and parent.child_by_field_name("value") == current):
                pass
            elif (kind == "lambda" and parent.child_by_field_name("body") == current) or kind == "dictionary" or \
                    (kind == "pair" and parent.child_by_field_name("value") == current):
                pass  # OPS = {"load": lambda n: importlib.import_module(n)}: OPS["load"](x) calls it
            elif kind == "argument_list" and parent.parent is not None and parent.parent.type == "call" and \
                    _wraps_function(parent.parent):
                current = parent.parent  # staticmethod(exec): the call gives the function itself
                continue
            elif kind == "argument_list" and parent.parent is not None and parent.parent.type == "call":
                call = parent.parent
                if (current.type in ("identifier", "attribute") and _may_run(call)) or \
                        (current.type in _LOOKED_UP and maybe_launcher(call)):
                    self.launches.setdefault(call.id, (call, current))  # Thread(None, os.system, ...) / run(f, x)
                elif current.type in ("identifier", "attribute") and depth < 2:
                    _holder = _added_to(call)  # hooks.append(requests.post): the list's uses call it
                    if _holder is not None:
                        self._alias_uses(_holder, depth + 1)
                if not argument:
                    return
                parent = call
                if call.id not in self.candidates:
                    self.enclosing.add(call.id)
                self._candidate(parent, enclosing=True)
            elif kind == "keyword_argument" and parent.child_by_field_name("value") == current:
                call = parent.parent.parent if parent.parent is not None else None
                if call is not None and call.type == "call" and _field_default(call, parent):
                    current = call  # runner: Callable = field(default=os.popen): the field holds the function
                    continue
                if call is not None and call.type == "call" and maybe_launcher(call):
                    self.launches.setdefault(call.id, (call, current))  # Thread(target=requests.post, ...)
                return
            elif kind == "assignment" and parent.child_by_field_name("right") == current:
                left = parent.child_by_field_name("left")
                if left is not None and left.type == "identifier" and depth < 2:
                    self._alias_uses(left.text.decode("utf-8", "replace"), depth + 1, parent)
                    owner = _class_of_body(parent)
                    if owner is not None:  # class C: run = staticmethod(exec) — then self.run(x) / cls.run(x)
                        self._member_uses(owner, left.text, depth + 1)
                elif left is not None and left.type == "attribute" and depth < 2 and \
                        left.child_by_field_name("object").text == b"self":
                    self._self_uses(left, depth + 1)  # self.fn = getattr(...); later self.fn(cmd)
                return
            elif kind == "for_statement" and parent.child_by_field_name("right") == current and depth < 2:
                left = parent.child_by_field_name("left")  # for hook in HOOKS: hook(x)
                if left is not None and left.type == "identifier":
                    self._alias_uses(left.text.decode("utf-8", "replace"), depth + 1, parent)
                return
            elif kind in ("pair", "list", "tuple", "dictionary") and depth < 2:
                pass  # a table of functions: its uses are found through the table's name
            elif kind in ("conditional_expression", "boolean_operator", "parenthesized_expression"):
                pass  # `f = getattr(b, n) if cond else other`: the chosen value is still the name
            elif kind == "return_statement" and depth < 2:
                function = parent.parent
                while function is not None and function.type not in ("function_definition", "lambda"):
                    function = function.parent
                named = function.child_by_field_name("name") if function is not None else None
                if named is not None:  # def pick(): return getattr(os, n) — then pick()(cmd)
                    self._alias_uses(named.text.decode("utf-8", "replace"), depth + 1)
                    if _in_class_body(function):
                        self._attribute_uses(named.text, depth + 1)  # a method or @property: Tool().run(cmd)
                return
            else:
                return
            current = parent

    def _candidate(self, call, enclosing: bool = False) -> None:
        if not enclosing:
            self.enclosing.discard(call.id)
        self.candidates.setdefault(call.id, call)
        if self._live and self.live is not None:
            self.live.add(call.id)

    def _self_uses(self, target, depth: int) -> None:
        """The places in the class that read `self.<attr>` (bound at `target`)."""
        cls = target.parent
        while cls is not None and cls.type != "class_definition":
            cls = cls.parent
        if cls is None:
            return
        needle = target.text
        source, scopes = self.source, self.values.scopes
        pos, found = source.find(needle, cls.start_byte, cls.end_byte), 0
        while pos >= 0 and found < 64:
            end = pos + len(needle)
            if end >= len(source) or not (source[end:end + 1].isalnum() or source[end:end + 1] == b"_"):
                use = scopes.locate(pos, end)
                if use is not None and use.type == "attribute" and use != target:
                    found += 1
                    self._climb(use, depth)
            pos = source.find(needle, end, cls.end_byte)

    def _member_uses(self, cls, attr: bytes, depth: int) -> None:
        """The places that read a class attribute: `self.<attr>`/`cls.<attr>` inside the class, `<Class>.<attr>`
        anywhere in the file."""
        named = cls.child_by_field_name("name")
        wanted = [(b"self." + attr, cls.start_byte, cls.end_byte), (b"cls." + attr, cls.start_byte, cls.end_byte)]
        if named is not None:
            wanted.append((named.text + b"." + attr, 0, len(self.source)))
        source, scopes = self.source, self.values.scopes
        for needle, start, stop in wanted:
            pos, found = source.find(needle, start, stop), 0
            while pos >= 0 and found < 64:
                end = pos + len(needle)
                before = source[pos - 1:pos] if pos else b""
                if not (source[end:end + 1].isalnum() or source[end:end + 1] == b"_") and \
                        not (before.isalnum() or before in (b"_", b".")):
                    use = scopes.locate(pos, end)
                    if use is not None and use.type == "attribute":
                        found += 1
                        self._climb(use, depth)
                pos = source.find(needle, end, stop)

    def _attribute_uses(self, attr: bytes, depth: int) -> None:
        """The places that read `<anything>.<attr>` (a method or property of a class in this file). Once per name
        and depth (again only to mark live what a dead word reached): 500 classes whose `run` returns
        `super().run()` climbed the file's `.run` uses 32,500 times."""
        key = (attr, depth)
        climbed_live = self._attribute_climbs.get(key)
        if climbed_live is not None and (climbed_live or not self._live):
            return
        self._attribute_climbs[key] = self._live
        source, scopes = self.source, self.values.scopes
        needle = b"." + attr
        pos, found = source.find(needle), 0
        while pos >= 0 and found < 64:
            end = pos + len(needle)
            if not (source[end:end + 1].isalnum() or source[end:end + 1] == b"_"):
                use = scopes.locate(pos + 1, end)
                if use is not None and use.type == "identifier" and use.parent is not None and \
                        use.parent.type == "attribute":
                    found += 1
                    self._climb(use.parent, depth)
            pos = source.find(needle, end)

    def _alias_uses(self, name: str, depth: int, binder=None) -> None:
        """Climb the uses of `name` (at most 64). Bound by `binder` (an assignment, a loop) inside a function: the
        uses in that function only, unless it declares the name global/nonlocal (a name bound in one function is
        not the one other functions read: `f = open(p)` in one of 300 functions climbed every `f` of the file)."""
        scopes = self.values.scopes
        scope = scopes.scope_of(binder) if binder is not None and ALIAS_IN_SCOPE else None
        if scope is not None and scope.type != "class_definition":
            scopes._index_scope(name, scope)
            if any(kind == "other" for kind, _what in scopes.bindings.get((scope.start_byte, name), ())):
                scope = None  # `global f` / `nonlocal f` / `del f`: the module's or an outer function's name
        else:
            scope = None
        key = name if scope is None else (name, scope.start_byte)
        climbed = self._aliases.get(key)
        if climbed is not None:
            if climbed[1] <= depth and (climbed[0] or not self._live):
                return
            # again, as far as the shallower of both allows: climbed first from a dead word (now only marked
            # live), or first from deeper (`mod = __import__(..)` reached `return getattr(mod, ..)` at depth 1
            # before the getattr word did at depth 0: `runner = pick(); runner(cmd)` is then met too)
            depth = min(depth, climbed[1])
        self._aliases[key] = (self._live or (climbed is not None and climbed[0]), depth)
        if scope is None:
            scopes.index(name)
            uses = scopes.uses.get(name, ())[:64]
        else:
            start, end = scope.start_byte, scope.end_byte
            uses = sorted((u for u in scopes.uses.get(name, ()) if start <= u.start_byte < end),
                          key=lambda u: u.start_byte)[:64]
        for use in uses:
            self._climb(use, depth)


def _wraps_function(call) -> bool:
    """`staticmethod(f)` / `classmethod(f)`: a call whose value is its one argument, the function."""
    fn = call.child_by_field_name("function")
    arguments = call.child_by_field_name("arguments")
    return fn is not None and fn.text in (b"staticmethod", b"classmethod") and arguments is not None and \
        arguments.named_child_count == 1


FIELD_CALLS = (b"field", b"dataclasses.field", b"attr.ib", b"attr.attrib", b"attrs.field")


def _field_default(call, keyword) -> bool:
    """`field(default=f)` (dataclasses, attrs) in a class body: the attribute's default is the value given."""
    fn = call.child_by_field_name("function")
    name = keyword.child_by_field_name("name")
    return fn is not None and fn.text in FIELD_CALLS and name is not None and name.text == b"default"


def _class_of_body(assignment):
    """The class whose body holds this assignment statement directly (`class C: run = exec`), else None."""
    statement = assignment.parent
    block = statement.parent if statement is not None and statement.type == "expression_statement" else None
    owner = block.parent if block is not None and block.type == "block" else None
    return owner if owner is not None and owner.type == "class_definition" else None


def _in_class_body(function) -> bool:
    """The function is defined directly in a class body (a method, a property), decorated or not."""
    holder = function.parent if function.parent is not None and function.parent.type == "decorated_definition" \
        else function
    block = holder.parent
    return block is not None and block.type == "block" and block.parent is not None and \
        block.parent.type == "class_definition"


def _added_to(call) -> str | None:
    """The name of the list or set `call` adds to (`hooks.append(f)`), else None."""
    fn = call.child_by_field_name("function")
    if fn is None or fn.type != "attribute" or fn.child_by_field_name("attribute").text not in _ADDERS:
        return None
    owner = fn.child_by_field_name("object")
    return owner.text.decode("utf-8", "replace") if owner.type == "identifier" else None


# Argument kinds that may denote a function looked up at run time: partial(getattr(b, n)), partial(b.__dict__[n]),
# partial(b[n] if cond else getattr(b, n)).
_LOOKED_UP = frozenset({"call", "subscript", "conditional_expression", "parenthesized_expression", "boolean_operator"})


def _may_run(call) -> bool:
    """Whether a call given a function as an argument may call it: a launcher, or a plain name (a function
    defined in the file that calls its parameter)."""
    fn = call.child_by_field_name("function")
    return fn is not None and (fn.type == "identifier" or maybe_launcher(call) or applied_lambda(call) is not None)
