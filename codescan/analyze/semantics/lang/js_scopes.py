"""JavaScript/TypeScript name bindings, found lazily per name (regex occurrences mapped to tree nodes)."""
from __future__ import annotations

import re

FUNCTIONS = {"function_declaration", "function_expression", "arrow_function", "method_definition",
             "generator_function_declaration", "generator_function", "function"}
MODULE = -1
MAX_OCCURRENCES = 400  # occurrences of one name classified per file
WORD_INDEX_AFTER = 2_000_000  # bytes searched name by name before every word of the file is indexed at once
_WORD = re.compile(rb"[\w$]+")  # maximal runs of ASCII word characters and $: a plain name is one of them
_PLAIN = re.compile(rb"[\w$]+")
_WORD_BYTES = frozenset(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_$")


def _name_start(source: bytes, start: int) -> bool:
    """A whole name starts at `start`: no word character before it, and no `.` (a property) unless it is `...`
    (spread / rest). (Non-ASCII bytes before it count as not part of the name, as the ASCII `\w` of bytes does.)"""
    if not start:
        return True
    before = source[start - 1]
    if before in _WORD_BYTES:
        return False
    return before != 46 or source[start - 3:start] == b"..."


class JsScopes:
    """`bindings(identifier)`: how the identifier's name is bound in the innermost function that binds it."""

    def __init__(self, source: bytes, root):
        self.source = source
        self.root = root
        self._by_name: dict[str, list] = {}
        self.uses: dict[str, list] = {}
        self._words: dict[bytes, list[int]] | None = None
        self._searches = 0

    def _starts(self, name: str):
        """Start offsets of `name` as a whole word not after a `.` (what the per-name pattern below finds).
        The first names are searched for one by one; once WORD_INDEX_AFTER bytes were searched that way, one
        pass over the source indexes every word: a 1 MB bundle asked for 8,600 names, 8,600 scans of 1 MB."""
        raw = name.encode()
        if self._words is None and self._searches * len(self.source) < WORD_INDEX_AFTER or not _PLAIN.fullmatch(raw):
            self._searches += 1
            # (the name searched as a literal, what comes before it checked here: a pattern that starts with a
            # look-behind is matched at every offset, one that starts with the name jumps to each occurrence)
            pattern = re.compile(re.escape(raw) + rb"(?![\w$])")
            source = self.source
            return (m.start() for m in pattern.finditer(source) if _name_start(source, m.start()))
        if self._words is None:
            words: dict[bytes, list[int]] = {}
            source = self.source
            for match in _WORD.finditer(source):
                start = match.start()
                if not _name_start(source, start):
                    continue  # b"." before: a property, never a binding or a use (`...rest`, `...args`: a name)
                words.setdefault(match.group(), []).append(start)
            self._words = words
        return iter(self._words.get(raw, ()))

    def locate(self, start: int, end: int):
        return self.root.named_descendant_for_byte_range(start, end)

    def index(self, name: str) -> list:
        found = self._by_name.get(name)
        if found is not None:
            return found
        found = []
        uses = []
        width = len(name.encode())
        for count, start in enumerate(self._starts(name)):
            if count > MAX_OCCURRENCES:
                break
            node = self.locate(start, start + width)
            if node is None or node.start_byte != start or node.end_byte != start + width:
                continue
            kind, what = _classify(node)
            if kind is None:
                if node.type in ("identifier", "shorthand_property_identifier"):
                    uses.append(node)
            elif kind != "skip":
                found.append((kind, what, _scope_key(node if kind != "def" else what)))
        self._by_name[name] = found
        self.uses[name] = uses
        return found

    def bindings(self, node) -> list:
        """[(kind, what, scope)] of the innermost enclosing scope that binds the name (else module's)."""
        name = node.text.decode("utf-8", "replace")
        entries = self.index(name)
        if not entries:
            return []
        scope = node.parent
        while scope is not None:
            if scope.type in FUNCTIONS:
                here = [e for e in entries if e[2] == scope.start_byte]
                if here:
                    return here
            scope = scope.parent
        return [e for e in entries if e[2] == MODULE]


def enclosing_function(node):
    """The innermost function node around `node` (None at module level)."""
    current = node.parent
    while current is not None and current.type not in FUNCTIONS:
        current = current.parent
    return current


def _scope_key(node) -> int:
    current = enclosing_function(node)
    return MODULE if current is None else current.start_byte


def _classify(node):
    parent = node.parent
    if parent is None:
        return "skip", None
    ptype = parent.type
    if ptype == "variable_declarator" and parent.child_by_field_name("name") == node:
        value = parent.child_by_field_name("value")
        return ("assign", value) if value is not None else ("other", None)
    if ptype == "assignment_expression" and parent.child_by_field_name("left") == node:
        return "assign", parent.child_by_field_name("right")
    if ptype == "augmented_assignment_expression" and parent.child_by_field_name("left") == node:
        return "augassign", parent
    if ptype in ("shorthand_property_identifier_pattern",) or node.type == "shorthand_property_identifier_pattern":
        return _destructured(node, node.text.decode("utf-8", "replace"))
    if ptype == "pair_pattern" and parent.child_by_field_name("value") == node:
        key = parent.child_by_field_name("key")
        if key is not None and key.type == "computed_property_name":
            return _destructured(parent, key)  # `{ [['ex', 'ec'].join('')]: run }`: the key is known once evaluated
        return _destructured(parent, key.text.decode("utf-8", "replace") if key is not None else "")
    if ptype == "rest_pattern" and parent.parent is not None and parent.parent.type in (
            "formal_parameters", "required_parameter"):  # (a, ...rest) / TypeScript (...rest: string[])
        return "param", node
    if ptype in ("formal_parameters", "required_parameter", "optional_parameter") or (
            ptype == "arrow_function" and parent.child_by_field_name("parameter") == node) or (
            ptype == "assignment_pattern" and parent.child_by_field_name("left") == node):
        return "param", node
    if ptype in ("function_declaration", "generator_function_declaration", "class_declaration") and \
            parent.child_by_field_name("name") == node:
        return "def", parent
    if ptype == "import_specifier":
        return "import", parent
    if ptype in ("namespace_import", "import_clause"):
        return "import", parent
    if ptype == "for_in_statement" and parent.child_by_field_name("left") == node:
        return "for", parent
    if ptype == "array_pattern":
        # `for (const [k, v] of Object.entries(process.env))`: each name bound by the pattern holds part of an
        # element of the iterable (its labels, not a constant)
        pattern = parent
        while pattern.parent is not None and pattern.parent.type in ("array_pattern", "rest_pattern"):
            pattern = pattern.parent
        holder = pattern.parent
        if holder is not None and holder.type == "for_in_statement" and holder.child_by_field_name("left") == pattern:
            return "for", holder
    if ptype == "subscript_expression" and parent.child_by_field_name("object") == node:
        grand = parent.parent
        if grand is not None and grand.type == "assignment_expression" and grand.child_by_field_name("left") == parent:
            return "setitem", grand
    if ptype == "member_expression" and parent.child_by_field_name("object") == node:
        grand = parent.parent
        if grand is not None and grand.type == "assignment_expression" and grand.child_by_field_name("left") == parent:
            return "setitem", grand
    if ptype in ("member_expression", "subscript_expression") or node.type == "property_identifier":
        if node.type == "property_identifier":
            return "skip", None
    return None, None


def _destructured(node, key):
    """`const {exec} = require(..)` / `const {a: b} = obj`: ("destructure", (declarator value, key)); the key is
    its text, or the computed_property_name node of `{ [expr]: b }`."""
    current = node
    while current is not None and current.type not in ("variable_declarator", "formal_parameters"):
        current = current.parent
    if current is None:
        return "other", None
    if current.type == "formal_parameters":
        return "param", node
    value = current.child_by_field_name("value")
    return ("destructure", (value, key)) if value is not None else ("other", None)


def param_index(function, node) -> int:
    """The position of the parameter `node` is (in) among the function's parameters (-1: none)."""
    params = function.child_by_field_name("parameters")
    if params is None:
        return 0 if function.child_by_field_name("parameter") is not None else -1
    for i, p in enumerate(c for c in params.named_children if c.type != "comment"):
        if p.start_byte <= node.start_byte < p.end_byte:
            return i
    return -1
