"""What Python's operators give over abstract values: `a + b` of table choices, `x or Cls()` defaults, comprehension
filters that add no data, and whether a name occurs in an expression."""
from __future__ import annotations

from ..constants import UNKNOWN
from ..facts import Value, merge
from ..values import whole

MAX_JOINED = 32  # texts a concatenation of table choices may give
MAX_EITHER = 32  # constants `a or b` / `a if c else b` is known to be one of


def filter_only(clause) -> bool:
    """A comprehension's `if` clause picks items, it adds no data to them: `[k for k in NAMES if k not in os.environ]`
    holds names of the constant list (a walrus in the test binds data the items may use: kept)."""
    return clause.type == "if_clause" and b":=" not in clause.text


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
