"""Calls that run only on Windows: inside `if sys.platform == "win32":` / `if os.name == "nt":` (or the else of the
negated test), where os.chmod can only set or clear the read-only flag."""
from __future__ import annotations

import re

MAX_LEVELS = 12  # statements climbed from a call to its function
_STOP = frozenset({"function_definition", "lambda", "class_definition", "module"})
_Q = r"""["']"""
# the tests of the platform written the usual ways; `is_win` means the test says "Windows" when it holds
_TEST = re.compile(
    rf"^(?:sys\.platform\s*(?P<op1>==|!=)\s*{_Q}win32{_Q}|{_Q}win32{_Q}\s*(?P<op2>==|!=)\s*sys\.platform|"
    rf"os\.name\s*(?P<op3>==|!=)\s*{_Q}nt{_Q}|{_Q}nt{_Q}\s*(?P<op4>==|!=)\s*os\.name|"
    rf"platform\.system\(\)\s*(?P<op5>==|!=)\s*{_Q}Windows{_Q}|"
    rf"(?P<neg>not\s+)?sys\.platform\.startswith\(\s*{_Q}win(?:32)?{_Q}\s*\))$")


def _says_windows(condition) -> bool | None:
    """True: the condition holds only on Windows; False: only elsewhere; None: it says neither."""
    while condition is not None and condition.type == "parenthesized_expression" and condition.named_child_count:
        condition = condition.named_children[0]
    if condition is None:
        return None
    if condition.type == "boolean_operator":
        left, right = condition.child_by_field_name("left"), condition.child_by_field_name("right")
        operator = condition.child_by_field_name("operator")
        if operator is not None and operator.type == "and" and (_says_windows(left) or _says_windows(right)):
            return True  # `win32 and x`: still only on Windows
        return None
    text = condition.text
    if len(text) > 120:
        return None
    found = _TEST.match(re.sub(r"\s+", " ", text.decode("utf-8", "replace")).strip())
    if found is None:
        return None
    if found.group("neg") is not None:
        return False
    op = next((found.group(g) for g in ("op1", "op2", "op3", "op4", "op5") if found.group(g)), "==")
    return op == "=="


def windows_only(node) -> bool:
    """Whether `node` runs only when the platform is Windows (a branch of a platform test in its function)."""
    current = node
    for _ in range(MAX_LEVELS):
        parent = current.parent
        if parent is None or parent.type in _STOP:
            return False
        if parent.type in ("if_statement", "elif_clause") and current == parent.child_by_field_name("consequence"):
            if _says_windows(parent.child_by_field_name("condition")):
                return True
        elif parent.type == "else_clause" and parent.parent is not None and parent.parent.type == "if_statement":
            chain = parent.parent
            tests = [chain.child_by_field_name("condition")] + [
                c.child_by_field_name("condition") for c in chain.named_children if c.type == "elif_clause"]
            if any(_says_windows(t) is False for t in tests):
                return True  # the else of `if os.name != "nt":` runs on Windows only
        current = parent
    return False
