"""What one occurrence of a Python name does: binds it (and how: assignment, import, parameter, loop...) or uses it."""
from __future__ import annotations

# parent type -> field that binds (None: any identifier child binds)
_BINDERS = {
    "augmented_assignment": "left", "named_expression": "name", "default_parameter": "name",
    "typed_default_parameter": "name", "for_statement": "left", "for_in_clause": "left",
    "parameters": None, "lambda_parameters": None, "typed_parameter": None, "list_splat_pattern": None,
    "dictionary_splat_pattern": None, "as_pattern_target": None, "pattern_list": None, "tuple_pattern": None,
    "list_pattern": None, "delete_statement": None, "global_statement": None, "nonlocal_statement": None,
    "function_definition": "name", "class_definition": "name",
}


def _classify(node, parent=None):
    """(kind, value) when identifier `node` is bound here, (None, None) when it is a use. `parent`: node.parent
    when the caller has it already (each .parent walks down from the root)."""
    if parent is None:
        parent = node.parent
    ptype = parent.type
    if ptype in ("dotted_name", "aliased_import", "relative_import", "import_prefix") or (
            ptype == "keyword_argument" and parent.child_by_field_name("name") == node):
        return "skip", None
    if ptype == "assignment":
        if parent.child_by_field_name("left") == node:
            right = parent.child_by_field_name("right")
            return ("assign", right) if right is not None else ("other", None)
        return None, None
    if ptype == "subscript" and parent.child_by_field_name("value") == node:
        grand = parent.parent
        if grand is not None and grand.type in ("assignment", "augmented_assignment") \
                and grand.child_by_field_name("left") == parent:
            return "setitem", grand  # the container is mutated
        return None, None
    if ptype in _PATTERNS:
        # `for k, v in os.environ.items()`: each unpacked name is bound by the loop (carries its labels)
        top = parent
        while top.parent is not None and top.parent.type in _PATTERNS:
            top = top.parent
        loop = top.parent
        if loop is not None and loop.type in ("for_statement", "for_in_clause") \
                and loop.child_by_field_name("left") == top:
            return "for", loop
        if loop is not None and loop.type == "assignment" and loop.child_by_field_name("left") == top \
                and top is parent:
            return "unpack", loop  # `fd, path = tempfile.mkstemp()` (the layer reads a few such calls)
    if ptype == "global_statement":
        return "other", parent  # (the statement: PyValues reads a `global` name as the module's variable)
    if ptype in _BINDERS:
        field = _BINDERS[ptype]
        if field is None or parent.child_by_field_name(field) == node:
            # the binding statement, for the semantic layer (the fold treats all of these alike)
            kind = _OTHER_KINDS.get(ptype)
            if ptype in ("list_splat_pattern", "dictionary_splat_pattern") and parent.parent is not None \
                    and parent.parent.type in ("parameters", "lambda_parameters"):
                kind = "param"  # def f(*parts): parts holds the caller's arguments
            if kind == "param" and ptype in ("default_parameter", "typed_default_parameter", "typed_parameter"):
                return kind, parent
            return (kind, parent if kind != "param" else node) if kind else ("other", None)
    return None, None


_PATTERNS = frozenset({"pattern_list", "tuple_pattern", "list_pattern"})
_OTHER_KINDS = {"augmented_assignment": "augassign", "for_statement": "for", "for_in_clause": "for",
                "parameters": "param", "lambda_parameters": "param", "default_parameter": "param",
                "typed_default_parameter": "param", "typed_parameter": "param",
                "function_definition": "def", "class_definition": "class", "as_pattern_target": "with",
                "named_expression": "walrus"}


def _text(node) -> str:
    return node.text.decode("utf-8", "replace")


def _imports(node):
    """(bound name, dotted target or None) for each name an import statement binds."""
    if node.type == "import_statement":
        for child in node.named_children:
            if child.type == "dotted_name":
                root = _text(child).split(".")[0]
                yield root, root
            elif child.type == "aliased_import":
                yield _text(child.child_by_field_name("alias")), _text(child.child_by_field_name("name"))
        return
    module = node.child_by_field_name("module_name")
    base = _text(module) if module is not None and module.type in ("dotted_name", "relative_import") else None
    # `from .db import conn`: a module of the scanned package, named `.db.conn` (the leading dots keep it apart
    # from a top-level module of the same name); `from . import x` is `.x`
    sep = "" if base and base.endswith(".") else "."
    for child in node.children_by_field_name("name"):
        if child.type == "dotted_name":
            name = _text(child)
            yield name, f"{base}{sep}{name}" if base else None
        elif child.type == "aliased_import":
            name = _text(child.child_by_field_name("name"))
            yield _text(child.child_by_field_name("alias")), f"{base}{sep}{name}" if base else None
