"""A shell word's skeleton: its text with each variable replaced by what the variable holds — the constant when it is
known, else the text it was last bound to, its own unknown variables left as written (`target="/dev/tcp/$H/$P"`
makes `"$target"` read `/dev/tcp/$H/$P`). The folded view writes it where the shape rules read words."""
from __future__ import annotations

from .shell_downloads import node_text as _text

MAX_DEPTH = 4
MAX_LEN = 4096
_WORDS = frozenset(("string", "concatenation", "simple_expansion", "expansion", "word", "raw_string", "number"))


def skeleton(flow, node, depth: int = 0) -> str | None:
    """What an expansion (`$X`, `${X}`) stands for, one line, or None when nothing better than its text is known."""
    found = spelled(flow, node, depth)
    return found[0] if found is not None else None


def spelled(flow, node, depth: int = 0) -> tuple[str, bool] | None:
    """(skeleton, as_source): as_source when the text is source as written inside double quotes (already escaped),
    not a constant's characters."""
    name = flow.name_of(node)
    if name is None or depth > MAX_DEPTH:
        return None
    const = flow.value(node).const
    if isinstance(const, str):
        return (const, False) if "\n" not in const and len(const) <= MAX_LEN else None
    bound = _binding(flow, name, node)
    if bound is None or bound.type not in _WORDS:
        return None
    text = _spelled(flow, bound, depth + 1)
    return (text, True) if "\n" not in text and len(text) <= MAX_LEN else None


def _binding(flow, name: str, node):
    """The node the last `NAME=...` before `node` (in its scope or an enclosing one) assigned, else None."""
    flow._indexed()
    scope = flow.scope_at(node)
    while scope is not None:
        events = scope.events.get(name)
        if events:
            before = [e for e in events if e.pos <= node.start_byte and e.kind == "set" and e.node is not None]
            return before[-1].node if before else None
        scope = scope.parent
    return None


def _spelled(flow, node, depth: int) -> str:
    """A bound word's text with its variables replaced by their skeletons where known (quotes of a string dropped)."""
    if node.type in ("simple_expansion", "expansion"):
        inner = skeleton(flow, node, depth)
        return inner if inner is not None else _text(node)
    if node.type == "raw_string":
        return _text(node)[1:-1]
    if node.type not in ("string", "concatenation"):
        return _text(node)
    parts, pos = [], node.start_byte + (1 if node.type == "string" else 0)
    end = node.end_byte - (1 if node.type == "string" else 0)
    for child in node.named_children:
        parts.append(flow.source[pos:child.start_byte].decode("utf-8", "replace"))
        parts.append(_spelled(flow, child, depth))
        pos = child.end_byte
    parts.append(flow.source[pos:end].decode("utf-8", "replace"))
    return "".join(parts)

