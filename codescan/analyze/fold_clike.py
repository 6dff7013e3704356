"""Fold disguised Go/Java/Kotlin/C#/C/C++/Rust: string concatenation, char-code arrays, names in reflection.
The values come from the semantic layer's C-like adapters (lang/clike*.py), one evaluator per tree."""
from __future__ import annotations

import re
from bisect import bisect_right

from . import budget as budgets
from .fold_edits import Splicer
from .semantics.lang.clike_literals import STRINGS, Char, literal
from .semantics.lang.clike_text import call_shape
from .semantics.lang.treeflow import shared

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


def fold(source: bytes, tree, language: str) -> bytes | None:
    """A folded copy of `source` (same line count), or None when nothing folds."""
    folder = _Folder(source, tree, language)
    for match in TRIGGERS.finditer(source):
        folder.add_trigger(match.start(), match.end())
    if not folder.splicer:
        return None
    folder.splicer.seal()
    return folder.splicer.result()


def _flow_class(language: str):
    if language == "rust":
        from .semantics.lang.clike_rust import RustFlow
        return RustFlow
    from .semantics.lang.clike import adapter
    return adapter(language)


class _Folder:
    def __init__(self, source: bytes, tree, language: str):
        self.source = source
        self.tree = tree
        self.root = tree.root_node
        self.language = language
        self.splicer = Splicer(source, self._rewrite, b"\n")
        self._tops = self.root.children
        self._top_starts = [n.start_byte for n in self._tops]
        self._flow = None

    @property
    def flow(self):
        """The adapter's flow over this tree, built (or taken from the fact rules) when a value is first needed."""
        if self._flow is None:
            self._flow = shared(_flow_class(self.language), self.source, self.tree, self.language,
                                budgets.current(), None)
        return self._flow

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
            if node.type in CALLS:
                name, _receiver, args = call_shape(node)
                if name in NAME_CALLS and args and args[0].type == "identifier":
                    self.splicer.add(args[0])
            node = node.parent

    def _rewrite(self, node) -> bytes | None:
        if node.type in STRINGS:
            return None
        value = self.flow.value(node).const
        if isinstance(value, Char) or not isinstance(value, str):
            return None
        return literal(value)
