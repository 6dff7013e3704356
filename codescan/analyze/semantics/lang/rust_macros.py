"""Rust macro arguments (token trees, not expressions, in the grammar): `format!`/`write!` filled in, `env!` and
`option_env!` as build-time environment reads, `include_str!` as a file read, `vec!` as a list, other pieces
evaluated token by token (variables, `path::call(..)` sources, pass-through methods)."""
from __future__ import annotations

import re

from ..constants import UNKNOWN
from ..facts import NOTHING, Value, merge
from .concepts import env_labels, path_labels
from .flowvalues import join, labelled
from .rust_names import PASS_THROUGH, canonical

_PLACEHOLDER = re.compile(r"\{\{|\}\}|\{([A-Za-z_][A-Za-z0-9_]*|\d+)?(?::[^}]*)?\}")
_FORMATS = frozenset(("format", "format_args", "print", "println", "eprint", "eprintln", "panic"))
MAX_PIECES = 64


def macro_name(node) -> str:
    macro = node.child_by_field_name("macro")
    text = macro.text.decode("utf-8", "replace") if macro is not None else ""
    return text.rsplit("::", 1)[-1]


def pieces(node) -> list[list]:
    """A macro's arguments: the tokens of its token tree split at top-level commas (`;` for `vec![x; n]`)."""
    tree = next((c for c in node.children if c.type == "token_tree"), None)
    return [] if tree is None else _split(tree, (",", ";"))


def value(flow, node) -> Value | None:
    """The value of a macro invocation, else None (the shared C-like rules apply)."""
    name = macro_name(node)
    args = pieces(node)
    line = node.start_point[0] + 1
    if name in ("env", "option_env"):
        first = piece_value(flow, args[0]) if args else NOTHING
        return labelled(env_labels(first.const if isinstance(first.const, str) else None), line,
                        f"{name}!({first.const if isinstance(first.const, str) else ''}) read at build time")
    if name in ("include_str", "include_bytes"):
        path = piece_value(flow, args[0]) if args else NOTHING
        labels = path_labels(path.const if isinstance(path.const, str) else "") if not path.labels else \
            (("file", "credential-file") if "credential-file" in path.labels else ("file",))
        return merge([path, labelled(labels, line, f"{name}!() embeds a file at build time")])
    if name in _FORMATS:
        return format_value(flow, args)
    if name in ("write", "writeln"):
        return format_value(flow, args[1:]) if len(args) > 1 else NOTHING
    if name == "concat":
        return join([piece_value(flow, p) for p in args], "")
    if name == "vec":
        values = [piece_value(flow, p) for p in args]
        if values and all(isinstance(v.const, str) for v in values):
            return merge(values, const=tuple(v.const for v in values)) if any(v.labels for v in values) else \
                Value(tuple(v.const for v in values))
        return merge(values)
    if name == "stringify":
        return Value(" ".join(t.text.decode("utf-8", "replace") for p in args for t in p))
    return merge(piece_value(flow, p) for p in args)


def format_value(flow, args: list[list]) -> Value:
    """`format!("{}/{name}", a)`: the text when every part is known, labels of every part (inline names too)."""
    if not args:
        return NOTHING
    fmt = piece_value(flow, args[0])
    rest = [piece_value(flow, p) for p in args[1:]]
    if not isinstance(fmt.const, str):
        return merge([fmt] + rest)
    named = {}
    for p in args[1:]:  # name = value arguments
        if len(p) >= 3 and p[0].type == "identifier" and not p[1].is_named and p[1].type == "=":
            named[p[0].text.decode()] = piece_value(flow, p[2:])
    text, used, pos, i, known = [], [], 0, 0, True
    for m in _PLACEHOLDER.finditer(fmt.const):
        text.append(fmt.const[pos:m.start()])
        pos = m.end()
        token = m.group(0)
        if token in ("{{", "}}"):
            text.append(token[0])
            continue
        key = m.group(1)
        if key is None:
            part = rest[i] if i < len(rest) else NOTHING
            i += 1
        elif key.isdigit():
            part = rest[int(key)] if int(key) < len(rest) else NOTHING
        elif key in named:
            part = named[key]
        else:  # an inline name: the variable in scope
            anchor = args[0][0]
            part = flow.lookup(key, anchor)
        used.append(part)
        if isinstance(part.const, (str, int)) and not isinstance(part.const, bool):
            text.append(str(part.const))
        else:
            known = False
    text.append(fmt.const[pos:])
    values = [fmt] + used + rest
    const = "".join(text) if known else UNKNOWN
    return merge(values, const=const) if any(v.labels for v in values) else (Value(const) if known else NOTHING)


def piece_value(flow, tokens: list) -> Value:
    """The value of one macro argument's tokens: a literal or variable as itself; otherwise the labels of the
    variables it reads and of the `path::call(..)` sources it makes, known text only through pass-through methods."""
    while tokens and not tokens[0].is_named and tokens[0].type in ("&", "*"):
        tokens = tokens[1:]
    if tokens and tokens[0].type == "mutable_specifier":
        tokens = tokens[1:]
    if not tokens:
        return NOTHING
    if len(tokens) == 1:
        only = tokens[0]
        return flow.value(only) if only.type != "token_tree" else merge(piece_value(flow, p) for p in _split(only))
    parts: list[Value] = []
    i, n = 0, len(tokens)
    head: Value | None = None  # the value the leading expression gives, carried through pass-through methods
    while i < n:
        tok = tokens[i]
        if tok.type == "identifier" and (i == 0 or tokens[i - 1].type != "."):
            path, j = [tok.text.decode("utf-8", "replace")], i + 1
            while j + 1 < n and tokens[j].type == "::" and tokens[j + 1].type == "identifier":
                path.append(tokens[j + 1].text.decode("utf-8", "replace"))
                j += 2
            if j < n and tokens[j].type == "!" and j + 1 < n and tokens[j + 1].type == "token_tree":
                got = _nested_macro(flow, path[-1], tokens[j + 1])
                j += 2
            elif j < n and tokens[j].type == "token_tree" and tokens[j].text.startswith(b"("):
                args = [piece_value(flow, p) for p in _split(tokens[j])]
                single = len(path) == 1 and path[0] not in flow.uses
                callee = None if single else canonical(path, flow.uses, flow.local_names())
                got = flow.call_value(callee, tok, args, None) if callee else None
                if got is None and single and path[0] in flow.functions:  # a same-file function: what it returns
                    got = merge([flow.returns_of(flow.functions[path[0]], tok)] + args)
                if got is None:
                    got = merge(args)
                j += 1
            elif len(path) == 1:
                got = flow.value(tok)
            else:
                got = NOTHING
            parts.append(got)
            head = got if i == 0 else None
            i = j
            continue
        if tok.type == "." and i + 1 < n and tokens[i + 1].type in ("identifier", "field_identifier"):
            method = tokens[i + 1].text.decode("utf-8", "replace")
            i += 2
            if i < n and tokens[i].type == "token_tree":
                parts.extend(piece_value(flow, p) for p in _split(tokens[i]))
                i += 1
            if head is not None and method not in PASS_THROUGH:
                head = None
            continue
        if tok.is_named and tok.type != "token_tree":
            parts.append(flow.value(tok))
        elif tok.type == "token_tree":
            parts.extend(piece_value(flow, p) for p in _split(tok))
        head = None if i else head
        i += 1
    if head is not None and len(parts) == 1:
        return head
    return merge(parts)


def _split(tree, separators=(",",)) -> list[list]:
    """The tokens of a token tree between its brackets, split at top-level separators (comments left out)."""
    out, current = [], []
    for child in tree.children[1:-1]:
        if not child.is_named and child.type in separators:
            out.append(current)
            current = []
        elif "comment" not in child.type:
            current.append(child)
    if current:
        out.append(current)
    return out[:MAX_PIECES]


def _nested_macro(flow, name: str, tree) -> Value:
    args = _split(tree)
    if name in _FORMATS:
        return format_value(flow, args)
    if name == "concat":
        return join([piece_value(flow, p) for p in args], "")
    if name in ("env", "option_env"):
        first = piece_value(flow, args[0]) if args else NOTHING
        return labelled(env_labels(first.const if isinstance(first.const, str) else None), tree.start_point[0] + 1,
                        f"{name}!() read at build time")
    return merge(piece_value(flow, p) for p in args)
