"""The Function constructor reached without its name: `(() => {}).constructor`,
`Object.getPrototypeOf(async function () {}).constructor` (AsyncFunction), `''.constructor.constructor`,
`[].map.constructor` (any method of a literal), `Function.prototype.constructor`, `Array.constructor` (a global
constructor is a function)."""
from __future__ import annotations

import re

_FUNCTIONS = frozenset(("function_expression", "function", "arrow_function", "generator_function",
                        "async_function", "async_arrow_function"))
_LITERALS = frozenset(("array", "string", "template_string", "object", "number"))
_PROTOTYPE_OF = frozenset((b"Object.getPrototypeOf", b"Reflect.getPrototypeOf"))
# where a file may reach it (the gate: a `constructor` word alone is in every class-based file)
MARKS = re.compile(rb"\)\s*\.\s*constructor\b|\bconstructor\s*\.\s*constructor\b|__proto__\s*\.\s*constructor\b"
                   rb"|[\]'\"`]\s*\.\s*[\w$]+\s*\.\s*constructor\b"  # [].map.constructor, ''.sub.constructor
                   rb"|\bFunction\s*\.\s*prototype\s*\.\s*constructor\b"
                   rb"|(?<![\w$.])(?:Function|Object|Array|String|Number|Boolean|Symbol|Date|RegExp|Promise|Error|Map|Set"
                   rb"|BigInt|Proxy)\s*\.\s*constructor\b")  # Array.constructor: every builtin constructor is a function
# global constructors: each is a function, so its `.constructor` is Function (`Array.constructor("return process")`)
_BUILTIN_FUNCTIONS = frozenset((b"Function", b"Object", b"Array", b"String", b"Number", b"Boolean", b"Symbol", b"Date",
                                b"RegExp", b"Promise", b"Error", b"Map", b"Set", b"BigInt", b"Proxy"))


def function_constructor(obj_node) -> bool:
    """Whether `obj_node.constructor` is the Function (or AsyncFunction/GeneratorFunction) constructor."""
    node = _unwrapped(obj_node)
    if node is None:
        return False
    if node.type in _FUNCTIONS:  # (function () {}).constructor, (async () => {}).constructor
        return True
    if node.type == "identifier":  # Array.constructor
        return node.text in _BUILTIN_FUNCTIONS
    if node.type == "call_expression":  # Object.getPrototypeOf(async function () {}).constructor
        fn, args = node.child_by_field_name("function"), node.child_by_field_name("arguments")
        inner = [c for c in args.named_children if c.type != "comment"] if args is not None else []
        return fn is not None and fn.text in _PROTOTYPE_OF and len(inner) == 1 and \
            _unwrapped(inner[0]) is not None and _unwrapped(inner[0]).type in _FUNCTIONS
    if node.type == "member_expression":  # ''.constructor.constructor, fn.__proto__.constructor
        prop = node.child_by_field_name("property")
        owner = _unwrapped(node.child_by_field_name("object"))
        if owner is not None and owner.type in _LITERALS and prop is not None and prop.text != b"length":
            return True  # [].map.constructor: a method of a literal is a function ([].length is a number)
        if prop is not None and prop.text == b"prototype" and owner is not None and owner.type == "identifier":
            return owner.text == b"Function"  # Function.prototype.constructor is Function (Object's is Object)
        return prop is not None and prop.text in (b"constructor", b"__proto__") and owner is not None
    return False


def _unwrapped(node):
    for _ in range(4):
        if node is None or node.type not in ("parenthesized_expression", "as_expression", "non_null_expression"):
            return node
        node = node.named_children[0] if node.named_children else None
    return node
