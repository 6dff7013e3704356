"""Is a JavaScript/TypeScript statement on a branch its user's setting chooses (analyze/option_branch for Python)?
request's `if (self.strictSSL === false) self.rejectUnauthorized = false` and node-postgres' `case "no-verify":` under
`switch (process.env.PGSSLMODE)` honour a setting; the same line under `if (url)` does not.

There are no defaults to evaluate: an option is a switch-named property of the object itself (`this.`/`self.`), of
the environment, or of a parameter (`options.insecure`), or a parameter named like one; a local object's property
(`const cfg = {verifyTls: false}`) is the code's own choice, and so is a switch the file itself sets to its insecure
side (`connect({insecure: true})`).
"""
from __future__ import annotations

import re

from .option_branch import SWITCH

_JS_SCOPES = frozenset(("function_declaration", "function_expression", "arrow_function", "method_definition",
                        "generator_function_declaration", "generator_function", "program", "class_body"))


def chosen_by(node) -> str | None:
    """The setting whose test leads to `node`, or None."""
    child, parent = node, node.parent
    while parent is not None and parent.type not in _JS_SCOPES:
        for test in _js_tests_to(parent, child):
            for name in _js_names(test):
                key = name.rsplit(".", 1)[-1]
                if SWITCH.search(key) and _js_option_holder(name, test) and not _js_set_in_file(parent, key):
                    return name
        child, parent = parent, parent.parent
    return None


def _js_option_holder(name: str, test) -> bool:
    """Whose setting it is: the object's own (`this.`/`self.`), the environment's, or a parameter's
    (`options.insecure`, `verify`); a local object (`const cfg = {insecure: true}`) is the code's own choice."""
    head = name.split(".", 1)[0]
    if head in ("this", "self") or name.startswith("process.env."):
        return True
    holder = next((n for n in _walk(test) if n.type == "identifier" and n.text.decode("utf-8", "replace") == head),
                  None)
    return holder is not None and _is_parameter(holder)


def _js_set_in_file(node, key: str) -> bool:
    """Whether the file itself gives the switch a literal on its insecure side (`connect({insecure: true})`,
    `strictSSL: false`): then a caller here makes the choice, and it is reported as any other. Read from the file's
    text (a walk of the whole tree for every finding was quadratic: 3,000 option branches ran past the deadline)."""
    root = node
    while root.parent is not None:
        root = root.parent
    text = root.text or b""
    memo = _LAST_FILE if _LAST_FILE and _LAST_FILE[0] == text else None  # the findings of one file ask in turn
    if memo is None:
        _LAST_FILE[:] = [text, {}]
        memo = _LAST_FILE
    if key not in memo[1]:
        memo[1][key] = _set_insecure(text, key)
    return memo[1][key]


_LAST_FILE: list = []  # [text, {switch: answer}] of the last file asked about (exact text compared, not hashed)


def _set_insecure(text: bytes, key: str) -> bool:
    negative = bool(_JS_NEGATIVE.search(key))
    for found in re.finditer(re.escape(key.encode()), text):  # a literal first: re scans for it fast
        match = _SET_VALUE.match(text, found.end())
        if match is None:
            continue
        value = match.group(1)
        if value == (b"true" if negative else b"false") or (not negative and value in (b"0", b"!1")) or \
                value[:1] in (b"'", b'"') and _JS_OFF.search(value.decode("utf-8", "replace")):
            return True  # the insecure side, written here (a `{strictSSL: true}` default is not)
    return False


_SET_VALUE = re.compile(rb"['\"]?\s*:\s*(true|false|0|!1|'[^'\n]{0,40}'|\"[^\"\n]{0,40}\")")
_JS_NEGATIVE = re.compile(r"(?i)insecure|unsafe|skip|disable|ignore|no_?verify|allow")
_JS_OFF = re.compile(r"(?i)no-?verify|disable|insecure|^['\"`](?:none|off|allow|prefer)['\"`]$")


def _js_tests_to(parent, child) -> list:
    kind = parent.type
    if kind == "if_statement":
        condition = parent.child_by_field_name("condition")
        return [condition] if condition is not None and child != condition else []
    if kind == "ternary_expression":
        condition = parent.child_by_field_name("condition")
        return [condition] if condition is not None and child != condition else []
    if kind in ("switch_case", "switch_default"):
        body = parent.parent
        switch = body.parent if body is not None else None
        value = switch.child_by_field_name("value") if switch is not None else None
        return [value] if value is not None else []
    return []


def _js_names(test) -> list[str]:
    """Switch candidates a JS test reads: member chains by their text (`self.strictSSL`, `process.env.PGSSLMODE`)
    and the names of parameters of the function around it."""
    out, stack = [], [test]
    while stack:
        node = stack.pop()
        if node is None:
            continue
        if node.type == "member_expression":
            out.append(node.text.decode("utf-8", "replace"))
        elif node.type == "identifier" and _is_parameter(node):
            out.append(node.text.decode("utf-8", "replace"))
        elif node.type != "call_expression":
            stack.extend(node.named_children)
        else:
            stack.append(node.child_by_field_name("arguments"))
    return out


def _is_parameter(identifier) -> bool:
    name, current = identifier.text, identifier.parent
    while current is not None and current.type not in _JS_SCOPES:
        current = current.parent
    params = current.child_by_field_name("parameters") if current is not None else None
    if params is None and current is not None and current.type == "arrow_function":
        params = current.child_by_field_name("parameter")
    if params is None:
        return False
    return any(n.type == "identifier" and n.text == name for n in _walk(params))


def _walk(node):
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(current.named_children)
