"""Is a Python statement on a branch its caller chooses? A library that offers "verify=False" has to turn the checks
off somewhere: `if verify is False: ctx.check_hostname = False` inside `create_ssl_context(verify=True)` honours an
option, and so does `if not allow_pickle: raise ...` before a `pickle.loads`; the same line on its own, or under a
test no caller controls, is a choice made for every caller.

The tests that lead to a statement are collected up to its function: an `if` or `elif` it sits under (true), the
tests an `else` or later `elif` comes after (false), a conditional expression's test, and guard clauses before it in
an enclosing block (`if T: raise/return`, false). The branch is an option's when one of those tests reads a
parameter named like a switch (verify, cert_reqs, assert_hostname, insecure, allow_pickle) or such an attribute of
`self` (`self.verify`). `if url:` or `if os.name == "nt":` chooses nothing a caller asked for.

Not when a caller that passes nothing reaches the statement: every test is evaluated with the parameters' defaults
(`verify=False` → `not verify` is true), and when all of them come out as the path needs, the insecure branch is the
default, still reported. A parameter without a default, or a test this does not evaluate, leaves it to the caller.
"""
from __future__ import annotations

import re

_SCOPES = frozenset(("function_definition", "lambda", "class_definition", "module"))
_SWITCH = re.compile(r"(?i)verif|insecure|unsafe|ssl|tls|cert|hostname|fingerprint|check|validat|secure|trust|strict"
                     r"|allow|pickle")
_CONSTANTS = {b"True": True, b"False": False, b"None": None}
_UNKNOWN = object()


def chosen_by(node, language: str = "python") -> str | None:
    """The option (a parameter or `self.<switch>`; in JS a switch-named property or environment variable) whose
    test leads to `node`, or None."""
    if language != "python":
        return _chosen_by_js(node)
    tests, child, parent = [], node, node.parent
    while parent is not None and parent.type not in _SCOPES:
        tests.extend(_tests_to(parent, child))
        child, parent = parent, parent.parent
    if not tests:
        return None
    params = _parameters(parent) if parent is not None and parent.type == "function_definition" else {}
    option = None
    for test, _wanted in tests:
        for name in _names(test):
            if (name in params or name.startswith("self.")) and _SWITCH.search(name.rsplit(".", 1)[-1]):
                option = option or name
    if option is None:
        return None
    if all(_evaluate(test, params) is wanted for test, wanted in tests):
        return None  # a caller passing nothing takes this branch: the insecure choice is the default
    for given in _calls_in_file(parent, params):
        if all(_evaluate(test, given) is wanted for test, wanted in tests):
            return None  # `fetch(url, verify=False)` in this file: a caller here makes the insecure choice
    return option


MAX_CALL_NODES = 200_000  # nodes looked through for the calls of one function


def _calls_in_file(function, params: dict[str, object]):
    """The parameters (defaults, then what the call gives) at each call of `function` in its file by name
    (`name(..)`, `obj.name(..)`): positional arguments by position past `self`, keyword arguments by name."""
    name_node = function.child_by_field_name("name") if function is not None else None
    if name_node is None:
        return
    name, root = name_node.text, function
    while root.parent is not None:
        root = root.parent
    order = [p for p in _positional_names(function) if p not in ("self", "cls")]
    stack, seen = [root], 0
    while stack and seen < MAX_CALL_NODES:
        node = stack.pop()
        seen += 1
        if node.type == "call":
            callee = node.child_by_field_name("function")
            called = callee.child_by_field_name("attribute") if callee is not None and callee.type == "attribute" \
                else callee
            if called is not None and called.type == "identifier" and called.text == name:
                given = dict(params)
                args = node.child_by_field_name("arguments")
                positional = 0
                for arg in args.named_children if args is not None else ():
                    if arg.type == "keyword_argument":
                        key = arg.child_by_field_name("name")
                        if key is not None:
                            given[key.text.decode("utf-8", "replace")] = _literal(arg.child_by_field_name("value"))
                    elif arg.type not in ("list_splat", "dictionary_splat", "comment"):
                        if positional < len(order):
                            given[order[positional]] = _literal(arg)
                        positional += 1
                yield given
        stack.extend(node.named_children)


def _positional_names(function) -> list[str]:
    params = function.child_by_field_name("parameters")
    out = []
    for param in params.named_children if params is not None else ():
        if param.type == "identifier":
            out.append(param.text.decode("utf-8", "replace"))
        elif param.type in ("default_parameter", "typed_default_parameter", "typed_parameter"):
            name = param.child_by_field_name("name") or next(
                (c for c in param.named_children if c.type == "identifier"), None)
            if name is not None:
                out.append(name.text.decode("utf-8", "replace"))
        elif param.type in ("list_splat_pattern", "keyword_separator", "dictionary_splat_pattern"):
            break
    return out


def _tests_to(parent, child) -> list[tuple[object, bool]]:
    """(test, the truth it must have) for each test deciding whether `child` (a part of `parent`) runs."""
    kind = parent.type
    if kind == "if_statement":
        condition = parent.child_by_field_name("condition")
        if child == parent.child_by_field_name("consequence"):
            return [(condition, True)]
        if child.type in ("elif_clause", "else_clause"):  # the tests it comes after
            tests = [(condition, False)]
            for clause in parent.children_by_field_name("alternative"):
                if clause == child:
                    break
                tests.append((clause.child_by_field_name("condition"), False))
            return [(t, w) for t, w in tests if t is not None]
        return []
    if kind == "elif_clause" and child == parent.child_by_field_name("consequence"):
        return [(parent.child_by_field_name("condition"), True)]
    if kind == "conditional_expression":
        parts = [c for c in parent.named_children if c.type != "comment"]
        if len(parts) == 3 and child != parts[1]:
            return [(parts[1], child == parts[0])]
        return []
    if kind == "block":
        return [(test, False) for test in _guards_before(parent, child)]
    return []


def _guards_before(block, child) -> list:
    """The tests of `if T: raise ...` / `if T: return ...` statements before `child` in `block`."""
    out = []
    for statement in block.named_children:
        if statement == child:
            break
        if statement.type != "if_statement" or statement.children_by_field_name("alternative"):
            continue
        body = statement.child_by_field_name("consequence")
        steps = [s for s in body.named_children if s.type != "comment"] if body is not None else []
        if steps and steps[-1].type in ("raise_statement", "return_statement"):
            out.append(statement.child_by_field_name("condition"))
    return [t for t in out if t is not None]


def _names(test) -> list[str]:
    """The plain names and `self.<name>` attributes a test reads (not the names of calls it makes)."""
    out, stack = [], [test]
    while stack:
        node = stack.pop()
        if node is None:
            continue
        if node.type == "identifier":
            out.append(node.text.decode("utf-8", "replace"))
        elif node.type == "attribute":
            obj, attr = node.child_by_field_name("object"), node.child_by_field_name("attribute")
            if obj is not None and attr is not None and obj.type == "identifier" and obj.text == b"self":
                out.append("self." + attr.text.decode("utf-8", "replace"))
            # `ssl.IS_PYOPENSSL`, `x.y`: a module's or another object's state, no option of this call
        elif node.type == "call":
            stack.append(node.child_by_field_name("arguments"))
        else:
            stack.extend(node.named_children)
    return out


def _parameters(function) -> dict[str, object]:
    """Parameter name → its default as a constant (True/False/None/int/str), _UNKNOWN when there is none or it is
    not a literal."""
    params = function.child_by_field_name("parameters")
    out: dict[str, object] = {}
    for param in params.named_children if params is not None else ():
        if param.type in ("default_parameter", "typed_default_parameter"):
            name, value = param.child_by_field_name("name"), param.child_by_field_name("value")
            if name is not None:
                out[name.text.decode("utf-8", "replace")] = _literal(value)
        elif param.type == "identifier":
            out[param.text.decode("utf-8", "replace")] = _UNKNOWN
        else:
            name = next((c for c in param.named_children if c.type == "identifier"), None)
            if name is not None:
                out[name.text.decode("utf-8", "replace")] = _UNKNOWN
    return out


def _literal(node) -> object:
    if node is None:
        return _UNKNOWN
    if node.text in _CONSTANTS:
        return _CONSTANTS[node.text]
    if node.type == "integer" and node.text.isdigit():
        return int(node.text)
    if node.type == "string" and node.text[:1] in (b"'", b'"') and node.text[-1:] == node.text[:1]:
        return node.text[1:-1].decode("utf-8", "replace")
    return _UNKNOWN


def _evaluate(test, params: dict[str, object]) -> object:
    """The test's truth with every parameter at its default: True, False, or _UNKNOWN."""
    kind = test.type
    if kind == "parenthesized_expression" and test.named_child_count == 1:
        return _evaluate(test.named_children[0], params)
    if kind == "not_operator":
        inner = _evaluate(test.child_by_field_name("argument"), params)
        return _UNKNOWN if inner is _UNKNOWN else not inner
    if kind == "boolean_operator":
        left = _evaluate(test.child_by_field_name("left"), params)
        right = _evaluate(test.child_by_field_name("right"), params)
        is_and = test.child_by_field_name("operator").type == "and"
        if left is (not is_and) or right is (not is_and):
            return not is_and  # one side decides: False for `and`, True for `or`
        return _UNKNOWN if _UNKNOWN in (left, right) else is_and
    if kind == "comparison_operator" and test.named_child_count == 2:
        ops = [c.type for c in test.children if not c.is_named]
        left, right = (_value(c, params) for c in test.named_children)
        if _UNKNOWN in (left, right) or len(ops) not in (1, 2):
            return _UNKNOWN
        op = " ".join(ops)
        same = left is right if op in ("is", "is not") else left == right if op in ("==", "!=") else _UNKNOWN
        if same is _UNKNOWN:
            return _UNKNOWN
        return same if op in ("is", "==") else not same
    value = _value(test, params)
    return _UNKNOWN if value is _UNKNOWN else bool(value)


def _value(node, params: dict[str, object]) -> object:
    if node.type == "identifier":
        return params.get(node.text.decode("utf-8", "replace"), _UNKNOWN)
    return _literal(node)


# -- JavaScript / TypeScript -----------------------------------------------------------------------------------------
# No defaults to evaluate: an option is a switch-named property of anything (`self.strictSSL === false`,
# `this.ssl === 'no-verify'`, `options.insecure`) or environment variable (`switch (process.env.PGSSLMODE)`), or a
# parameter named like one; a plain local name (`if (url)`) or a constant object's property chooses nothing.
_JS_SCOPES = frozenset(("function_declaration", "function_expression", "arrow_function", "method_definition",
                        "generator_function_declaration", "generator_function", "program", "class_body"))


def _chosen_by_js(node) -> str | None:
    child, parent = node, node.parent
    while parent is not None and parent.type not in _JS_SCOPES:
        for test in _js_tests_to(parent, child):
            for name in _js_names(test):
                key = name.rsplit(".", 1)[-1]
                if _SWITCH.search(key) and _js_option_holder(name, test) and not _js_set_in_file(parent, key):
                    return name
        child, parent = parent, parent.parent
    return None


def _js_option_holder(name: str, test) -> bool:
    """Whose setting it is: the object's own (`this.`/`self.`), the environment's, or a parameter's
    (`options.insecure`, `verify`); a local object (`const cfg = {insecure: true}`) is the code's own choice."""
    head = name.split(".", 1)[0]
    if head in ("this", "self") or name.startswith("process.env."):
        return True
    holder = next((n for n in _walk(test) if n.type == "identifier" and n.text.decode("utf-8", "replace") == head),
                  None)
    return holder is not None and _is_parameter(holder)


def _js_set_in_file(node, key: str) -> bool:
    """Whether the file itself gives the switch a literal (`connect({insecure: true})`, `strictSSL: false`):
    then a caller here makes the choice, and it is reported as any other."""
    root = node
    while root.parent is not None:
        root = root.parent
    wanted = key.encode()
    negative = bool(_JS_NEGATIVE.search(key))
    for pair in _walk(root):
        if pair.type == "pair":
            k, v = pair.child_by_field_name("key"), pair.child_by_field_name("value")
            if k is None or v is None or k.text.strip(b"'\"") != wanted:
                continue
            if v.type == ("true" if negative else "false") or (not negative and v.text in (b"0", b"!1")) or \
                    v.type == "string" and _JS_OFF.search(v.text.decode("utf-8", "replace")):
                return True  # the insecure side, written here (a `{strictSSL: true}` default is not)
    return False


_JS_NEGATIVE = re.compile(r"(?i)insecure|unsafe|skip|disable|ignore|no_?verify|allow")
_JS_OFF = re.compile(r"(?i)no-?verify|disable|insecure|^['\"`](?:none|off|allow|prefer)['\"`]$")


def _js_tests_to(parent, child) -> list:
    kind = parent.type
    if kind == "if_statement":
        condition = parent.child_by_field_name("condition")
        return [condition] if condition is not None and child != condition else []
    if kind == "ternary_expression":
        condition = parent.child_by_field_name("condition")
        return [condition] if condition is not None and child != condition else []
    if kind in ("switch_case", "switch_default"):
        body = parent.parent
        switch = body.parent if body is not None else None
        value = switch.child_by_field_name("value") if switch is not None else None
        return [value] if value is not None else []
    return []


def _js_names(test) -> list[str]:
    """Switch candidates a JS test reads: member chains by their text (`self.strictSSL`, `process.env.PGSSLMODE`)
    and the names of parameters of the function around it."""
    out, stack = [], [test]
    while stack:
        node = stack.pop()
        if node is None:
            continue
        if node.type == "member_expression":
            out.append(node.text.decode("utf-8", "replace"))
        elif node.type == "identifier" and _is_parameter(node):
            out.append(node.text.decode("utf-8", "replace"))
        elif node.type != "call_expression":
            stack.extend(node.named_children)
        else:
            stack.append(node.child_by_field_name("arguments"))
    return out


def _is_parameter(identifier) -> bool:
    name, current = identifier.text, identifier.parent
    while current is not None and current.type not in _JS_SCOPES:
        current = current.parent
    params = current.child_by_field_name("parameters") if current is not None else None
    if params is None and current is not None and current.type == "arrow_function":
        params = current.child_by_field_name("parameter")
    if params is None:
        return False
    return any(n.type == "identifier" and n.text == name for n in _walk(params))


def _walk(node):
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(current.named_children)
