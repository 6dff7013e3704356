"""Whether a Python name is bound anywhere in a file: most occurrences ruled out by the text after them, the rest on the tree.

`len`, `range`, `isinstance`... are asked about in every file only to learn that nothing rebinds them; indexing
each of their occurrences (locate the node, classify it) cost more than the rest of the name look-ups. A
call `len(`, an attribute read `len.` or an operator `len +` can bind nothing (the one exception, `def len(` /
`class len(`, is checked); only the other occurrences are looked up in the tree, and the first one that may
bind ends the search."""
from __future__ import annotations

import builtins
import re

from .. import budget as budgets
from .names import PY_BUILTINS
from .python_bindings import _classify

# the names worth the search: the builtins (asked about in nearly every file, seldom bound there); any other name
# asked about is nearly always bound, and its search would only add to the index's work
ASKED = frozenset(dir(builtins)) | PY_BUILTINS

# nodes a target may be wrapped in: `(a, b) = ...`, `del (a, b), c`, `with f() as (a, b)`, `for [a, *b] in ...`
_CONTAINERS = frozenset({"tuple", "list", "parenthesized_expression", "expression_list", "pattern_list",
                         "tuple_pattern", "list_pattern", "list_splat_pattern", "list_splat",
                         "parenthesized_list_splat"})
_TARGET_OF = frozenset({"assignment", "augmented_assignment", "for_statement", "for_in_clause"})
_BINDS_ALL = frozenset({"delete_statement", "as_pattern_target", "global_statement", "nonlocal_statement"})
_TYPE_PARTS = frozenset({"type", "splat_type", "generic_type", "type_parameter"})
_STOPS = frozenset({"block", "module", "function_definition", "class_definition", "case_clause",
                    "decorated_definition", "lambda"})
_OPERATOR = b"+-*/%&|^@<>!~"
_AUGMENTED = b"+-*/%&|^@"  # followed by `=`
_AUGMENTED_3 = (b"//=", b"**=", b"<<=", b">>=")


def may_bind(node) -> bool:
    """Whether identifier `node` is (or may be) in a binding position: every form the scope index records
    (python_bindings._classify) and those it does not (match captures, `del (a, b)`, `with f() as (a, b)`)."""
    kind, _value = _classify(node)
    if kind is not None and kind != "skip":
        return True
    child, parent = node, node.parent
    while parent is not None and parent.type in _CONTAINERS:
        child, parent = parent, parent.parent
    if parent is None:
        return False
    if parent.type in _BINDS_ALL or (parent.type in _TARGET_OF and parent.child_by_field_name("left") == child):
        return True
    if parent.type == "named_expression" and parent.child_by_field_name("name") == child:
        return True
    up, child = node.parent, node
    while up is not None and up.type in ("type", "splat_type"):
        up, child = up.parent, up
    if up is not None and up.type == "type_parameter" and up.parent is not None \
            and up.parent.type in ("function_definition", "class_definition"):
        return True  # `def f[T, *Ts, **P]()`, `class C[T]` (3.12)
    while up is not None and up.type in _TYPE_PARTS:
        up, child = up.parent, up
    if up is not None and up.type == "type_alias_statement" and up.named_children[0] == child:
        return True  # `type A[T] = ...`: the alias and its parameters (3.12)
    current = node.parent  # a capture anywhere in a match-case pattern (also class names: a superset)
    while current is not None and current.type not in _STOPS:
        if current.type == "case_pattern":
            return True
        if current.type.endswith("_statement"):
            break
        current = current.parent
    if parent.type in ("dotted_name", "aliased_import") and parent.parent is not None \
            and parent.parent.type == "future_import_statement":
        return True  # `from __future__ import annotations` (not in the scope index's imports)
    return False


def read_only(source: bytes, at: int, end: int) -> bool:
    """Whether the text around the occurrence source[at:end] of a name shows that it is read there (called,
    an attribute taken, an operand of a non-assigning operator), so it cannot bind the name. False: it may."""
    size = len(source)
    j = end
    while j < size and source[j] in b" \t":
        j += 1
    following = source[j:j + 1]
    if following == b".":
        return True
    if following == b"(":
        k = at
        while k and source[k - 1] in b" \t\\\r\n":
            k -= 1
        before = source[max(0, k - 5):k]
        return not (before.endswith(b"def") or before.endswith(b"class"))
    if following == b"=":
        return source[j + 1:j + 2] == b"="  # `len == n`; `len = 1`, `len =-1` bind
    if following and following in _OPERATOR:
        if source[j:j + 3] in _AUGMENTED_3 or (source[j + 1:j + 2] == b"=" and following in _AUGMENTED):
            return False  # `len += 1`, `len //= 2`, `len <<= 1`
        return True  # `len + 1`, `len <= n`, `len != n`, `len ** 2`
    return False


def bound_anywhere(scopes, name: str) -> bool:
    """Whether any occurrence of `name` the scope index would classify (the same ones: `_whole_words`) may bind
    it, or an import binds it. True whenever the tree has errors (error recovery can put a name anywhere) or
    `scopes` covers part of a file. Scopes asks only about the builtins (ASKED)."""
    if name in scopes.imports or not scopes.clean:
        return True
    source = scopes.source
    search = _SEARCHES.get(name)
    if search is None:
        search = _search(name)
        if name in ASKED:  # (other names: tests)
            _SEARCHES[name] = search
    size = len(name.encode("utf-8", "replace"))
    for match in search(source):
        budgets.tick()
        at = match.start()
        if not read_only(source, at, at + size):
            node = scopes.locate(at, at + size)
            if node is not None and node.type == "identifier" and node.start_byte == at and may_bind(node):
                return True
    return False


_SEARCHES: dict = {}


def _search(name: str):
    """finditer over the whole-word occurrences of `name` not after a dot (python_scopes._whole_words's) less
    those a call, an attribute, `==` or a quote follows — but a call's name after `def `/`class ` or odd white
    space stays (read_only looks further back). Compiled once per process for each builtin."""
    word = re.escape(name.encode("utf-8", "replace"))
    # (the name first, what comes before it tested behind: a pattern that starts with a look-behind or an
    # alternation is tried at every offset, one that starts with a literal only where that occurs)
    maybe_def = b"|".join(rb"(?<=" + before + word + rb")" for before in (rb"def ", rb"class ", rb"[\t\\\r\n]", rb"  "))
    return re.compile(word + rb"(?<![A-Za-z0-9_.]" + word + rb")(?![A-Za-z0-9_])(?:(?![ \t]*(?:[(.\"']|==))|"
                      rb"(?=[ \t]*\()(?:" + maybe_def + rb"))").finditer
