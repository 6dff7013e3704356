"""Equality tests of secret-like names (`password == "x"`, strcmp, .equals) as operator.eq facts, and the
cheap source-text gate that says whether a file can hold one."""
from __future__ import annotations

import re

from ..facts import Call, merge
from .flowvalues import labelled

EQUALS = frozenset((b"==", b"!=", b"===", b"!==", b"eq", b"ne"))
EQ_METHODS = frozenset(("equals", "equalsIgnoreCase", "contentEquals", "Equals", "strcmp", "strcasecmp", "strncmp",
                        "hash_equals", "secure_compare", "compare_digest", "eql?", "equal?", "ConstantTimeCompare"))
_SECRET_WORDS = (r"(?:get_?)?(?:pass|passwd|password|passphrase|pwd|pw|passcode|pin|pincode|secret|credentials?|creds?"
                 r"|secret_?key|api_?key|(?:auth|access|api|admin|master|private|secret)_?token|master_?key"
                 r"|admin_?key|admin_?pass\w*|magic|backdoor)")
SECRET_NAMES = re.compile(r"(?i)(?:^|[._$@>-])" + _SECRET_WORDS + r"(?:\(\))?$")
# In the source text, such a name is one of those words followed by no name character: a superset of what
# SECRET_NAMES accepts on a comparison side, so a file without it cannot hold a magic-value comparison.
_SECRET_IN_SOURCE = re.compile((r"(?i)" + _SECRET_WORDS + r"(?![\w$])").encode())
_COMPARE_IN_SOURCE = re.compile(rb"(?i)==|!=|equals|strn?case|strn?cmp|compare|eql\?|equal\?|\b(?:eq|ne)\b")


def compare_possible(source: bytes) -> bool:
    """Whether an equality test of a secret-like name could occur in `source`: the layer runs for it."""
    return _SECRET_IN_SOURCE.search(source) is not None and _COMPARE_IN_SOURCE.search(source) is not None


def comparison_sides(node):
    """(left, right) of an equality test node, else None."""
    op = node.child_by_field_name("operator")
    ops = [op.text] if op is not None else [c.text for c in node.children if not c.is_named]
    named = [c for c in node.named_children if "comment" not in c.type]
    if len(named) != 2 or not ops or ops[0] not in EQUALS:
        return None
    return named[0], named[1]


def comparison_fact(flow, node, scope, left, right) -> Call | None:
    """`a == b`, `a.equals(b)`, strcmp(a, b) as the fact operator.eq(a, b) when a side is read from a name
    like `password`, `apiKey` or `adminToken` (that side carries the label `credential-name`), else None."""
    named = [SECRET_NAMES.search(side.text[-64:].decode("utf-8", "replace")) is not None for side in (left, right)]
    if not any(named):
        return None
    values = []
    for side, secret in zip((left, right), named):
        value = flow.value(side)
        if secret:
            value = merge([value, labelled(("credential-name",), side.start_point[0] + 1,
                                           side.text[:40].decode("utf-8", "replace"))], const=value.const)
        values.append(value)
    return Call(callee="operator.eq", args=tuple(values), line=node.start_point[0] + 1,
                end_line=node.end_point[0] + 1, column=node.start_point[1] + 1, scope=scope.id)
