"""Fold disguised JavaScript/TypeScript: constant strings, computed member names, require aliases."""
from __future__ import annotations

import re
from bisect import bisect_right

from .semantics.constants import NotConstant
from .fold_edits import Splicer
from .semantics.js_constants import evaluate, literal

TRIGGERS = re.compile(
    rb"require|fromCharCode|atob|Buffer\.from|\.join\(|\.reverse\(|\.replace|\.split\(|\.concat\(|\.to\w+Case"
    rb"|['\"`][ \t]*\+|\+[ \t]*['\"`]|\[[ \t]*['\"`]|\$\{[ \t]*['\"`]|global|window\[|self\[|this\[")
DECLARATION = re.compile(rb"\b(?:const|let|var)[ \t]+")
GLOBAL_OBJECTS = {"global", "globalThis", "window", "self", "this"}
_CANDIDATES = {"call_expression", "binary_expression", "subscript_expression", "template_string"}
_PLAIN = {"string", "number", "true", "false", "null"}
_IDENT = re.compile(r"[A-Za-z_$][\w$]*\Z")
# Names whose writes one whole-source pass counts exactly as a per-name search would (no `$`:
# it is not a word character, so it would change where `\b` falls).
_FAST_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_ASSIGN = re.compile(rb"(?<![\w$.])([A-Za-z_$][\w$]*)[ \t]*(?:[-+*/%|&^]|\*\*)?=(?![=>])")
_STEP = re.compile(rb"(?<![\w$.])([A-Za-z_$][\w$]*)[ \t]*(?:\+\+|--)")
_FUNCTION_NAME = re.compile(rb"function[ \t]+([A-Za-z_]\w*)")


def fold(source: bytes, tree) -> bytes | None:
    folder = _JavaScriptFolder(source, tree.root_node)
    for match in DECLARATION.finditer(source):
        folder.add_declaration(match.end())
    for match in TRIGGERS.finditer(source):
        folder.add_trigger(match.start(), match.end())
    folder.add_name_uses()
    if not folder.splicer:
        return None
    folder.splicer.seal()
    return folder.splicer.result()


class _JavaScriptFolder:
    def __init__(self, source: bytes, root):
        self.source = source
        self.root = root
        self.splicer = Splicer(source, self._rewrite, b"\n")
        self._tops = root.children
        self._top_starts = [n.start_byte for n in self._tops]
        self.values: dict[str, list] = {}  # name -> value nodes it is declared with
        self.aliases: dict[str, bytes] = {}  # name -> replacement text (`require('m')`, `require('m').x`)
        self._busy: set[int] = set()
        self._assigned: dict[str, bool] = {}
        self._write_counts: tuple[dict, set] | None = None

    def locate(self, start: int, end: int, named: bool = True):
        i = bisect_right(self._top_starts, start) - 1
        top = self._tops[i] if i >= 0 and self._tops[i].end_byte >= end else self.root
        return top.named_descendant_for_byte_range(start, end) if named else top.descendant_for_byte_range(start, end)

    # -- collecting ----------------------------------------------------------------------------
    def add_declaration(self, pos: int) -> None:
        node = self.locate(pos, pos)
        while node is not None and node.type not in ("lexical_declaration", "variable_declaration"):
            node = node.parent if node.type in ("identifier", "object_pattern", "variable_declarator",
                                                 "shorthand_property_identifier_pattern") else None
        if node is None:
            return
        for declarator in node.named_children:
            if declarator.type != "variable_declarator":
                continue
            name = declarator.child_by_field_name("name")
            value = declarator.child_by_field_name("value")
            if name is None:
                continue
            if name.type == "identifier":
                self.values.setdefault(_text(name), []).append(value)
            elif name.type == "object_pattern" and value is not None:
                for prop in name.named_children:
                    if prop.type == "shorthand_property_identifier_pattern":
                        self.values.setdefault(_text(prop), []).append(("member", value, _text(prop)))
                    elif prop.type == "pair_pattern" and prop.child_by_field_name("value").type == "identifier":
                        key = prop.child_by_field_name("key")
                        if key.type == "property_identifier":
                            self.values.setdefault(_text(prop.child_by_field_name("value")), []).append(
                                ("member", value, _text(key)))

    def add_trigger(self, start: int, end: int) -> None:
        node = self.locate(start, max(start, end - 1))
        for _ in range(4):
            if node is None:
                return
            if node.type in _CANDIDATES:
                self.splicer.add(node)
            node = node.parent

    def add_name_uses(self) -> None:
        for name, declared in self.values.items():
            if len(declared) != 1 or self._reassigned(name):
                continue
            entry = declared[0]
            if isinstance(entry, tuple):
                base = self._require_text(entry[1])
                if base is None:
                    continue
                self.aliases[name] = base + b"." + entry[2].encode()
            elif entry is not None and entry.type in ("call_expression", "member_expression"):
                base = self._require_text(entry)
                if base is None:
                    continue
                self.aliases[name] = base
            elif entry is None or entry.type in _PLAIN or self._constant(entry) is None:
                continue
            for node in self._uses(name):
                self.splicer.add(node)

    def _reassigned(self, name: str) -> bool:
        """True when `name` is assigned anywhere besides its one declaration (or is a function)."""
        if name not in self._assigned:
            writes, function = self._writes(name)
            declared = self.values.get(name, [])
            initialised = sum(1 for d in declared if d is not None and not isinstance(d, tuple))
            self._assigned[name] = writes > initialised or function
        return self._assigned[name]

    def _writes(self, name: str) -> tuple[int, bool]:
        """How often `name` is written (`=`, `op=`, `++`, `--`) and whether a function bears its name.

        Plain ASCII names are counted from one pass over the source for all names (a search per
        name made big bundles such as lodash.js quadratic: 11 s for 0.5 MB); other names are
        searched alone. Both give the same counts."""
        if _FAST_NAME.match(name):
            if self._write_counts is None:
                counts: dict[bytes, int] = {}
                for pattern in (_ASSIGN, _STEP):
                    for found in pattern.findall(self.source):
                        counts[found] = counts.get(found, 0) + 1
                self._write_counts = (counts, set(_FUNCTION_NAME.findall(self.source)))
            counts, functions = self._write_counts
            key = name.encode()
            return counts.get(key, 0), key in functions
        encoded = re.escape(name.encode())
        writes = len(re.findall(rb"(?<![\w$.])" + encoded + rb"[ \t]*(?:[-+*/%|&^]|\*\*)?=(?![=>])", self.source))
        writes += len(re.findall(rb"(?<![\w$.])" + encoded + rb"[ \t]*(?:\+\+|--)", self.source))
        return writes, re.search(rb"function[ \t]+" + encoded + rb"\b", self.source) is not None

    def _uses(self, name: str):
        encoded = name.encode()
        pos = self.source.find(encoded)
        while pos >= 0:
            start, pos = pos, self.source.find(encoded, pos + len(encoded))
            node = self.locate(start, start + len(encoded))
            if node is None or node.type != "identifier" or node.start_byte != start:
                continue
            parent = node.parent
            if parent.type == "variable_declarator" and parent.child_by_field_name("name") == node:
                continue
            if parent.type in ("formal_parameters", "pair_pattern", "assignment_pattern", "catch_clause"):
                continue
            yield node

    # -- evaluation -----------------------------------------------------------------------------
    def _lookup(self, node):
        name = _text(node)
        declared = self.values.get(name)
        if not declared or len(declared) != 1 or isinstance(declared[0], tuple) or declared[0] is None:
            raise NotConstant
        value = declared[0]
        if value.id in self._busy or self._reassigned(name):
            raise NotConstant
        self._busy.add(value.id)
        try:
            return evaluate(value, self._lookup)
        finally:
            self._busy.discard(value.id)

    def _constant(self, node):
        try:
            return evaluate(node, self._lookup)
        except NotConstant:
            return None

    def _require_text(self, node) -> bytes | None:
        """`require('m')` (or `require('m').a.b`) for a require call with a constant argument."""
        suffix = b""
        while node.type == "member_expression":
            prop = node.child_by_field_name("property")
            if prop.type != "property_identifier":
                return None
            suffix = b"." + prop.text + suffix
            node = node.child_by_field_name("object")
        if node.type != "call_expression" or _text(node.child_by_field_name("function")) != "require":
            return None
        args = [c for c in node.child_by_field_name("arguments").named_children if c.type != "comment"]
        if len(args) != 1:
            return None
        module = self._constant(args[0])
        if not isinstance(module, str) or not re.fullmatch(r"[@\w./:-]+", module):
            return None
        return b"require('" + module.encode() + b"')" + suffix

    # -- rewrites -------------------------------------------------------------------------------
    def _rewrite(self, node) -> bytes | None:
        kind = node.type
        if kind == "identifier":
            parent = node.parent
            if _text(node) in self.aliases:
                return self.aliases[_text(node)]
            if parent.type in ("member_expression", "call_expression") and \
                    parent.child_by_field_name("property" if parent.type == "member_expression" else "x") == node:
                return None
            value = self._constant(node)
            text = literal(value) if isinstance(value, (str, int, bool)) or value is None else None
            return text if text is not None and len(text) <= 200 else None
        if kind == "call_expression" and _text(node.child_by_field_name("function")) == "require":
            args = [c for c in node.child_by_field_name("arguments").named_children if c.type != "comment"]
            if len(args) == 1 and args[0].type == "string":
                return None
            return self._require_text(node)
        if kind == "subscript_expression":
            key = self._constant(node.child_by_field_name("index"))
            if not isinstance(key, str) or not _IDENT.match(key):
                return None
            target = node.child_by_field_name("object")
            if _text(target) in GLOBAL_OBJECTS:
                return key.encode()
            return self.splicer.text(target) + b"." + key.encode()
        value = self._constant(node)
        if value is None or isinstance(value, list):
            return None
        return literal(value)


def _text(node) -> str:
    return node.text.decode("utf-8", "replace")
