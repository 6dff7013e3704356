"""Control flow a value depends on, cheaply: branches a constant condition never takes, and checks of a name
that stop the function when the data is bad (`if '..' in name: abort(404)`) before the name is used."""
from __future__ import annotations

from ..constants import NotConstant, evaluate

MAX_LEVELS = 12  # statements climbed from a use to its function
MAX_SIBLINGS = 60  # earlier statements of one block examined for a guard
_CHECK_METHODS = frozenset({b"startswith", b"endswith", b"isdigit", b"isalnum", b"isalpha", b"isidentifier",
                            b"isnumeric", b"isdecimal", b"match", b"fullmatch", b"search", b"is_relative_to",
                            b"isascii",
                            # `if os.path.commonpath([root, target]) != root: return`: the resolved path must stay
                            # inside the folder (the zip-slip / traversal check)
                            b"commonpath", b"commonprefix"})
_EXITS = frozenset({b"abort", b"exit", b"_exit", b"HttpResponseBadRequest", b"HTTPException"})
_STOP = ("function_definition", "lambda", "class_definition", "module")


def dead_branch(values, node) -> bool:
    """True when `node` sits in a branch of an if statement whose condition is a constant that never selects it
    (`if 7 * 42 - num > 200: ... else: <node>`)."""
    current = node
    for _ in range(MAX_LEVELS):
        parent = current.parent
        if parent is None or parent.type in _STOP:
            return False
        if parent.type in ("if_statement", "elif_clause") and current != parent.child_by_field_name("condition"):
            taken = _constant(values, parent.child_by_field_name("condition"))
            if taken is not None:
                in_body = current == parent.child_by_field_name("consequence")
                if in_body != taken:
                    return True
        current = parent
    return False


def _constant(values, condition) -> bool | None:
    if condition is None:
        return None
    try:
        return bool(evaluate(condition, values))
    except NotConstant:
        return None


def guarded(name: str, use, since: int) -> bool:
    """True when, between byte `since` and the use, the function checks `name` with a string test and stops
    (returns, raises, aborts) when the test says so: the use runs only for data that passed the check."""
    current = use
    for _ in range(MAX_LEVELS):
        parent = current.parent
        if parent is None or parent.type in _STOP:
            return False
        if parent.type == "else_clause" and parent.parent is not None and parent.parent.type == "if_statement":
            statement = parent.parent
            if statement.start_byte >= since and _checks(statement.child_by_field_name("condition"), name) \
                    and _exits(statement.child_by_field_name("consequence")):
                return True
        if parent.type == "block":
            seen = 0
            sibling = current.prev_named_sibling
            while sibling is not None and sibling.start_byte >= since and seen < MAX_SIBLINGS:
                if sibling.type == "if_statement" and _checks(sibling.child_by_field_name("condition"), name) \
                        and _exits(sibling.child_by_field_name("consequence")):
                    return True
                sibling = sibling.prev_named_sibling
                seen += 1
        current = parent
    return False


def _checks(condition, name: str) -> bool:
    """A condition that tests the text of `name` (`'..' in name`, `name.startswith(...)`, a regex match)."""
    if condition is None or name.encode() not in condition.text:
        return False
    stack = [condition]
    mentions = tests = False
    while stack:
        node = stack.pop()
        if node.type == "identifier" and node.text.decode("utf-8", "replace") == name:
            mentions = True
        elif node.type == "comparison_operator" and any(c.type in ("in", "not in") for c in node.children):
            tests = True
        elif node.type == "call":
            fn = node.child_by_field_name("function")
            if fn is not None and fn.type == "attribute" and fn.child_by_field_name("attribute").text in _CHECK_METHODS:
                tests = True
        stack.extend(node.named_children)
    return mentions and tests


def _exits(block) -> bool:
    if block is None or not block.named_children:
        return False
    last = block.named_children[-1]
    if last.type in ("return_statement", "raise_statement", "continue_statement", "break_statement"):
        return True
    if last.type == "expression_statement" and last.named_children and last.named_children[0].type == "call":
        fn = last.named_children[0].child_by_field_name("function")
        word = fn.child_by_field_name("attribute") if fn is not None and fn.type == "attribute" else fn
        return word is not None and word.text in _EXITS
    return False


_BRANCHES = frozenset({"if_statement", "elif_clause", "else_clause", "for_statement", "while_statement",
                       "try_statement", "except_clause", "match_statement", "case_clause"})


def conditional(values, node, use_at: int) -> bool:
    """True when the binding at `node` may not run before a use at byte `use_at`: it sits in a branch, loop
    body or handler that does not also hold the use (a constant condition that is taken, or a loop over a
    non-empty constant, runs for sure)."""
    current = node
    for _ in range(MAX_LEVELS):
        parent = current.parent
        if parent is None or parent.type in _STOP:
            return False
        if parent.type in _BRANCHES and not parent.start_byte <= use_at < parent.end_byte:
            if parent.type == "for_statement" and current == parent.child_by_field_name("body"):
                from .python_loops import loop_over_constant
                loop = loop_over_constant(values, current.named_children[0]) if current.named_children else None
                if loop is not None and loop[1]:
                    current = parent
                    continue
            if parent.type == "if_statement" and current == parent.child_by_field_name("consequence") and \
                    _constant(values, parent.child_by_field_name("condition")) is True:
                current = parent
                continue
            if parent.type != "try_statement" or current.type != "block":  # a try body runs (to its end, mostly)
                return True
        current = parent
    return False
