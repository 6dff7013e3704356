"""Fold disguised Go/Java/Kotlin/C#/C/C++/Rust: string concatenation, char-code arrays, names in reflection."""
from __future__ import annotations

import re
from bisect import bisect_right

from .clike_constants import (ARRAYS, CHAR_TYPES, CHARS, INTS, PARENS, STRINGS, Char, codes_to_text, concat,
                              char_value, int_value, literal, string_value)
from .semantics.constants import NotConstant
from .fold_edits import Splicer

TRIGGERS = re.compile(
    rb"[\"'`][ \t]*\+|\+[ \t]*[\"'`]|\"[ \t\r\n]+(?:[LuU]|u8)?\"|new\s+[Ss]tring\s*\(|String\.valueOf\s*\(|toString\s*\("
    rb"|\bstring\s*\(|\bString\s*\(|\(\s*char\s*\)|GetString\s*\(|\.Concat\s*\(|concat!|from_utf8|\brune\s*\("
    rb"|forName\s*\(|get(?:Declared)?Method\s*\(|loadClass\s*\(|GetType\s*\(|GetMethod\s*\(|InvokeMember\s*\("
    rb"|CreateInstance\s*\(")
# Calls whose argument names code to load: an identifier bound to a constant is replaced there.
NAME_CALLS = {"forName", "getMethod", "getDeclaredMethod", "loadClass", "GetType", "GetMethod", "InvokeMember",
              "CreateInstance", "exec"}
CALLS = {"call_expression", "method_invocation", "invocation_expression", "object_creation_expression",
         "macro_invocation"}
CANDIDATES = CALLS | {"binary_expression", "cast_expression", "concatenated_string", "identifier"}
_IDENT = re.compile(rb"[A-Za-z_][\w]*\Z")


def fold(source: bytes, tree, language: str) -> bytes | None:
    """A folded copy of `source` (same line count), or None when nothing folds."""
    folder = _Folder(source, tree.root_node, language)
    for match in TRIGGERS.finditer(source):
        folder.add_trigger(match.start(), match.end())
    if not folder.splicer:
        return None
    folder.splicer.seal()
    return folder.splicer.result()


class _Folder:
    def __init__(self, source: bytes, root, language: str):
        self.source = source
        self.root = root
        self.language = language
        self.splicer = Splicer(source, self._rewrite, b"\n")
        self._tops = root.children
        self._top_starts = [n.start_byte for n in self._tops]
        self._names: dict[str, object] = {}
        self._busy: set[str] = set()

    def locate(self, start: int, end: int):
        i = bisect_right(self._top_starts, start) - 1
        top = self._tops[i] if i >= 0 and self._tops[i].end_byte >= end else self.root
        return top.descendant_for_byte_range(start, end)

    def add_trigger(self, start: int, end: int) -> None:
        node = self.locate(start, max(start, end - 1))
        for _ in range(5):
            if node is None:
                return
            if node.type in CANDIDATES and node.type != "identifier":
                self.splicer.add(node)
            if node.type in CALLS and _call_name(node) in NAME_CALLS:
                args = _arguments(node)
                if args and args[0].type == "identifier":
                    self.splicer.add(args[0])
            node = node.parent

    # -- evaluation -----------------------------------------------------------------------------
    def value(self, node):
        kind = node.type
        if kind in STRINGS:
            return string_value(node, self.language)
        if kind in CHARS:
            return char_value(node)
        if kind in INTS:
            return int_value(node)
        if kind in PARENS or kind in ("argument", "value_argument", "literal_element"):
            named = [c for c in node.named_children if "comment" not in c.type]
            if len(named) != 1:
                raise NotConstant
            return self.value(named[0])
        if kind == "concatenated_string":
            return "".join(self.value(c) for c in node.named_children if c.type in STRINGS)
        if kind == "binary_expression":
            op = node.child_by_field_name("operator")
            if op is None:
                ops = [c for c in node.children if not c.is_named]
                op = ops[0] if len(ops) == 1 else None
            named = [c for c in node.named_children if "comment" not in c.type]
            if op is None or op.text != b"+" or len(named) != 2:
                raise NotConstant
            return concat(self.value(named[0]), self.value(named[1]))
        if kind == "cast_expression":
            target = node.child_by_field_name("type")
            operand = node.child_by_field_name("value") or node.named_children[-1]
            if target is None or target.text.decode() not in CHAR_TYPES:
                raise NotConstant
            return Char(_code(self.value(operand)))
        if kind == "identifier":
            return self._lookup(node)
        if kind in ARRAYS:
            return [self._code_of(c) for c in node.named_children if "comment" not in c.type]
        if kind in ("array_creation_expression", "implicit_array_creation_expression", "composite_literal"):
            init = next((c for c in node.named_children if c.type in ARRAYS), None)
            if init is None:
                raise NotConstant
            return self.value(init)
        if kind in CALLS:
            return self._call_value(node)
        if kind == "type_conversion_expression":  # Go []byte("...")
            operand = node.child_by_field_name("operand")
            return self.value(operand) if operand is not None else _raise()
        raise NotConstant

    def _code_of(self, node) -> int:
        value = self.value(node)
        return _code(value)

    def _call_value(self, node):
        name = _call_name(node)
        args = _arguments(node)
        if node.type == "macro_invocation":
            if name == "concat":
                return "".join(_as_str(self.value(a)) for a in args)
            if name == "vec":
                return [self._code_of(a) for a in args]
            raise NotConstant
        if name in ("String", "string") and args:  # new String(char[]), Go string(x), Kotlin String(chars)
            value = self.value(args[0])
            if isinstance(value, str):
                return value
            return codes_to_text(value)
        if name == "valueOf" and len(args) == 1 and _receiver(node) == "String":
            value = self.value(args[0])
            return value if isinstance(value, str) else codes_to_text(value)
        if name == "toString" and len(args) == 1 and _receiver(node) == "Character":
            return codes_to_text(self.value(args[0]))
        if name == "toString" and not args and node.type == "invocation_expression":
            target = _member_target(node)
            if target is not None:
                return _as_str(self.value(target))
        if name in ("rune", "byte") and len(args) == 1:
            return Char(_code(self.value(args[0])))
        if name in ("charArrayOf", "byteArrayOf", "arrayOf", "intArrayOf"):
            return [self._code_of(a) for a in args]
        if name == "GetString" and len(args) == 1:
            return codes_to_text(self.value(args[0]))
        if name == "Concat" and _receiver(node) in ("string", "String") and args:
            return "".join(_as_str(self.value(a)) for a in args)
        if name in ("from_utf8", "from_utf8_lossy") and len(args) == 1:
            return codes_to_text(self.value(args[0]))
        raise NotConstant

    def _lookup(self, node):
        """The constant an identifier is bound to: exactly one declaration with a constant value, never assigned."""
        name = node.text.decode("utf-8", "replace")
        if name in self._busy:
            raise NotConstant
        if name not in self._names:
            self._busy.add(name)
            try:
                self._names[name] = self._binding(name)
            finally:
                self._busy.discard(name)
        value = self._names[name]
        if value is None:
            raise NotConstant
        return value

    def _binding(self, name: str):
        encoded = name.encode()
        if not _IDENT.match(encoded):
            return None
        declared = []
        for m in re.finditer(rb"(?<![\w$.])" + re.escape(encoded) + rb"(?![\w$])", self.source):
            ident = self.locate(m.start(), m.end())
            if ident is None or ident.start_byte != m.start() or ident.end_byte != m.end():
                continue
            role, value = _role(ident)
            if role == "assigned":
                return None
            if role == "declared":
                declared.append(value)
        if len(declared) != 1 or declared[0] is None:
            return None
        try:
            value = self.value(declared[0])
        except (NotConstant, RecursionError, ValueError):
            return None
        return value if isinstance(value, (str, int)) else None

    # -- rewrite --------------------------------------------------------------------------------
    def _rewrite(self, node) -> bytes | None:
        if node.type in STRINGS:
            return None
        try:
            value = self.value(node)
        except (NotConstant, ValueError, OverflowError):
            return None
        if isinstance(value, Char) or not isinstance(value, str):
            return None
        return literal(value)


def _raise():
    raise NotConstant


def _as_str(value) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, Char):
        return chr(value)
    raise NotConstant


def _code(value) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        if isinstance(value, str) and len(value) == 1:
            return ord(value)
        raise NotConstant
    return int(value)


def _call_name(node) -> str | None:
    """The called function's or method's last name (`forName` in `Class.forName(...)`)."""
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
    target = _member_target(node)
    return target.text.decode() if target is not None else None


def _member_target(node):
    """`X` in `X.m(...)` for C#/Kotlin/Go/Rust call nodes."""
    function = node.child_by_field_name("function") or (node.named_children[0] if node.named_children else None)
    if function is None:
        return None
    for field in ("expression", "operand", "value", "path"):
        inner = function.child_by_field_name(field)
        if inner is not None:
            return inner
    if function.type == "navigation_expression" and len(function.named_children) >= 2:
        return function.named_children[0]
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
        return []
    out = []
    for child in args.named_children:
        if "comment" in child.type:
            continue
        if child.type in ("argument", "value_argument") and len(child.named_children) == 1:
            child = child.named_children[0]
        out.append(child)
    return out


_DECLARATORS = {"variable_declarator", "const_spec", "var_spec", "init_declarator", "let_declaration",
                "const_item", "static_item", "variable_declaration"}
_ASSIGNMENTS = {"assignment_expression", "assignment_statement", "assignment", "update_expression",
                "inc_statement", "dec_statement", "compound_assignment_expr", "postfix_unary_expression",
                "prefix_unary_expression", "prefix_expression", "postfix_expression"}


def _role(ident) -> tuple[str, object]:
    """("declared", value node) / ("assigned", None) / ("used", None) for one identifier occurrence."""
    parent = ident.parent
    if parent is None:
        return "used", None
    kind = parent.type
    if kind in ("expression_list",) and parent.parent is not None:
        holder = parent.parent
        if holder.type in ("short_var_declaration", "assignment_statement") and \
                holder.child_by_field_name("left") == parent:
            if holder.type == "assignment_statement":
                return "assigned", None
            values = holder.child_by_field_name("right")
            names = [c for c in parent.named_children]
            vals = [c for c in values.named_children] if values is not None else []
            if len(names) == len(vals):
                return "declared", vals[names.index(ident)] if ident in names else None
            return "declared", None
    if kind in _ASSIGNMENTS:
        target = parent.child_by_field_name("left") or parent.child_by_field_name("argument") or \
            (parent.named_children[0] if parent.named_children else None)
        return ("assigned", None) if target == ident else ("used", None)
    if kind in _DECLARATORS:
        name = parent.child_by_field_name("name") or parent.child_by_field_name("declarator") or \
            parent.child_by_field_name("pattern")
        if name != ident and not (kind == "variable_declaration" and parent.named_children[:1] == [ident]) and \
                not (kind == "variable_declarator" and parent.named_children[:1] == [ident]):
            return "used", None
        if kind == "variable_declaration":  # Kotlin: property_declaration holds the value
            holder = parent.parent
            if holder is None or holder.type != "property_declaration":
                return "declared", None
            after = [c for c in holder.named_children if c.start_byte >= parent.end_byte and "comment" not in c.type]
            return "declared", after[0] if after else None
        value = parent.child_by_field_name("value")
        if value is None:
            rest = [c for c in parent.named_children if c != ident and c.start_byte > ident.end_byte
                    and c.type not in ("bracketed_argument_list", "type_identifier", "primitive_type")]
            value = rest[-1] if rest else None
        if value is not None and value.type == "expression_list":
            value = value.named_children[0] if len(value.named_children) == 1 else None
        return "declared", value
    if kind in ("parameter", "formal_parameter", "parameter_declaration", "catch_formal_parameter",
                "enhanced_for_statement", "for_statement", "range_clause", "foreach_statement", "for_expression",
                "lambda_parameters", "inferred_parameters", "closure_parameters", "for_each_statement"):
        return "assigned", None
    return "used", None
