"""Text a JavaScript loop builds one piece at a time: `for (const c of CODES) s += String.fromCharCode(c)` and
`for (let i = 0; i < CODES.length; i++) s += String.fromCharCode(CODES[i] ^ 7)`, the loop run over a constant list
(how obfuscated droppers spell their command). Bounded: the list's length and the text's size."""
from __future__ import annotations

import re

from .. import js_constants
from ..constants import UNKNOWN, NotConstant

MAX_ITEMS = 4_096  # items of a constant list a loop is run over
MAX_TEXT = 65_536  # characters the built text may reach
MAX_BODY = 4_000  # bytes of a loop body searched for other writes of the name
_FUNCTIONS = frozenset(("function_declaration", "function_expression", "arrow_function", "function", "method_definition",
                        "class_body", "program"))


class _Bound:
    """The constant interpreter's look-up with the loop variable bound to one item."""

    def __init__(self, values, var: bytes, item, listing=None):
        self.values, self.var, self.item, self.listing = values, var, item, listing

    def __call__(self, node):
        if node.type == "identifier" and node.text == self.var:
            return self.item
        return self.values(node)

    def constant_of(self, node):
        if self.listing is not None and node.type == "subscript_expression":
            index = node.child_by_field_name("index")
            if index is not None and index.type == "identifier" and index.text == self.var and \
                    node.child_by_field_name("object").text == self.listing[0]:
                return self.listing[1][self.item]
        return self.values.constant_of(node)


def unrolled(values, name: str, assignment, before) -> object:
    """The text `name` holds after the loop around `assignment` (`name += <piece>`) ran over its constant list, when
    `name` held the constant text `before` and the loop writes it nowhere else; UNKNOWN otherwise."""
    if not isinstance(before, str):
        return UNKNOWN
    loop = assignment.parent
    while loop is not None and loop.type not in ("for_in_statement", "for_statement") and loop.type not in _FUNCTIONS:
        loop = loop.parent
    if loop is None or loop.type in _FUNCTIONS:
        return UNKNOWN
    body = loop.child_by_field_name("body")
    if body is None or body.end_byte - body.start_byte > MAX_BODY or len(re.findall(rb"(?<![\w$.])" + re.escape(name.encode()) + rb"\s*[-+*|&]?=(?!=)", body.text)) != 1:
        return UNKNOWN
    plan = _for_of(values, loop) if loop.type == "for_in_statement" else _for_index(values, loop)
    if plan is None:
        return UNKNOWN
    var, items, listing = plan
    right = assignment.child_by_field_name("right")
    text = before
    try:
        for item in items:
            piece = js_constants.evaluate(right, _Bound(values, var, item, listing))
            if not isinstance(piece, (str, int)) or isinstance(piece, bool):
                return UNKNOWN
            text += str(piece)
            if len(text) > MAX_TEXT:
                return UNKNOWN
    except (NotConstant, IndexError, TypeError, KeyError):
        return UNKNOWN
    return text


def _for_of(values, loop):
    operator = loop.child_by_field_name("operator")
    left = loop.child_by_field_name("left")
    if operator is None or operator.type != "of" or left is None or left.type != "identifier":
        return None
    listing = values.ev(loop.child_by_field_name("right")).const
    if not isinstance(listing, (list, str)) or not 0 < len(listing) <= MAX_ITEMS:
        return None
    return left.text, list(listing), None


def _for_index(values, loop):
    """for (let i = 0; i < LIST.length; i++): i runs over LIST's indices."""
    init, condition, step = (loop.child_by_field_name(f) for f in ("initializer", "condition", "increment"))
    if init is None or condition is None or step is None:
        return None
    found = re.fullmatch(rb"(?:let|var)\s+([\w$]+)\s*=\s*0\s*;?", init.text.strip())
    if found is None:
        return None
    var = found.group(1)
    bound = re.fullmatch(rb"\s*" + re.escape(var) + rb"\s*<\s*([\w$]+)\.length\s*;?\s*", condition.text)
    if bound is None or step.text.replace(b" ", b"") not in (var + b"++", b"++" + var, var + b"+=1"):
        return None
    holder = condition.descendant_for_byte_range(condition.start_byte + bound.start(1),
                                                 condition.start_byte + bound.end(1))
    listing = values.ev(holder).const if holder is not None and holder.type == "identifier" else UNKNOWN
    if not isinstance(listing, (list, str)) or not 0 < len(listing) <= MAX_ITEMS:
        return None
    return var, range(len(listing)), (bound.group(1), listing)


def mapped(values, items, function) -> object:
    """The list `Array.from(items, fn)` / `items.map(fn)` makes when `items` is a constant list or text and `fn` an
    arrow function of one parameter whose result is a constant for every item (a Caesar shift:
    `Array.from(s, c => String.fromCharCode(c.charCodeAt(0) - 1))`); UNKNOWN otherwise."""
    if not isinstance(items, (list, str)) or not 0 < len(items) <= MAX_ITEMS or \
            function.type not in ("arrow_function", "function_expression", "function"):
        return UNKNOWN
    param = function.child_by_field_name("parameter")
    if param is None:
        params = function.child_by_field_name("parameters")
        named = [c for c in params.named_children if c.type != "comment"] if params is not None else []
        param = named[0] if len(named) == 1 else None
        if param is not None and param.type == "required_parameter":
            param = param.named_children[0] if param.named_children else None
    body = function.child_by_field_name("body")
    if body is not None and body.type == "statement_block":
        statements = [c for c in body.named_children if c.type != "comment"]
        body = statements[0].named_children[0] if len(statements) == 1 and \
            statements[0].type == "return_statement" and statements[0].named_children else None
    if param is None or param.type != "identifier" or body is None:
        return UNKNOWN
    out = []
    try:
        for item in items:
            out.append(js_constants.evaluate(body, _Bound(values, param.text, item)))
    except (NotConstant, IndexError, TypeError, KeyError):
        return UNKNOWN
    if sum(len(v) if isinstance(v, str) else 1 for v in out) > MAX_TEXT:
        return UNKNOWN
    return out


MAX_ENTRIES = 256  # entries a table filled by a loop may reach


def filled(values, name: str, assignment, before) -> object:
    """The object `name` holds after `name[KEY] = VALUE` (or `name.key = VALUE`), when it held the constant object
    `before`: the entry added with key and value folded, once, or for each item of the constant list a loop
    (`for (const n of [...])`, `[...].forEach((n) => ...)`) runs the assignment over; UNKNOWN otherwise."""
    if not isinstance(before, dict):
        return UNKNOWN
    left = assignment.child_by_field_name("left")
    right = assignment.child_by_field_name("right")
    if left is None or right is None or left.type not in ("subscript_expression", "member_expression"):
        return UNKNOWN
    key_node = left.child_by_field_name("index") if left.type == "subscript_expression" else None
    fixed = left.child_by_field_name("property").text.decode("utf-8", "replace") if key_node is None else None
    plan = _loop_plan(values, assignment)
    if plan is False:  # a loop that does not run over a constant list: the keys are not known here
        return UNKNOWN
    bindings = [None] if plan is None else [_Bound(values, plan[0], item, plan[2]) for item in plan[1]]
    if len(bindings) + len(before) > MAX_ENTRIES:
        return UNKNOWN
    table = dict(before)
    try:
        for bound in bindings:
            look = values if bound is None else bound
            key = fixed if key_node is None else js_constants.evaluate(key_node, look)
            value = js_constants.evaluate(right, look)
            if not isinstance(key, (str, int)) or isinstance(key, bool) or value is UNKNOWN:
                return UNKNOWN
            table[str(key)] = value
    except (NotConstant, IndexError, TypeError, KeyError, ValueError):
        return UNKNOWN
    return table


def _loop_plan(values, node):
    """(variable, items, listing) of the constant loop around `node` in its function; None when there is no loop
    around it; False when there is one that does not run over a constant list."""
    current = node.parent
    while current is not None and current.type not in _FUNCTIONS:
        if current.type == "for_in_statement":
            return _for_of(values, current) or False
        if current.type in ("for_statement", "while_statement", "do_statement"):
            return _for_index(values, current) or False if current.type == "for_statement" else False
        current = current.parent
    if current is None or current.type not in ("arrow_function", "function_expression", "function"):
        return None
    return _for_each(values, current)


def _for_each(values, function):
    """`[...].forEach((n) => ...)`: the callback's first parameter runs over the constant list; None when the
    function is no forEach callback (it runs once, where it is called); False when the list is not constant."""
    holder = function.parent
    call = holder.parent if holder is not None and holder.type == "arguments" else None
    member = call.child_by_field_name("function") if call is not None and call.type == "call_expression" else None
    if member is None or member.type != "member_expression" or \
            member.child_by_field_name("property").text not in (b"forEach", b"map"):
        return None
    params = function.child_by_field_name("parameters")
    first = function.child_by_field_name("parameter") or (params.named_children[0] if params is not None and
                                                            params.named_children else None)
    listing = values.ev(member.child_by_field_name("object")).const
    if first is None or first.type != "identifier" or not isinstance(listing, list) or \
            not 0 < len(listing) <= MAX_ENTRIES:
        return False
    return first.text, list(listing), None
