"""A digest taken inside a function that chains digests in a loop (`for ..: dc = md5(odd + md5(dc + even).digest())
.digest()`): the function implements an iterated, key-stretching scheme (md5-crypt, sha256-crypt, a PBKDF), so the
password is not hashed with "one fast pass", whatever the one call on its own looks like."""
from __future__ import annotations

MAX_NODES = 4000  # nodes of one function walked
_LOOPS = frozenset({"for_statement", "while_statement"})
_STOP = frozenset({"function_definition", "lambda", "class_definition", "module"})
_HASHY = (b"digest", b"md5", b"sha", b"hash", b"hmac", b"blake")


def stretched(node) -> bool:
    """Whether the function around the call `node` re-hashes a variable from its own previous value in a loop."""
    function = node.parent
    while function is not None and function.type not in _STOP:
        function = function.parent
    if function is None or function.type != "function_definition":
        return False
    stack, seen = [(function, False)], 0
    while stack and seen < MAX_NODES:
        current, in_loop = stack.pop()
        seen += 1
        if in_loop and current.type == "assignment" and _chains(current):
            return True
        if current.type in ("function_definition", "class_definition", "lambda") and current != function:
            continue
        looping = in_loop or current.type in _LOOPS
        stack.extend((child, looping) for child in current.named_children)
    return False


def _chains(assignment) -> bool:
    """`dc = H(odd + H(dc + even).digest()).digest()`: the name is bound to a digest computed from itself."""
    left, right = assignment.child_by_field_name("left"), assignment.child_by_field_name("right")
    if left is None or right is None or left.type != "identifier" or right.type != "call":
        return False
    text = right.text
    if not any(word in text.lower() for word in _HASHY):
        return False
    name = left.text
    stack = [right]
    while stack:
        current = stack.pop()
        if current.type == "identifier" and current.text == name:
            return True
        stack.extend(current.named_children)
    return False
