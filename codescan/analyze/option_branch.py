"""Is a Python statement on a branch its caller chooses? A library that offers "verify=False" has to turn the checks
off somewhere: `if verify is False: ctx.check_hostname = False` inside `create_ssl_context(verify=True)` honours an
option, and so does `if not allow_pickle: raise ...` before a `pickle.loads`; the same line on its own, or under a
test no caller controls, is a choice made for every caller.

The tests that lead to a statement are collected up to its function: an `if` or `elif` it sits under (true), the
tests an `else` or later `elif` comes after (false), a conditional expression's test, and guard clauses before it in
an enclosing block (`if T: raise/return`, false). The branch is an option's when one of those tests reads a
parameter named like a switch (verify, cert_reqs, assert_hostname, insecure, allow_pickle), such an attribute of
`self` (`self.verify`), of a parameter (`options.insecure`) or of an object the instance holds
(`self.request.validate_cert`: the request a caller built). `if url:` or `if os.name == "nt":` chooses nothing a caller asked for.

Not when a caller that passes nothing reaches the statement: every test is evaluated with the parameters' defaults
(`verify=False` → `not verify` is true), and when all of them come out as the path needs, the insecure branch is the
default, still reported. A parameter without a default, or a test this does not evaluate, leaves it to the caller.
"""
from __future__ import annotations

import re

_SCOPES = frozenset(("function_definition", "lambda", "class_definition", "module"))
SWITCH = re.compile(r"(?i)verif|insecure|unsafe|ssl|tls|cert|hostname|fingerprint|check|validat|secure|trust|strict"
                     r"|allow|pickle")
_CONSTANTS = {b"True": True, b"False": False, b"None": None}
# an object named as the program's options (`options.insecure`, `ctx.options.ssl_insecure`, `opts.no_verify`):
# what its user chose on the command line or in a config, never a choice the code makes for every run
_OPTION_SETS = frozenset((b"options", b"opts"))


def _in_option_set(name: str) -> bool:
    parts = name.split(".")
    return len(parts) >= 2 and parts[-2].encode() in _OPTION_SETS


# `args = parser.parse_args()` (argparse, also parse_known_args / parse_intermixed_args): the names bound to what the
# command line says, whose attributes (`args.insecure`) are options the user gave (websockets' CLI)
_PARSED = re.compile(rb"(?m)^[ \t]*(\w+)(?:\s*,\s*\w+)?\s*(?::[^=\n]*)?=\s*[\w.]*\.parse_(?:known_|intermixed_)?args\(")


def _derived_from(function, name: str, params: dict) -> str | None:
    """The switch parameter a local is computed from when the function binds it once, from an expression reading
    that parameter (pymongo: `verify_mode = CERT_NONE if allow_invalid_certificates else CERT_REQUIRED`)."""
    text = function.text if function is not None else None
    if not text or name.encode() not in text:
        return None
    bindings = re.findall(rb"(?m)^[ \t]*" + re.escape(name.encode()) + rb"[ \t]*(?::[^=\n]*)?=(?!=)([^\n]*)$", text)
    if len(bindings) != 1:
        return None
    read = set(re.findall(rb"\b[A-Za-z_]\w*\b", bindings[0]))
    return next((p for p in params if p.encode() in read and SWITCH.search(p) and _safe_default(p, params[p])), None)


_LOOSENING = re.compile(r"(?i)allow|insecure|unsafe|skip|disable|no_|ignore")


def _safe_default(param: str, default) -> bool:
    """A caller passing nothing keeps the checks: `allow_invalid_certificates=False`, `verify=True`, or no default (a
    derived local's test is not evaluated, so an insecure default is not left to the caller)."""
    if default is _UNKNOWN or default is None:
        return True
    return default is (not _LOOSENING.search(param)) if isinstance(default, bool) else False


def _parsed_names(scope) -> frozenset:
    text = scope.text if scope is not None else None
    if not text or b"parse_" not in text:
        return frozenset()
    return frozenset(m.group(1).decode("utf-8", "replace") for m in _PARSED.finditer(text))
_UNKNOWN = object()


def chosen_by(node, language: str = "python") -> str | None:
    """The option (a parameter or `self.<switch>`; for JS see option_branch_js) whose test leads to `node`, or
    None."""
    if language != "python":
        from .option_branch_js import chosen_by as chosen_by_js
        return chosen_by_js(node)
    tests, child, parent = [], node, node.parent
    while parent is not None and parent.type not in _SCOPES:
        tests.extend(_tests_to(parent, child))
        child, parent = parent, parent.parent
    if not tests:
        return None
    params = _parameters(parent) if parent is not None and parent.type == "function_definition" else {}
    option, parsed = None, None
    for test, _wanted in tests:
        for name in _names(test):
            if not SWITCH.search(name.rsplit(".", 1)[-1]):
                continue
            head = name.split(".", 1)[0]
            if head in params or name.startswith("self.") or _in_option_set(name):
                option = option or name
            elif "." in name:  # `args.insecure` with `args = parser.parse_args()` in the same function
                parsed = _parsed_names(parent) if parsed is None else parsed
                if head in parsed:
                    option = option or name
            elif params and (source := _derived_from(parent, name, params)) is not None:
                option = option or source  # verify_mode = CERT_NONE if allow_invalid_certificates else CERT_REQUIRED
    if option is None:
        return None
    if all(_evaluate(test, params) is wanted for test, wanted in tests):
        return None  # a caller passing nothing takes this branch: the insecure choice is the default
    for given in _calls_in_file(parent, params):
        if all(_evaluate(test, given) is wanted for test, wanted in tests):
            return None  # `fetch(url, verify=False)` in this file: a caller here makes the insecure choice
    return option


MAX_CALLS = 64  # calls of one function read for the arguments they give


def _calls_in_file(function, params: dict[str, object]):
    """The parameters (defaults, then what the call gives) at each call of `function` in its file by name
    (`name(..)`, `obj.name(..)`): positional arguments by position past `self`, keyword arguments by name. The calls
    are found by searching the file's text for the name (a walk of the whole tree for every finding made a file of
    3,000 option branches run for 87 s)."""
    name_node = function.child_by_field_name("name") if function is not None else None
    if name_node is None:
        return
    name, root = name_node.text, function
    while root.parent is not None:
        root = root.parent
    order = [p for p in _positional_names(function) if p not in ("self", "cls")]
    text, count = root.text or b"", 0
    for match in re.finditer(re.escape(name) + rb"\s*\(", text):  # a literal first: re scans for it fast
        if match.start() and (text[match.start() - 1:match.start()].isalnum() or text[match.start() - 1] == 95):
            continue  # the end of a longer name (`remake(`)
        count += 1
        if count > MAX_CALLS:
            return
        called = root.descendant_for_byte_range(match.start(), match.start() + len(name))
        callee = called.parent if called is not None else None
        if callee is not None and callee.type == "attribute" and callee.child_by_field_name("attribute") == called:
            callee, called = callee.parent, callee
        else:
            callee = called.parent if called is not None else None
        if called is None or called.type not in ("identifier", "attribute") or callee is None or \
                callee.type != "call" or callee.child_by_field_name("function") != called:
            continue
        given = dict(params)
        args = callee.child_by_field_name("arguments")
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
        return [(test, False) for test in _guards_before(child)]
    return []


MAX_GUARDS_BEFORE = 32  # statements looked back through for guard clauses (they open a function or sit just above)


def _guards_before(child) -> list:
    """The tests of `if T: raise ...` / `if T: return ...` statements before `child` in its block (at most
    MAX_GUARDS_BEFORE statements back: reading every earlier one for every finding was quadratic)."""
    out = []
    statement, looked = child.prev_named_sibling, 0
    while statement is not None and looked < MAX_GUARDS_BEFORE:
        statement, current, looked = statement.prev_named_sibling, statement, looked + 1
        if current.type != "if_statement" or current.children_by_field_name("alternative"):
            continue
        body = current.child_by_field_name("consequence")
        last = body.named_children[-1] if body is not None and body.named_child_count else None
        while last is not None and last.type == "comment":
            last = last.prev_named_sibling
        if last is not None and last.type in ("raise_statement", "return_statement"):
            out.append(current.child_by_field_name("condition"))
    return [t for t in out if t is not None]


def _names(test) -> list[str]:
    """The plain names, `name.attr` and `self.<name>.<attr>` attributes a test reads (not the names of calls it makes)."""
    out, stack = [], [test]
    while stack:
        node = stack.pop()
        if node is None:
            continue
        if node.type == "identifier":
            out.append(node.text.decode("utf-8", "replace"))
        elif node.type == "attribute":
            obj, attr = node.child_by_field_name("object"), node.child_by_field_name("attribute")
            if obj is not None and attr is not None and obj.type == "identifier":
                # `self.verify`, and a parameter's setting (`options.insecure`); the caller decides which is an option
                out.append(obj.text.decode("utf-8", "replace") + "." + attr.text.decode("utf-8", "replace"))
            elif obj is not None and attr is not None and obj.type == "attribute":
                # the settings object the instance was given (Tornado's `self.request.validate_cert`)
                root = obj.child_by_field_name("object")
                if root is not None and root.type == "identifier" and (
                        root.text == b"self" or obj.child_by_field_name("attribute").text in _OPTION_SETS):
                    # (or the program's option set, wherever it is held: mitmproxy's `ctx.options.ssl_insecure`)
                    out.append(obj.text.decode("utf-8", "replace") + "." + attr.text.decode("utf-8", "replace"))
            # `ssl.IS_PYOPENSSL`, `x.y.z`: a module's or another object's state, no option of this call
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


MAX_TEST_DEPTH = 32  # nested not/and/or/parentheses evaluated; deeper is unknown (no recursion to Python's limit)


def _evaluate(test, params: dict[str, object], depth: int = 0) -> object:
    """The test's truth with every parameter at its default: True, False, or _UNKNOWN."""
    if depth > MAX_TEST_DEPTH:
        return _UNKNOWN
    kind = test.type
    if kind == "parenthesized_expression" and test.named_child_count == 1:
        return _evaluate(test.named_children[0], params, depth + 1)
    if kind == "not_operator":
        inner = _evaluate(test.child_by_field_name("argument"), params, depth + 1)
        return _UNKNOWN if inner is _UNKNOWN else not inner
    if kind == "boolean_operator":
        left = _evaluate(test.child_by_field_name("left"), params, depth + 1)
        right = _evaluate(test.child_by_field_name("right"), params, depth + 1)
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
