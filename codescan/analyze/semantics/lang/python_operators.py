"""What Python's operators give over abstract values: `a + b` of table choices, `x or Cls()` defaults, comprehension
filters that add no data, and whether a name occurs in an expression."""
from __future__ import annotations

from ..constants import UNKNOWN
from ..facts import Value, merge
from ..skeleton import HOLE
from ..values import whole

MAX_JOINED = 32  # texts a concatenation of table choices may give
MAX_EITHER = 32  # constants `a or b` / `a if c else b` is known to be one of


def filter_only(clause) -> bool:
    """A comprehension's `if` clause picks items, it adds no data to them: `[k for k in NAMES if k not in os.environ]`
    holds names of the constant list (a walrus in the test binds data the items may use: kept)."""
    return clause.type == "if_clause" and b":=" not in clause.text


_COMPREHENSIONS = frozenset(("list_comprehension", "generator_expression", "set_comprehension",
                             "dictionary_comprehension"))


def comprehended(node) -> list:
    """The parts of a comprehension whose data its items hold when its body holds none: its body (and `if` clauses),
    not the loop's iterable, when the body names every loop variable (each item is what the body makes of one:
    `[Identifier(k) for k in request.args]` holds quoted names, not the request's keys); [] when it is no such
    comprehension. (A body that holds data keeps the iterable's labels too: `{k: v for k, v in os.environ.items()}`
    is the environment itself, which its items' labels do not say.)"""
    if node.type not in _COMPREHENSIONS or not node.named_children:
        return []
    body, clauses = node.named_children[0], node.named_children[1:]
    loops = [c for c in clauses if c.type == "for_in_clause"]
    if len(loops) != 1:  # nested loops (`for row in rows for a in row`): every part, as before
        return []
    left = loops[0].child_by_field_name("left")
    names = [n for n in ([left] if left is not None and left.type == "identifier" else
                         left.named_children if left is not None and left.type in ("pattern_list", "tuple_pattern")
                         else ()) if n.type == "identifier"]
    if not names or left.type != "identifier" and len(names) != len(left.named_children) or \
            not all(mentions(body, n.text.decode("utf-8", "replace")) for n in names):
        return []
    return [body, *(c for c in clauses if c.type != "for_in_clause")]


def default_instance(node, parts) -> Value | None:
    """`settings or Settings()`: an object given by the caller or, without one, an instance of a same-file class;
    its attributes are read from the class (the defaults are what the code runs with unless told otherwise)."""
    left, right = parts
    op = node.child_by_field_name("operator")
    given = not left.name or any(lab.startswith("param:") for lab in left.labels)  # a parameter, or data
    if op is None or op.type != "or" or left.known or not given or not right.name or \
            not right.name.startswith("<class:") or not right.name.endswith(">()"):
        return None
    merged = merge(parts)
    return Value(UNKNOWN, merged.labels, right.name, None, merged.trace)


def joined_choices(node, parts) -> tuple:
    """`a + b` where a side is one of a constant table's entries and the other side is known: every text it
    may give (the table is an allow-list: what is concatenated is one of its constants)."""
    op = node.child_by_field_name("operator")
    if op is None or op.type != "+":
        return ()
    sides = [p.choices if p.choices else (p,) for p in parts]
    if not all(v.known and isinstance(v.const, str) for side in sides for v in side):
        return ()
    if len(sides[0]) * len(sides[1]) > MAX_JOINED:
        return ()
    return tuple(Value(a.const + b.const, via="dynamic") for a in sides[0] for b in sides[1])


def mentions(node, name: str) -> bool:
    """Whether identifier `name` occurs in expression `node` (a cheap text test, then the tree)."""
    if name.encode() not in node.text:
        return False
    stack = [node]
    while stack:
        current = stack.pop()
        if current.type == "identifier" and current.text.decode("utf-8", "replace") == name:
            return True
        stack.extend(current.named_children)
    return False


def either(parts) -> Value | None:
    """`PAGES.get(key) or PAGES["home"]`, `A if cond else B`: one of its sides, so one of their constants when every
    side is a constant or one of a constant table's entries (None otherwise: a side carrying unknown data)."""
    texts: list = []
    for part in parts:
        options = part.choices if part.choices and not part.known else (part,)
        if not all(whole(o) and isinstance(o.const, (str, bytes)) for o in options):
            return None
        for option in options:  # each constant once (a fallback is often one of the table's own entries)
            if all(option.const != seen.const for seen in texts):
                texts.append(option)
    if len(texts) > MAX_EITHER or len(texts) < 2:
        return None
    merged = merge(parts)
    via = "dynamic" if any(p.via == "dynamic" for p in parts) else None
    return Value(UNKNOWN, merged.labels, None, via, merged.trace, tuple(texts))


_CASE_METHODS = {b"lower": str.lower, b"upper": str.upper, b"strip": str.strip, b"casefold": str.casefold}
_OFF = frozenset({"off-by-default"})


def switch_off_by_default(values, node, parts) -> Value | None:
    """`os.environ.get("VERIFY_TLS", "0") == "1"` (or `.lower() in ("1", "true")`): a switch read from the
    environment that is False unless someone sets the variable, as `os.getenv("VERIFY_TLS", False)` is (label
    `off-by-default`); the result keeps the read's name so rules tell an environment switch from a setting."""
    operators = [c.type for c in node.children if not c.is_named]
    if len(parts) != 2 or len(operators) != 1 or operators[0] not in ("==", "in"):
        return None
    sides = [c for c in node.named_children if c.type != "comment"]
    for env_at in (0, 1):
        held, other = _read(values, sides[env_at], parts[env_at]), parts[1 - env_at].const
        default = _default_text(held)
        if default is None or (operators[0] == "in" and env_at == 1):
            continue
        if operators[0] == "==" and isinstance(other, str) and other != default or \
                operators[0] == "in" and isinstance(other, (tuple, list, set, frozenset)) and other and \
                all(isinstance(o, str) for o in other) and default not in other:
            return Value(UNKNOWN, held.labels | _OFF, held.name, None, held.trace)
    return None


def _read(values, side, held: Value) -> Value:
    """The environment read compared: `os.getenv(K, "False").lower()` is the read with its default lowered."""
    if side.type == "call" and not any(c.type != "comment" for c in side.child_by_field_name("arguments").named_children):
        fn = side.child_by_field_name("function")
        if fn.type == "attribute" and fn.child_by_field_name("attribute").text in _CASE_METHODS:
            inner = values.ev(fn.child_by_field_name("object"))
            text = _default_text(inner)
            if text is not None:
                method = _CASE_METHODS[fn.child_by_field_name("attribute").text]
                return Value(inner.const, inner.labels, inner.name, inner.via, inner.trace, (), method(text))
    return held


def _default_text(held: Value) -> str | None:
    """The text an environment read gives when the variable is not set (`os.getenv(K, "0")`)."""
    if "env-var" not in held.labels or held.known or not isinstance(held.text, str) or HOLE in held.text:
        return None
    return held.text
