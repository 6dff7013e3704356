"""Adapter for Go, Java, Kotlin, C#, C and C++: canonical callees, bindings and literal values over tree-sitter."""
from __future__ import annotations

import base64
import binascii
import re

from ..constants import UNKNOWN, NotConstant
from ..facts import NOTHING, Value, merge
from . import clike_calls, clike_text
from .clike_digests import weak_digest
from .clike_literals import CHARS, INTS, STRINGS, char_value, int_value, string_value
from .concepts import BLOCKERS, DECODERS, ESCAPERS, env_labels, path_labels, source_labels
from .treeflow import TreeFlow, concat, join, labelled

# streams over bytes held in memory (not a file, socket or request): their origin is named for the rules
IN_MEMORY_STREAMS = frozenset(("ByteArrayInputStream", "MemoryStream"))

BOOLS = {"true": True, "false": False}
_FORMAT = re.compile(r"%[-+ #0-9.*]*[a-zA-Z]|\{\d+(?::[^}]*)?\}")
# C functions that write their result into a buffer argument: name -> (buffer position, first data position)
GO_CODECS = ("encoding/base64.", "encoding/base32.", "encoding/hex.", "encoding/ascii85.")
C_WRITERS = {"strcpy": (0, 1), "strncpy": (0, 1), "strcat": (0, 1), "strncat": (0, 1), "sprintf": (0, 1),
             "snprintf": (0, 2), "memcpy": (0, 1), "recv": (1, -1), "recvfrom": (1, -1), "read": (1, -1),
             "fgets": (0, -1), "fread": (0, -1), "wcscpy": (0, 1), "wcscat": (0, 1), "swprintf": (0, 2),
             "gethostname": (0, -1), "getdomainname": (0, -1), "uname": (0, -1)}
URL_MAKERS = frozenset(("java.net.URL", "java.net.URI", "java.net.URI.create", "System.Uri"))
APPENDS = frozenset(("append", "Append", "AppendLine", "AppendFormat", "WriteString", "concat", "insert", "add",
                     "push_back", "Add", "plus"))


class CLikeFlow(TreeFlow):
    """The pieces Go, Java, Kotlin, C# and C/C++ share: literals, `+`, formatting, decoders, sources."""

    STRING_KINDS = STRINGS | {"string_literal", "interpreted_string_literal", "raw_string_literal"}

    def __init__(self, source, tree, language, budget=None, wanted=None):
        super().__init__(source, tree, budget, wanted)
        self.language = language
        self.types: dict[str, str] = {}  # variable -> canonical type (flow-insensitive)

    # -- literals ---------------------------------------------------------------------------------
    def _value(self, node) -> Value:
        if node.type in ("conditional_expression", "ternary_expression"):
            # `c ? a : b` is a or b: the condition decides which, its data is not in the result
            branches = [node.child_by_field_name(f) for f in ("consequence", "alternative")]
            if all(b is not None for b in branches):
                return merge([self.value(b) for b in branches])
        built = clike_text.value(self, node)  # char-code arrays, casts to char, `+` with chars and numbers
        if built is None and node.type in ("unary_expression", "prefix_unary_expression") and \
                node.children and node.children[0].type == "!" and len(node.named_children) == 1:
            inner = self.value(node.named_children[0])  # !strict: a known boolean negated
            if isinstance(inner.const, bool):
                return Value(not inner.const, inner.labels, None, None, inner.trace)
            return Value(UNKNOWN, inner.labels, None, None, inner.trace)
        return built if built is not None else super()._value(node)

    def literal(self, node) -> Value | None:
        kind = node.type
        try:
            if kind in self.STRING_KINDS:
                return Value(string_value(node, self.language))
            if kind in CHARS:
                return Value(char_value(node))
            if kind in INTS:
                return Value(int_value(node))
        except (NotConstant, ValueError, OverflowError):
            return self.interpolated(node) if kind in self.STRING_KINDS else NOTHING
        text = node.text
        if kind in ("true", "false", "boolean_literal", "bool_literal") and text in (b"true", b"false"):
            return Value(text == b"true")
        if kind in ("null", "nil", "null_literal"):
            return Value(None)
        return None

    def interpolated(self, node) -> Value:
        """A string with ${x} / {x} parts: labels of the parts (constant when every part is)."""
        parts = [c for c in node.named_children if c.type not in ("string_content", "string_fragment",
                                                                  "string_literal_content", "escape_sequence")]
        values = [self.value(p) for p in parts]
        return merge(values) if values else NOTHING

    # -- calls ------------------------------------------------------------------------------------
    def call_value(self, callee, node, args, receiver):
        line = node.start_point[0] + 1
        simple = callee.rsplit(".", 1)[-1] if callee else None
        if callee in URL_MAKERS and len(args) == 1:
            return args[0]  # new URL(s), URI.create(s): the address is s (its text and labels)
        if simple in ESCAPERS:
            return merge(list(args) + [labelled(("shell-escaped",), line, f"{simple}()")]) if any(
                a.labels for a in args) else merge(args)
        weak = weak_digest(callee, args, line)
        if weak is not None:
            return weak
        labels = source_labels(callee)
        if labels:
            first = args[0].const if args else None
            if "env-var" in labels:
                labels = env_labels(first if args else None)
            elif labels == ("file",):
                labels = path_labels(first if isinstance(first, str) else _arg_text(self, node))
                if labels == ("file",) and args and "credential-file" in args[0].labels:
                    labels = ("file", "credential-file")  # a path joined from a piece naming a secret store
            elif labels == ("network",) and args and args[0].labels:
                return merge([labelled(labels, line, f"{callee}()")] + list(args))
            out = labelled(labels, line, f"{callee}()")
            # the machine's name as it is (os.Hostname()): a rule can tell it from a name built from it
            return Value(out.const, out.labels, f"{callee}()", None, out.trace) if "host-identity" in labels else out
        if callee and callee.startswith(GO_CODECS) and simple in ("AppendDecode", "NewDecoder") and len(args) > 1:
            # base64.StdEncoding.AppendDecode(dst, src), base64.NewDecoder(enc, reader): the second argument decoded
            return merge([args[1], labelled(("decoded",), line, f"decoded by {callee}()")])
        if callee in DECODERS or (simple in ("decode", "DecodeString") and receiver is not None and
                                  "decoder" in str(receiver.name or "").lower()):
            data = args[0] if args else (receiver or NOTHING)
            out = _decode(DECODERS.get(callee, "base64"), data.const)
            return merge([data, labelled(("decoded",), line, f"decoded by {callee or simple}()")], const=out)
        if simple in IN_MEMORY_STREAMS and args:
            # new ByteArrayInputStream(bytes): the bytes' labels, named so a rule can tell in-memory bytes (`origin`)
            data = merge(list(args))
            return Value(UNKNOWN, data.labels, f"{callee}()", None, data.trace)
        if callee in ("java.lang.String", "System.String", "kotlin.String") and len(args) == 1:
            return args[0]
        reflective = clike_calls.reflective_value(self, callee, simple, node, args, receiver)
        if reflective is not None:
            return reflective
        if simple in ("toString", "ToString", "trim", "Trim", "strip", "getBytes", "GetBytes", "toLowerCase",
                      "toUpperCase", "ToLower", "ToUpper", "string", "String", "c_str", "str", "Bytes", "TrimSpace",
                      "toCharArray", "toByteArray") and receiver is not None and not args:
            return receiver
        if simple in ("getBytes", "toByteArray") and receiver is not None and len(args) == 1 and receiver.known:
            return receiver  # "iv-0123456789ab".getBytes(StandardCharsets.US_ASCII): the text's bytes
        if simple in APPENDS and receiver is not None and args:
            return concat(receiver, join(list(args), ""))
        if simple in ("Sprintf", "format", "Format", "sprintf", "String.format", "Sprint", "Sprintln", "formatted"):
            return _format(args if simple != "formatted" or receiver is None else [receiver] + list(args))
        if simple in ("Join", "join", "joinToString") and args:
            return _join_call(args, receiver, simple)
        if simple in ("Concat", "concat") and args:
            return join(([receiver] if receiver is not None else []) + list(args), "")
        return None

    def handle_binding(self, handle, at):
        """The node a handle variable (`f`, `out`) was last set to before `at` in its scope, or None."""
        if handle is None or handle.type != "identifier":
            return None
        scope = self.scope_at(at)
        name = handle.text.decode("utf-8", "replace")
        for event in reversed(scope.events.get(name, []) if scope is not None else []):
            if event.pos > at.start_byte or event.kind != "set" or event.node is None:
                continue
            return event.node
        return None

    def blocks_flow(self, callee, simple) -> bool:
        # a method called on a receiver or a class (`Integer.parseInt(s)`, `s.length()`) is named by its callee's end
        return (simple or (callee or "").rsplit(".", 1)[-1]) in BLOCKERS

    def wrote(self, call, buffer_index: int, data_index: int):
        """A thunk: the value a C writer (strcpy, sprintf, recv...) puts into its buffer argument."""
        def thunk() -> Value:
            parts = self.parts(call)
            args = parts[3] if parts else []
            name = parts[1] if parts else ""
            line = call.start_point[0] + 1
            if data_index < 0:
                labels = source_labels("libc." + name) or ("file",)
                out = labelled(labels, line, f"{name}() into buffer")
                # the machine's name as it is (gethostname(buf)): a rule can tell it from a name built from it
                return Value(out.const, out.labels, f"{name}()", None, out.trace) if "host-identity" in labels else out
            values = [self.value(a) for a in args[data_index:]]
            if name in ("sprintf", "snprintf", "swprintf"):
                return _format(values)
            return values[0] if values else NOTHING
        return thunk


def _arg_text(flow, node) -> str:
    """The source text of a call's first argument (a path built as `home + "/.ssh/id_rsa"` still names it)."""
    parts = flow.parts(node)
    return parts[3][0].text.decode("utf-8", "replace") if parts and parts[3] else ""


def _decode(kind: str, data) -> object:
    if not isinstance(data, str):
        return UNKNOWN
    try:
        if kind == "base64":
            return base64.b64decode(re.sub(r"\s+", "", data) + "==", validate=False).decode("utf-8")
        if kind == "hex":
            return binascii.unhexlify(data.strip()).decode("utf-8")
    except (ValueError, binascii.Error, UnicodeDecodeError):
        return UNKNOWN
    return UNKNOWN


def _format(values: list[Value]) -> Value:
    """printf/String.format/string.Format: the format filled with constant arguments (labels joined)."""
    if not values:
        return NOTHING
    fmt, rest = values[0], list(values[1:])
    if not isinstance(fmt.const, str):
        return merge(values)
    pieces, pos, i, known = [], 0, 0, True
    for m in _FORMAT.finditer(fmt.const):
        pieces.append(fmt.const[pos:m.start()])
        token = m.group(0)
        if token == "%%":
            pieces.append("%")
        else:
            idx = int(token[1:].split(":")[0].rstrip("}")) if token.startswith("{") else i
            i += 0 if token.startswith("{") else 1
            if 0 <= idx < len(rest) and rest[idx].const is not UNKNOWN and rest[idx].const is not None:
                pieces.append(str(rest[idx].const))
            else:
                known = False
        pos = m.end()
    pieces.append(fmt.const[pos:])
    return merge(values, const="".join(pieces) if known else UNKNOWN) if any(v.labels for v in values) else \
        (Value("".join(pieces)) if known else NOTHING)


def _join_call(args: list[Value], receiver: Value | None, simple: str = "join") -> Value:
    """strings.Join(slice, sep) / String.join(sep, a, b...) / list.joinToString(sep): arrays are held as their
    space-joined text, so a joined array keeps that text; labels are joined."""
    if receiver is None and len(args) > 1 and isinstance(args[0].const, str) and len(args[0].const) <= 3:
        return join(list(args[1:]), args[0].const)  # String.join(" ", a, b)
    if simple == "joinToString" and receiver is not None and isinstance(receiver.const, str) and \
            isinstance(args[0].const, str) and not receiver.labels:
        # listOf("M", "D", "5").joinToString(""): the list's items (held space-joined) joined by the separator
        return Value(args[0].const.join(receiver.const.split(" ")))
    return merge(list(args) + ([receiver] if receiver is not None else []),
                 const=args[0].const if isinstance(args[0].const, str) else UNKNOWN)


def adapter(language: str):
    """The TreeFlow subclass for a C-like language, or None."""
    from . import clike_c, clike_csharp, clike_go, clike_jvm, clike_kotlin
    return {"go": clike_go.GoFlow, "java": clike_jvm.JavaFlow, "kotlin": clike_kotlin.KotlinFlow,
            "csharp": clike_csharp.CSharpFlow, "c": clike_c.CFlow, "cpp": clike_c.CFlow}.get(language)
