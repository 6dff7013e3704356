"""Constant values of shell words, strings, expansions and echo/printf pipelines (for fold_scripts)."""
from __future__ import annotations

import base64
import binascii
import re

from .fold_values import as_text, b64, c_unescape, rot13, text

_EXPANSION = re.compile(rb"\$\{?(\w+)\}?\Z")
_UNSAFE_WORD = re.compile(rb"[$`*?\[\]]")


def shell_value(folder, node):
    kind = node.type
    if kind == "word" or kind == "number":
        return None if _UNSAFE_WORD.search(node.text) else re.sub(rb"\\(.)", rb"\1", node.text)
    if kind == "raw_string":
        return node.text[1:-1]
    if kind in ("simple_expansion", "expansion"):
        match = _EXPANSION.match(node.text)
        return folder.values.lookup(match.group(1).decode()) if match else None
    if kind == "string":
        return _shell_string(folder, node)
    if kind == "concatenation":
        parts = [folder.values.of(c) for c in node.named_children]
        return b"".join(parts) if all(isinstance(p, bytes) for p in parts) else None
    if kind == "command_substitution":
        inner = [c for c in node.named_children if c.type != "comment"]
        if len(inner) != 1:
            return None
        if inner[0].type == "pipeline":
            commands = inner[0].named_children
        elif inner[0].type == "command":
            commands = [inner[0]]
        else:
            return None
        out = _pipeline_bytes(folder, commands)
        return out.rstrip(b"\n") if out is not None else None
    return None


def _shell_string(folder, node):
    parts, pos, end = [], node.start_byte + 1, node.end_byte - 1
    for child in node.named_children:
        gap = node.text[pos - node.start_byte:child.start_byte - node.start_byte]
        value = None if child.type != "string_content" else re.sub(rb"\\([\\\"$`])", rb"\1", child.text)
        if child.type != "string_content":
            value = folder.values.of(child)
        if value is None or not isinstance(value, bytes):
            return None
        parts += [gap, value]
        pos = child.end_byte
    parts.append(node.text[pos - node.start_byte:end - node.start_byte])
    return b"".join(parts)


def shell_pipeline_value(folder, commands) -> str | None:
    return as_text(_pipeline_bytes(folder, commands))


def _pipeline_bytes(folder, commands) -> bytes | None:
    if not commands or any(c.type != "command" for c in commands):
        return None
    data = _producer(folder, commands[0])
    for command in commands[1:]:
        if data is None:
            return None
        data = _filter(command, data)
    return data


def _words(folder, command) -> list | None:
    args = [folder.values.of(a) for a in command.children_by_field_name("argument")]
    return args if all(isinstance(a, bytes) for a in args) else None


def _producer(folder, command) -> bytes | None:
    name = text(command.child_by_field_name("name"))
    args = _words(folder, command)
    if args is None:
        return None
    if name == "echo":
        flags = b""
        while args and re.fullmatch(rb"-[neE]+", args[0]):
            flags += args.pop(0)
        out = b" ".join(args)
        out = c_unescape(out) if b"e" in flags else out
        return out if b"n" in flags else out + b"\n"
    if name == "printf" and args:
        fmt, rest = args[0], args[1:]
        if not rest:
            return c_unescape(fmt) if b"%" not in fmt.replace(b"%%", b"") else None
        if fmt in (b"%s", b"%s\\n", b"%b"):
            joined = b"".join(rest)
            return c_unescape(joined) if fmt == b"%b" else joined
    return None


def _filter(command, data: bytes) -> bytes | None:
    name = text(command.child_by_field_name("name"))
    args = [a.text.strip(b"'\"") for a in command.children_by_field_name("argument")]
    if name == "base64" and args and all(a in (b"-d", b"--decode", b"-D", b"-di", b"-id", b"-w0") for a in args):
        return b64(data)
    if name == "base32" and args and all(a in (b"-d", b"--decode") for a in args):
        return base64.b32decode(re.sub(rb"\s+", b"", data))
    if name == "rev" and not args:
        return b"\n".join(line[::-1] for line in data.split(b"\n"))
    if name == "xxd" and sorted(args) in ([b"-p", b"-r"], [b"-ps", b"-r"], [b"-rp"]):
        return binascii.unhexlify(re.sub(rb"\s+", b"", data))
    if name == "tr" and args in ([b"A-Za-z", b"N-ZA-Mn-za-m"], [b"a-zA-Z", b"n-za-mN-ZA-M"]):
        return rot13(data)
    return None
