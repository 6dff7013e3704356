"""Strings the C-like adapters build from pieces: char-code arrays made text (`new String(new char[]{..})`, Go
`string([]byte{..})`, `Encoding.UTF8.GetString`, Kotlin `String(charArrayOf(..))`, Rust `concat!`/`from_utf8`),
casts to char, `+` of chars and numbers, adjacent C literals. The folded view reads these values too."""
from __future__ import annotations

from ..constants import NotConstant
from ..facts import Value, merge
from .clike_literals import ARRAYS, CHAR_TYPES, Char, codes_to_text, concat

# calls whose (first) argument, a char or byte list, becomes text
_TO_TEXT = frozenset(("String", "string", "GetString", "from_utf8", "from_utf8_lossy"))
_CODE_LISTS = frozenset(("charArrayOf", "byteArrayOf", "arrayOf", "intArrayOf"))
_ARRAY_NODES = frozenset(("array_creation_expression", "implicit_array_creation_expression", "composite_literal"))


def value(flow, node) -> Value | None:
    """The value of a node these rules know, else None (the adapter's own rules apply)."""
    kind = node.type
    try:
        if kind == "concatenated_string":
            return _text([flow.value(c) for c in node.named_children if c.type in flow.STRING_KINDS])
        if kind == "cast_expression":
            target = node.child_by_field_name("type")
            operand = node.child_by_field_name("value") or (node.named_children[-1] if node.named_children else None)
            if target is not None and operand is not None and target.text.decode() in CHAR_TYPES:
                return Value(Char(_code(flow.value(operand).const)))
            return None
        if kind == "binary_expression":
            return _plus(flow, node)
        if kind in flow.CALLS or kind == "macro_invocation":
            return _call(flow, node)
    except (NotConstant, ValueError, OverflowError):
        return None
    return None


def _plus(flow, node) -> Value | None:
    """`+` where a char or a number takes part (`"a" + 'b' + 1` is "ab1", `'a' + 1` is 98)."""
    op = node.child_by_field_name("operator")
    ops = [op] if op is not None else [c for c in node.children if not c.is_named]
    named = [c for c in node.named_children if "comment" not in c.type]
    if len(ops) != 1 or ops[0].text != b"+" or len(named) != 2:
        return None
    left, right = flow.value(named[0]), flow.value(named[1])
    if isinstance(left.const, str) and isinstance(right.const, str):
        return None  # the adapter's own `+` of strings
    if not (left.known and right.known) or left.labels or right.labels:
        return None
    return Value(concat(left.const, right.const))


_NAMES = _TO_TEXT | _CODE_LISTS | {"concat", "vec", "rune", "byte", "valueOf", "toString", "Concat"}


def _call(flow, node) -> Value | None:
    name = _call_name(node)
    if name not in _NAMES:
        return None
    receiver, args = _receiver(node), _arguments(node)
    if node.type == "macro_invocation":
        if name == "concat":
            return _text([flow.value(a) for a in args])
        if name == "vec":
            return Value([_code(flow.value(a).const) for a in args])
        return None
    if name in _CODE_LISTS:
        return Value([_code(flow.value(a).const) for a in args])
    if name in ("rune", "byte") and len(args) == 1:
        return Value(Char(_code(flow.value(args[0]).const)))
    if name in _TO_TEXT and len(args) == 1 or (name == "valueOf" and receiver == "String" and len(args) == 1) or \
            (name == "toString" and receiver == "Character" and len(args) == 1):
        codes = codes_of(flow, args[0])
        return Value(codes_to_text(codes)) if codes is not None else None
    if name == "Concat" and receiver in ("string", "String") and args:
        return _text([flow.value(a) for a in args])
    return None


def codes_of(flow, node) -> list | None:
    """The char/byte codes an array node (or a call making one) holds, else None."""
    while node.type in _ARRAY_NODES:
        node = next((c for c in node.named_children if c.type in ARRAYS), None)
        if node is None:
            return None
    if node.type in ARRAYS:
        return [_code(flow.value(c).const) for c in node.named_children if "comment" not in c.type]
    const = flow.value(node).const
    if isinstance(const, list):
        return const
    if isinstance(const, int) and not isinstance(const, bool):
        return [const]
    return None


def _text(values: list[Value]) -> Value | None:
    if values and all(isinstance(v.const, str) or isinstance(v.const, Char) for v in values):
        out = "".join(v.const if isinstance(v.const, str) else chr(v.const) for v in values)
        return merge(values, const=out) if any(v.labels for v in values) else Value(out)
    return None


def _code(value) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        if isinstance(value, str) and len(value) == 1:
            return ord(value)
        raise NotConstant
    return int(value)


def call_shape(node):
    """(last name, receiver text or None, [argument nodes]) of a call node of any C-like grammar."""
    return _call_name(node), _receiver(node), _arguments(node)


def _call_name(node) -> str | None:
    if node.type == "macro_invocation":
        macro = node.child_by_field_name("macro")
        return macro.text.decode() if macro is not None else None
    if node.type == "object_creation_expression":
        target = node.child_by_field_name("type")
    elif node.type == "method_invocation":
        target = node.child_by_field_name("name")
    else:
        target = node.child_by_field_name("function") or (node.named_children[0] if node.named_children else None)
    if target is None:
        return None
    for field in ("name", "field"):
        inner = target.child_by_field_name(field)
        if inner is not None:
            target = inner
            break
    else:
        if target.type == "navigation_expression" and target.named_children:
            target = target.named_children[-1]
    text = target.text.decode("utf-8", "replace")
    return text.rsplit(".", 1)[-1].rsplit("::", 1)[-1]


def _receiver(node) -> str | None:
    if node.type == "method_invocation":
        obj = node.child_by_field_name("object")
        return obj.text.decode() if obj is not None else None
    function = node.child_by_field_name("function") or (node.named_children[0] if node.named_children else None)
    if function is None or node.type == "object_creation_expression":
        return None
    for field in ("expression", "operand", "value", "path"):
        inner = function.child_by_field_name(field)
        if inner is not None:
            return inner.text.decode()
    if function.type == "navigation_expression" and len(function.named_children) >= 2:
        return function.named_children[0].text.decode()
    return None


def _arguments(node) -> list:
    if node.type == "macro_invocation":
        tree = next((c for c in node.named_children if c.type == "token_tree"), None)
        return [c for c in tree.named_children if "comment" not in c.type] if tree is not None else []
    args = node.child_by_field_name("arguments")
    if args is None:
        args = next((c for c in node.named_children if c.type in ("value_arguments", "argument_list", "arguments")),
                    None)
    if args is None:
        suffix = next((c for c in node.named_children if c.type == "call_suffix"), None)  # Kotlin
        args = next((c for c in suffix.named_children if c.type == "value_arguments"), None) if suffix else None
    if args is None:
        return []
    out = []
    for child in args.named_children:
        if "comment" in child.type:
            continue
        if child.type in ("argument", "value_argument") and len(child.named_children) == 1:
            child = child.named_children[0]
        out.append(child)
    return out
