"""Whether an occurrence of a name-building word (sys.modules, globals(), builtins, eval) can build a callee name.

PyValues makes a name from a text only through: a subscript of a value named `sys.modules` (aliases
included), `globals()`/`locals()`/`vars()`/`__builtins__` subscripted or read with get/pop/setdefault/
__getitem__, `vars(X)[k]`, getattr/`__dict__`/`__getattribute__` on the builtins module, `eval` of a text, and
the importers (python_calls). An occurrence whose value cannot reach one of those forms builds nothing:
`k in sys.modules`, `sys.modules.copy()` (not `.get(k)`), `exec(code, globals())`, `"%(x)s" % locals()`, `builtins.open`,
`import builtins`, `model.eval()`. Anything else (assigned, passed, returned, subscripted...) may build."""
from __future__ import annotations

import re

_TEXT = frozenset({"comment", "string_content"})
_LOOKUPS = frozenset({b"get", b"__getitem__", b"pop", b"setdefault"})
# attributes of the builtins module that read or build names from a text
_BUILDING_ATTRS = _LOOKUPS | {b"__dict__", b"__getattribute__", b"eval", b"__import__", b"globals", b"locals",
                              b"vars", b"getattr"}
_BUILTINS = frozenset({b"builtins", b"__builtins__", b"__builtin__"})
# objects whose attributes build names (getattr(sys, "modules")[k], getattr(importlib, "import_module")(k))
_BUILDING_MODULES = _BUILTINS | {b"sys", b"importlib"}
# python_skip.BUILDERS and the two words that reach them through getattr
WORDS = (b"__import__", b"import_module", b"importlib", b"globals", b"locals", b"vars", b"__builtins__",
         b"__builtin__", b"builtins", b"modules", b"__getattribute__", b"eval", b"getattr", b"sys")
_SCOPE_CALLS = frozenset({b"globals", b"locals", b"vars"})
# where the value of `globals()` / `X.modules` is used up without being subscripted or kept
_INERT_USES = frozenset({"argument_list", "keyword_argument", "dictionary_splat", "list_splat", "binary_operator",
                         "comparison_operator", "expression_statement"})


def asked(words: set) -> list[bytes]:
    """The WORDS of a file (its distinct words) whose occurrences must be judged. `sys` builds a name only as
    getattr(sys, k) or sys.__dict__[k] (an alias of sys is judged where it is used): without getattr or
    __dict__ in the file its many occurrences (sys.argv, sys.exit) are not looked at."""
    return [w for w in WORDS if w in words and (w != b"sys" or b"getattr" in words or b"__dict__" in words)]


def building_words(source: bytes, scopes):
    """`builds(word)`: some whole-word occurrence of `word` outside comments and strings may build a name."""
    def builds(word: bytes) -> bool:
        for match in _whole(word).finditer(source):
            node = scopes.locate(match.start(), match.end())
            if node is None or (node.type not in _TEXT and not _inert(node, word)):
                return True
        return False
    return builds


def _whole(word: bytes) -> re.Pattern:
    """`word` where no `[\\w$]` is beside it. The word comes first and what precedes it is tested behind: a
    pattern that starts with a look-behind is tried at every offset of the file (~2 ms a file), one that starts
    with a literal only where that occurs. Compiled once per process per word (a few building words)."""
    found = _WHOLE.get(word)
    if found is None:
        w = re.escape(word)
        found = _WHOLE[word] = re.compile(w + rb"(?<![\w$]" + w + rb")(?![\w$])")
    return found


_WHOLE: dict = {}


def _inert(node, word: bytes) -> bool:
    if node.type != "identifier":
        return False
    parent = node.parent
    if parent is None:
        return False
    field_of_attribute = parent.type == "attribute" and parent.child_by_field_name("attribute") == node
    if word == b"modules":
        # `sys.modules` read in place: tested for a key, a method called on it, an entry set or deleted
        user = parent.parent if field_of_attribute else None
        if user is None:
            return False
        if user.type == "subscript" and user.child_by_field_name("value") == parent:
            holder = user.parent
            return holder is not None and (holder.type == "delete_statement" or (
                holder.type == "assignment" and holder.child_by_field_name("left") == user))
        return user.type == "comparison_operator" or (
            user.type == "attribute" and user.child_by_field_name("object") == parent and
            (user.child_by_field_name("attribute") is None or
             user.child_by_field_name("attribute").text != b"get"))  # .get(k): a module by its name (python_calls)
    if word == b"import_module":
        # import_helper.import_module(...): another module's function; importlib's is caught by `importlib`
        obj = parent.child_by_field_name("object") if field_of_attribute else None
        return obj is not None and _head(obj) is not None and _head(obj) not in _BUILDING_MODULES
    if word in _BUILTINS:
        if parent.type == "attribute" and parent.child_by_field_name("object") == node:
            attr = parent.child_by_field_name("attribute")
            return attr is not None and attr.text not in _BUILDING_ATTRS  # builtins.open: a name, no text
        return word == b"builtins" and parent.type == "dotted_name" and parent.parent is not None and \
            parent.parent.type == "import_statement" and parent.named_child_count == 1  # `import builtins`
    if word in _SCOPE_CALLS:
        call = parent
        if call.type != "call" or call.child_by_field_name("function") != node or call.parent is None:
            return field_of_attribute  # `self.locals` is another object's attribute
        user = call.parent
        if user.type == "attribute" and user.child_by_field_name("object") == call:
            attr = user.child_by_field_name("attribute")
            return attr is not None and attr.text not in _LOOKUPS  # globals().update(...), not .get(k)
        return user.type in _INERT_USES
    if word == b"getattr":
        # getattr(o, k) keeps o's head: it builds one only on a module whose attributes do
        call = parent
        if call.type != "call" or call.child_by_field_name("function") != node:
            return field_of_attribute
        args = call.child_by_field_name("arguments")
        first = args.named_children[0] if args is not None and args.named_children else None
        return first is not None and _head(first) not in _BUILDING_MODULES and _head(first) is not None
    if word == b"sys":
        if parent.type == "attribute" and parent.child_by_field_name("object") == node:
            attr = parent.child_by_field_name("attribute")  # sys.modules: judged by its own word
            return attr is not None and attr.text not in (b"__dict__", b"__getattribute__")
        return parent.type == "dotted_name" and parent.parent is not None and \
            parent.parent.type == "import_statement" and parent.named_child_count == 1  # `import sys`
    if word == b"eval":
        # `model.eval()`: a method of some other object (the builtins module's is caught by its own word)
        obj = parent.child_by_field_name("object") if field_of_attribute else None
        return obj is not None and obj.text not in _BUILTINS
    return False


def _head(node) -> bytes | None:
    """The identifier an expression's value starts from (`self.a.b(c)[d]` -> self); None: none."""
    for _ in range(64):
        if node.type == "identifier":
            return node.text
        if node.type == "attribute":
            node = node.child_by_field_name("object")
        elif node.type == "call":
            node = node.child_by_field_name("function")
        elif node.type == "subscript":
            node = node.child_by_field_name("value")
        else:
            return None
        if node is None:
            return None
    return None
