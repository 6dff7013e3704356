"""Constants of literal-only subtrees remembered per file, used again only where they cannot differ."""
from __future__ import annotations

# Counts what makes a result depend on where it is asked (the depth bound, a node the Env may answer
# for): a subtree evaluated with neither has the same value whoever asks (a table nested n deep was
# evaluated n times, once per level that asks for its own constant). constants.dispatch counts.
CONTEXT = [0]
LITERAL_ONLY = frozenset({"string", "concatenated_string", "integer", "float", "true", "false", "none",
                          "parenthesized_expression", "list", "tuple", "dictionary", "unary_operator",
                          "not_operator", "boolean_operator", "conditional_expression", "binary_operator",
                          "comparison_operator"})


def remembered(memo: dict, node, depth: int, compute, not_constant):
    """compute() (the node's dispatch at `depth`), from `memo` when this literal-only subtree was evaluated
    at this depth or a deeper one: starting higher, the depth bound cannot be reached where it was not."""
    key = node.id
    found = memo.get(key)
    if found is not None and depth <= found[1]:
        if found[0] is not_constant:
            raise not_constant
        return found[0]
    before = CONTEXT[0]
    try:
        value = compute()
    except not_constant:
        if CONTEXT[0] == before:
            memo[key] = (not_constant, depth)
        raise
    if CONTEXT[0] == before:
        memo[key] = (value, depth)
    return value
