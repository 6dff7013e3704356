"""A request value the handler has checked with a validating test and stopped on when the test failed:
`if (!HOSTS.has(url.hostname)) return res.status(403).end();` then `fetch(url)`, or uses only inside the branch
where the test held (`if (u.protocol === 'https:') shell.openExternal(u)`). The use gets the `checked` label
(rules grade it lower: the check may be incomplete, but the code is not taking any value the client sends)."""
from __future__ import annotations

import re

# a test that validates text rather than only its presence: membership, a pattern, a prefix, an address parser
_VALIDATES = re.compile(rb"\.(?:has|includes|test|startsWith|endsWith|match|indexOf)\s*\(|\bis(?:IP|IPv4|IPv6|URL|FQDN|"
                        rb"Email|UUID|Alphanumeric)\s*\(|\bsafeParse\s*\(")
_EXITS = frozenset(("return_statement", "throw_statement"))
_STOP = frozenset(("function_declaration", "arrow_function", "function_expression", "function", "method_definition",
                   "program", "class_body"))
MAX_LEVELS = 12
MAX_SIBLINGS = 24


def may_check_param(values, labels) -> bool:
    """Whether a value holding a parameter's data may be checked in its function: the function (the first parameter
    label's) has a validating test or a URL field compared at all (searched once per function: most have none)."""
    found = next((lab for lab in labels if lab.startswith("param:")), None)
    if found is None:
        return False
    key = int(found.split(":")[1])
    known = values.__dict__.setdefault("_validating", {})
    if key not in known:
        function = values.defs.get(key)
        text = function.text if function is not None else b""
        known[key] = b"if" in text and (_VALIDATES.search(text) is not None or _URL_FIELD.search(text) is not None)
    return known[key]


_URL_FIELD = re.compile(rb"\.(?:protocol|hostname|host|origin)\s*[!=]==?|[!=]==?\s*[\w$]+\.(?:protocol|hostname|host|origin)\b")


def guarded(name: str, use, since: int) -> bool:
    """True when a statement before the use (after byte `since`, the name's binding) tests `name` with a validating
    test and returns/throws when it holds."""
    word = re.compile(rb"(?<![\w$.])" + re.escape(name.encode()) + rb"(?![\w$])")
    current = use
    for _ in range(MAX_LEVELS):
        parent = current.parent
        if parent is None or parent.type in _STOP:
            return False
        if parent.type == "if_statement" and parent.child_by_field_name("consequence") == current and \
                _checks(parent.child_by_field_name("condition"), word, _compared(name)):
            return True  # if (u.protocol === 'https:') shell.openExternal(u): used only where the test held
        if parent.type == "statement_block":
            sibling, seen = current.prev_named_sibling, 0
            while sibling is not None and sibling.start_byte >= since and seen < MAX_SIBLINGS:
                if sibling.type == "if_statement" and \
                        _checks(sibling.child_by_field_name("condition"), word, _compared(name)) and \
                        _exits(sibling.child_by_field_name("consequence")):
                    return True
                sibling, seen = sibling.prev_named_sibling, seen + 1
        current = parent
    return False


def _checks(condition, word, compared) -> bool:
    if condition is None or not word.search(condition.text):
        return False
    return bool(_VALIDATES.search(condition.text)) or bool(compared.search(condition.text))


def _compared(name: str):
    """`u.protocol === 'https:'`, `'github.com' !== u.hostname`: the parsed URL's scheme or host against a constant."""
    field = re.escape(name.encode()) + rb"\.(?:protocol|hostname|host|origin)\b"
    return re.compile(rb"(?<![\w$.])" + field + rb"\s*[!=]==?\s*['\"`]|['\"`]\s*[!=]==?\s*" + field)


def _exits(consequence) -> bool:
    if consequence is None:
        return False
    if consequence.type in _EXITS:
        return True
    if consequence.type == "expression_statement":  # `if (bad) ctx.throw(400)`
        return bool(re.match(rb"\s*[\w$.]*\bthrow\s*\(", consequence.text))
    if consequence.type == "statement_block":
        last = [c for c in consequence.named_children if c.type != "comment"]
        return bool(last) and _exits(last[-1])
    return False
