"""Rust values for the folded view (`let k = concat!("s", "h")`, `String::from_utf8(vec![..])`): the C-like
adapter's evaluator over Rust's let bindings; no fact rules run on Rust, so no callees are named."""
from __future__ import annotations

from .clike import CLikeFlow


class RustFlow(CLikeFlow):
    SCOPES = frozenset(("function_item", "closure_expression"))
    CALLS = frozenset(("call_expression", "macro_invocation"))
    BINDINGS = frozenset(("let_declaration", "const_item", "static_item"))
    STRING_KINDS = CLikeFlow.STRING_KINDS | {"string_literal", "raw_string_literal"}
    language = "rust"

    def __init__(self, source, tree, language="rust", budget=None, wanted=None):
        super().__init__(source, tree, language, budget, wanted)

    def bindings(self, node):
        name = node.child_by_field_name("pattern") or node.child_by_field_name("name")
        value = node.child_by_field_name("value")
        if name is not None and name.type == "identifier" and value is not None:
            return [(name.text.decode("utf-8", "replace"), "set", value)]
        return ()

    def name_of(self, node):
        return node.text.decode("utf-8", "replace") if node.type == "identifier" else None

    def call_parts(self, node):
        return None
