"""A JavaScript member name written in pieces (`el['add' + 'EventListener']`, `o['\\x6c\\x6f\\x67']`) that spells an
API with no power to run code, reach the system or move data: the pieces hide nothing worth hiding. A rule's
`harmless_name` grade applies to such a match (analyze/document._emit); a name that may run code, load a module,
start a process, read the environment or a file, or send data keeps the rule's severity. A timer
(`window['set' + 'Timeout']`) runs code only when given text: it is harmless when every use passes a function."""
from __future__ import annotations

import re

from .semantics.lang.js_scopes import FUNCTIONS, enclosing_function

# a name containing one of these words (any case) may run code or reach the system: the match keeps its grade
_POWERFUL = re.compile(
    r"(?i)eval|func|exec|spawn|fork|require|import|module|process|child|construct|proto|binding|dlopen|script|"
    r"compile|context|env|fetch|request|send|beacon|post|connect|socket|write|read|unlink|rm|remove|delete|cookie|"
    r"storage|location|href|src|html|open|load|http|net|dns|host|user|atob|btoa|char|decode|escape|buffer|global|"
    r"window|self|call|apply|bind|reflect|define|property|attribute|worker|message|wasm|instantiate|crypt|key|token|"
    r"pass|secret|exit|kill|signal|chmod|link|spawn|shell|cmd|command|run|system|url|navigate|redirect|submit|form|"
    # a page changed or left: elements made and put in (a <script> made in pieces), the address replaced
    r"create|element|append|insert|inject|prepend|before|after|replace|assign|adopt|child|node|frame|parse|write")
_TIMERS = frozenset({"setTimeout", "setInterval", "setImmediate"})
_STRING_PIECE = re.compile(r"""^(['"])([^'"\\]*)\1$""")
_ESCAPE = re.compile(r"\\x([0-9a-fA-F]{2})|\\u([0-9a-fA-F]{4})|\\u\{([0-9a-fA-F]{1,6})\}")
_FUNCTIONS = ("arrow_function", "function_expression", "function")
MAX_USES = 32  # uses of a variable holding a timer read before giving up (then: not known to be harmless)


def harmless(node) -> str | None:
    """The name a `x[...]` match (`node`, a subscript_expression, or a destructuring `pair_pattern`) spells when it
    is a harmless one, else None."""
    if node is None or node.type not in ("subscript_expression", "pair_pattern"):
        return None
    if node.type == "pair_pattern":  # const { ['add' + 'EventListener']: on } = el
        key = node.child_by_field_name("key")
        name = _spelled(key.named_children[0] if key is not None and key.named_children else None)
        return name if name is not None and name not in _TIMERS and not _POWERFUL.search(name) else None
    name = _spelled(node.child_by_field_name("index"))
    if name is None:
        return None
    if name in _TIMERS:
        return name if _called_with_functions(node) else None
    _, hits = _POWERFUL.subn("", name)
    return None if hits else name


def _spelled(index) -> str | None:
    """The text of a key written as string literals joined with `+`, or as one string of escapes; None otherwise."""
    if index is None:
        return None
    if index.type == "string":
        text = index.text.decode("utf-8", "replace")
        inner = text[1:-1]
        spelled = _ESCAPE.sub(lambda m: chr(int(m.group(1) or m.group(2) or m.group(3), 16)), inner)
        return spelled if "\\" not in spelled else None
    if index.type == "template_string":  # `exe${'c'}`: fragments and string-literal substitutions only
        out = []
        for child in index.named_children:
            inner = [c for c in child.named_children if c.type != "comment"] if child.type == "template_substitution" \
                else []
            if child.type == "string_fragment":
                out.append(child.text.decode("utf-8", "replace"))
            elif len(inner) == 1 and inner[0].type == "string" and _STRING_PIECE.match(inner[0].text.decode()):
                out.append(_STRING_PIECE.match(inner[0].text.decode()).group(2))
            else:
                return None
        return "".join(out)
    if index.type != "binary_expression":
        return None
    pieces = []
    stack = [index]
    while stack:
        part = stack.pop()
        if part.type == "binary_expression" and part.child_by_field_name("operator").type == "+":
            stack.append(part.child_by_field_name("right"))
            stack.append(part.child_by_field_name("left"))
            continue
        match = _STRING_PIECE.match(part.text.decode("utf-8", "replace")) if part.type == "string" else None
        if match is None:
            return None
        pieces.append(match.group(2))
        if len(pieces) > 16:
            return None
    return "".join(pieces)


def _called_with_functions(node) -> bool:
    """The timer is called right here with a function first (`w['set'+'Timeout'](() => ..)`), or held in a name
    whose every use in its scope is such a call (`const t = w['set'+'Timeout']; t(fn, 0)`)."""
    parent = node.parent
    if parent is not None and parent.type == "call_expression" and parent.child_by_field_name("function") == node:
        return _function_first(parent)
    if parent is None or parent.type != "variable_declarator" or parent.child_by_field_name("value") != node:
        return False
    name = parent.child_by_field_name("name")
    if name is None or name.type != "identifier":
        return False
    scope = enclosing_function(parent) or parent.parent
    while scope.parent is not None and scope.type not in FUNCTIONS:  # at module level: the whole program
        scope = scope.parent
    uses = 0
    stack = [scope]
    while stack:
        current = stack.pop()
        if current.type == "identifier" and current.text == name.text and current != name:
            uses += 1
            call = current.parent
            if uses > MAX_USES or call is None or call.type != "call_expression" or \
                    call.child_by_field_name("function") != current or not _function_first(call):
                return False
            continue
        stack.extend(current.named_children)
    return uses > 0


def _function_first(call) -> bool:
    """The call's first argument is a function written there (an arrow function or a function expression)."""
    args = call.child_by_field_name("arguments")
    first = next((a for a in args.named_children if a.type != "comment"), None) if args is not None else None
    return first is not None and first.type in _FUNCTIONS
