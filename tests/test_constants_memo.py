"""Remembered constants of literal-only subtrees: the same values as evaluating afresh, never reused where they could differ."""
from __future__ import annotations

from codescan.analyze import languages
from codescan.analyze.semantics import constants
from codescan.analyze.semantics.constants import MAX_DEPTH, NotConstant, evaluate
from codescan.analyze.semantics.lang.python_values import PyValues

TABLE = b'T = (("a", 1, [2.5, None, {"k": b"v"}]), ("b" + "c", -3, (True, not False)), f"x{1}")\n'


def _nodes(node):
    out = [node]
    for child in node.named_children:
        out.extend(_nodes(child))
    return out


def _outcome(node, env):
    try:
        return evaluate(node, env)
    except NotConstant:
        return NotConstant


def test_every_subtree_has_its_fresh_value():
    source = TABLE + b'name = "x"\nU = [name, T, ("lit", name)]\n'
    root = languages.parser("python").parse(source).root_node
    remembered = PyValues(source, root, None)
    for node in _nodes(root):  # outer nodes first: their subtrees are remembered on the way
        fresh = PyValues(source, root, None)
        fresh.const_memo = None
        assert _outcome(node, remembered) == _outcome(node, fresh), node.text[:60]
    assert remembered.const_memo  # literal subtrees were remembered


def test_names_are_never_remembered():
    source = b'x = "a"\nL = [x, "b"]\n'
    root = languages.parser("python").parse(source).root_node
    values = PyValues(source, root, None)
    lists = [n for n in _nodes(root) if n.type == "list"]
    assert evaluate(lists[0], values) == ["a", "b"]
    assert lists[0].id not in values.const_memo  # it asked the Env about `x`
    assert any(n.type == "string" and n.id in values.const_memo for n in _nodes(lists[0]))


def test_a_value_remembered_higher_up_is_not_used_where_the_depth_bound_is_reached():
    deep = b"[" * (MAX_DEPTH - 5) + b"1" + b"]" * (MAX_DEPTH - 5)
    source = b"X = " + deep + b"\n"
    root = languages.parser("python").parse(source).root_node
    inner = [n for n in _nodes(root) if n.type == "list"][3]
    values = PyValues(source, root, None)
    fresh = PyValues(source, root, None)
    fresh.const_memo = None
    assert evaluate(inner, values) == evaluate(inner, fresh)  # remembered at depth 0, all of it
    near_bound = constants.evaluate(inner, values, None, MAX_DEPTH - 2)
    assert near_bound == constants.evaluate(inner, fresh, None, MAX_DEPTH - 2)
    assert near_bound != evaluate(inner, fresh)  # the bound cut it there (UNKNOWN inside)
