"""scope_at keeps each walked ancestor's answer (a long method chain is not climbed again from every link: that
was quadratic in the chain's depth); the kept answers must equal a fresh walk's, also after new scopes appear."""
from __future__ import annotations

from codescan.analyze.languages import parser
from codescan.analyze.semantics.lang.clike_rust import RustFlow

CHAIN = 120
SOURCE = ("use std::process::Command;\nfn outer() {\n    fn inner() {\n        let o = Command::new(\"sh\")"
          + '.arg("x")' * CHAIN + ".output();\n    }\n}\nfn other() { let y = 1; }\n").encode()


def _walk(flow, node):
    current = node.parent
    while current is not None:
        if current.type in flow.SCOPES and (current.start_byte, current.end_byte) in flow._by_node:
            return flow._by_node[(current.start_byte, current.end_byte)]
        current = current.parent
    return flow.global_scope


def _nodes(root):
    stack = [root]
    while stack:
        node = stack.pop()
        yield node
        stack.extend(node.children)


def test_memoized_answers_equal_a_fresh_walk_and_the_chain_is_climbed_once():
    tree = parser("rust").parse(SOURCE)
    flow = RustFlow(SOURCE, tree, "rust", None, None)
    flow.facts()
    flow._scope_memo.clear()
    nodes = list(_nodes(tree.root_node))
    assert all(flow.scope_at(n) is _walk(flow, n) for n in nodes)
    assert {flow.scope_at(n).name for n in nodes if n.type == "let_declaration"} == {"inner", "other"}
    assert len(flow._scope_memo) > CHAIN  # the chain's links were kept


def test_a_scope_collected_later_is_not_hidden_by_a_kept_answer():
    tree = parser("rust").parse(SOURCE)
    flow = RustFlow(SOURCE, tree, "rust", None, None)
    let = next(n for n in _nodes(tree.root_node) if n.type == "let_declaration" and b"Command" in n.text)
    before = flow.scope_at(let)  # nothing collected yet: the file's scope
    flow.facts()  # collects outer/inner: the kept answer must not survive
    assert before is flow.global_scope and flow.scope_at(let).name == "inner"
