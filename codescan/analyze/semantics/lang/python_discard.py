"""A mode set on a file that the next statements delete or replace: `os.chmod(path, 0o666); os.unlink(path)` (SCons
clearing a read-only .sconsign before removing it), `os.chmod(dest, 0o777)` then `os.replace(tmp, dest)` (a read-only
target made replaceable, as Windows needs): the mode never stays on a file anyone can then write."""
from __future__ import annotations

import re

MAX_AFTER = 3  # statements read after the chmod (and after the try statement it ends)
MAX_PATH = 120  # characters of the path's text compared
_BLOCKS = frozenset({"block", "module"})
# a call that removes its first argument, or replaces / renames onto its second
_REMOVE = r"(?:remove|unlink|rmdir|rmtree)\s*\(\s*{path}\s*[,)]"
_ONTO = r"(?:replace|rename|move)\s*\(\s*[^,()]+(?:\([^()]*\))?\s*,\s*{path}\s*[,)]"


def discarded_after(node) -> bool:
    """Whether the chmod call `node` is followed, in its block (or just after the try statement whose body it ends),
    by a removal of the same path, or by a replace/rename/move onto it."""
    args = node.child_by_field_name("arguments")
    first = next((a for a in args.named_children if a.type != "comment"), None) if args is not None else None
    if first is None or first.type == "keyword_argument" or len(first.text) > MAX_PATH:
        return False
    path = re.escape(first.text.decode("utf-8", "replace"))
    removed = re.compile(rf"\b_?(?:\w+_)?{_REMOVE.format(path=path)}|\b_?(?:\w+_)?{_ONTO.format(path=path)}")
    statement = node
    while statement.parent is not None and statement.parent.type not in _BLOCKS:
        statement = statement.parent
        if statement.type in ("function_definition", "class_definition", "lambda"):
            return False
    for _ in range(2):  # the chmod's own block, then (when it ends a try body) what follows the try statement
        after = []
        sibling = statement.next_named_sibling
        while sibling is not None and len(after) < MAX_AFTER:
            if sibling.type not in ("comment", "except_clause", "finally_clause", "else_clause"):
                after.append(sibling)
            sibling = sibling.next_named_sibling
        if any(removed.search(s.text.decode("utf-8", "replace")) for s in after):
            return True
        block = statement.parent
        holder = block.parent if block is not None else None
        if after or holder is None or holder.type != "try_statement" or block != holder.child_by_field_name("body"):
            return False
        statement = holder
    return False
