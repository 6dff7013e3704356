"""Is a Python statement on a branch its caller chooses? A library that offers "verify=False" has to turn the checks
off somewhere: `if verify is False: ctx.check_hostname = False` inside `create_ssl_context(verify=True)` honours
an option; the same line on its own, or under a test no caller controls, is a planted choice.

A branch is chosen by an option when the tests that lead to it (the `if`, an `elif`, the tests an `else` negates, a
conditional expression's test) read a parameter of the enclosing function named like a switch (verify, cert_reqs,
assert_hostname, insecure), or such an attribute of `self` (`self.verify`, `self._insecure`): `if url:` or
`if os.name == "nt":` chooses nothing a caller asked for. Not when the parameter's default already takes that branch for a caller
that passes nothing: a positive name (verify, check, validate, secure) defaulting to False or 0, or a negative one
(insecure, no_verify, skip_*, disable_*, unsafe) defaulting to True, is an insecure default, still reported.
"""
from __future__ import annotations

import re

_BRANCHES = frozenset(("if_statement", "elif_clause", "else_clause", "conditional_expression"))
_SCOPES = frozenset(("function_definition", "lambda", "class_definition", "module"))
_SWITCH = re.compile(r"(?i)verif|insecure|unsafe|ssl|tls|cert|hostname|fingerprint|check|validat|secure|trust|strict")
_NEGATIVE = re.compile(r"(?i)^_*(insecure|unsafe|no_?|skip|disable|ignore|allow_insecure|dont_)")
_FALSY = frozenset((b"False", b"0"))  # None: "the default", which is to verify


def chosen_by(node) -> str | None:
    """The option (a parameter or `self.<switch>`) whose test leads to `node`, or None."""
    tests, child, parent = [], node, node.parent
    while parent is not None and parent.type not in _SCOPES:
        tests.extend(_tests_to(parent, child))
        child, parent = parent, parent.parent
    if not tests:
        return None
    params = _parameters(parent) if parent is not None and parent.type == "function_definition" else {}
    for test in tests:
        for name in _names(test):
            if name in params and _SWITCH.search(name) and not _default_takes_branch(name, params[name]):
                return name
            if name.startswith("self.") and _SWITCH.search(name[5:]):
                return name
    return None


def _tests_to(parent, child) -> list:
    """The test nodes that decide whether `child` (a part of `parent`) runs."""
    kind = parent.type
    if kind == "if_statement":
        condition = parent.child_by_field_name("condition")
        if child == parent.child_by_field_name("consequence"):
            return [condition]
        if child.type in ("elif_clause", "else_clause"):  # the tests it comes after
            tests = [condition]
            for clause in parent.children_by_field_name("alternative"):
                if clause == child:
                    break
                tests.append(clause.child_by_field_name("condition"))
            return [t for t in tests if t is not None]
        return []
    if kind == "elif_clause" and child == parent.child_by_field_name("consequence"):
        return [parent.child_by_field_name("condition")]
    if kind == "conditional_expression":
        parts = [c for c in parent.named_children if c.type != "comment"]
        return [parts[1]] if len(parts) == 3 and child != parts[1] else []
    return []


def _names(test) -> list[str]:
    """The plain names and `self.<name>` attributes a test reads (not the names of calls it makes)."""
    out, stack = [], [test]
    while stack:
        node = stack.pop()
        if node is None:
            continue
        if node.type == "identifier":
            out.append(node.text.decode("utf-8", "replace"))
        elif node.type == "attribute":
            obj, attr = node.child_by_field_name("object"), node.child_by_field_name("attribute")
            if obj is not None and attr is not None and obj.type == "identifier" and obj.text == b"self":
                out.append("self." + attr.text.decode("utf-8", "replace"))
            continue  # `ssl.IS_PYOPENSSL`, `x.y`: a module's or another object's state, no option of this call
        elif node.type == "call":
            stack.append(node.child_by_field_name("arguments"))
            continue
        stack.extend(node.named_children)
    return out


def _parameters(function) -> dict[str, bytes | None]:
    """Parameter name → its default's text (None: no default)."""
    params = function.child_by_field_name("parameters")
    out: dict[str, bytes | None] = {}
    for param in params.named_children if params is not None else ():
        if param.type == "identifier":
            out[param.text.decode("utf-8", "replace")] = None
        elif param.type in ("typed_parameter", "list_splat_pattern", "dictionary_splat_pattern"):
            name = next((c for c in param.named_children if c.type == "identifier"), None)
            if name is not None:
                out[name.text.decode("utf-8", "replace")] = None
        elif param.type in ("default_parameter", "typed_default_parameter"):
            name, value = param.child_by_field_name("name"), param.child_by_field_name("value")
            if name is not None:
                out[name.text.decode("utf-8", "replace")] = value.text if value is not None else None
    out.pop("self", None)
    out.pop("cls", None)
    return out


def _default_takes_branch(name: str, default: bytes | None) -> bool:
    """A caller passing nothing gets the insecure branch: the option's default is the insecure choice."""
    if default is None:
        return False
    negative = bool(_NEGATIVE.search(name))
    return default == b"True" if negative else default in _FALSY
