"""Python and JS/TS: an authentication function that grants when its input equals a constant, as operator.eq facts.

`def login(user, pw): if pw == "Xk9#mq2!Lz": return True` is the magic-password backdoor even when the compared
name says nothing about credentials. The fact `operator.eq(input, constant)` is made only inside a function named
like an authentication check (login, authenticate, check_login, verify_user, is_authorized, has_access,
validate_token...) or in a request hook (Flask before_request, middleware, Django process_request/process_view,
Express `(req, res, next)`), for an `if` whose test compares a value derived from the function's parameters (or the web
request) with a constant, and whose branch grants: returns something other than False/None/0, or sets an
admin/authenticated flag to true. The input side carries the label `auth-input`; the rule judges the constant."""
from __future__ import annotations

import re

from ..constants import UNKNOWN
from ..facts import Call, Step, Value
from .auth_dispatch import dispatched
from .auth_secret import app_secret
# the text searches: what may be an authentication function or a request hook, before any tree is read
from .auth_text import (_DEFINED, _EQ_CALL_WORDS, _HOOK, AUTH_NAME, _AUTH_LOWER, _defined_matches,  # noqa: F401
                        _hooked, defined_somewhere, possible)

_GRANTED = re.compile(r"(?i)admin|auth|logged|login|superuser|staff|root|privileg|grant|allow|trusted|verified")
# a call that signs a user in: Flask-Login's login_user, Django's login / force_login, Passport's req.login / logIn
_LOGS_IN = re.compile(rb"(?:^|\.)(?:login_user|login|log_in|logIn|force_login|remember_user)$")
# who the request runs as: Django's request.user, Flask's g.user, the session's user id
_SIGNED_IN_AS = re.compile(rb"^(?:request|req|g|flask\.g|self\.request)\.(?:user|current_user)$|"
                           rb"^(?:session|request\.session|req\.session)\[['\"](?:user|user_id|uid|_auth_user_id)['\"]\]$")
_REQUEST_GLOBALS = frozenset((b"request",))  # the web request a hook reads without a parameter (Flask, Quart, Bottle)
_DEFAULTED = frozenset({"configured-default"})  # a setting read with a constant default (python_calls)
MAX_FUNCTIONS = 64
MAX_TESTS = 64

_PY = {"functions": ("function_definition",), "if": ("if_statement", "elif_clause"), "compare": "comparison_operator",
       "bool": ("boolean_operator", "parenthesized_expression"), "eq": ("==", "in"),
       "deny": ("false", "none", "integer", "float"), "true": ("true",)}
_JS = {"functions": ("function_declaration", "method_definition", "arrow_function", "function_expression",
                     "function", "generator_function_declaration"),
       "if": ("if_statement",), "compare": "binary_expression", "bool": ("binary_expression", "parenthesized_expression"),
       "eq": ("==", "==="), "deny": ("false", "null", "undefined", "number"), "true": ("true",)}


def gates(source: bytes, root, values, language: str, wanted) -> list[Call]:
    """operator.eq facts for the granting comparisons of the file's authentication functions."""
    if not wanted("operator.eq") or not possible(source):
        return []
    grammar = _PY if language == "python" else _JS
    out: list[Call] = []
    for function in _auth_functions(source, root, grammar)[:MAX_FUNCTIONS]:
        named = dispatch = None
        tests = _tests(function, grammar)[:MAX_TESTS]
        for test, branch in tests:
            if (inner := _negated(test)) is not None and _denies(branch, grammar):
                test = inner  # `if (!ok) return res.status(401)`: what follows is granted when `ok` holds
            elif not _grants(branch, grammar):
                continue
            if named is None:
                named = _named_tests(function, grammar)
                dispatch = dispatched(tests, grammar, _comparisons, _sides)  # plugin_name == b"..." / elif ...
            out.extend(_facts(test, values, grammar, function, named, dispatch))
    return out


def _auth_functions(source: bytes, root, grammar) -> list:
    found: dict[int, object] = {}
    for match in _defined_matches(source):
        # the match ends at the function's `(`, `{`, `=>` or `function` keyword: inside the function's node
        node = root.named_descendant_for_byte_range(match.end() - 1, match.end())
        while node is not None and node.type not in grammar["functions"]:
            node = node.parent
        if node is None:
            continue
        name = _name_of(node)
        if name is not None and AUTH_NAME.search(name.replace(b"_", b"")) is not None:
            found.setdefault(node.start_byte, node)
    for match in _HOOK.finditer(source):  # a decorator before its def, `def process_request(`, `(req, res, next)`
        at = source.find(b"(", match.start()) if match.group().startswith(b"def") else match.end() - 1
        if match.group().startswith(b"@"):
            at = source.find(b"def ", match.end())
            if at < 0 or at - match.end() > 400:
                continue
        node = root.named_descendant_for_byte_range(at, at + 1)
        while node is not None and node.type not in grammar["functions"]:
            node = node.parent
        if node is not None:
            found.setdefault(node.start_byte, node)
    return list(found.values())


def _name_of(function) -> bytes | None:
    name = function.child_by_field_name("name")
    if name is not None:
        return name.text
    holder = function.parent
    if holder is not None and holder.type == "variable_declarator":
        target = holder.child_by_field_name("name")
        return target.text if target is not None else None
    if holder is not None and holder.type in ("pair", "assignment_expression"):
        target = holder.child_by_field_name("key") or holder.child_by_field_name("left")
        return target.text if target is not None else None
    return None


def _tests(function, grammar) -> list[tuple]:
    """(condition, branch) of each `if`/`elif` in the function's own body (not in nested functions)."""
    out = []
    body = function.child_by_field_name("body")
    stack = [body] if body is not None else []
    while stack and len(out) < MAX_TESTS:
        node = stack.pop()
        for child in node.named_children:
            if child.type in grammar["functions"] or child.type == "class_definition":
                continue
            if child.type in grammar["if"]:
                condition = child.child_by_field_name("condition")
                branch = child.child_by_field_name("consequence")
                if condition is not None and branch is not None:
                    out.append((condition, branch))
            if child.named_child_count:
                stack.append(child)
    return out


def _grants(branch, grammar) -> bool:
    """The branch returns something other than a denial, or sets an admin/authenticated flag to true."""
    statements = branch.named_children if branch.type in ("block", "statement_block") else [branch]
    for statement in statements[:8]:
        if statement.type == "return_statement":
            values = [c for c in statement.named_children if c.type != "comment"]
            if not values:
                return False
            value = values[0]
            return value.type not in grammar["deny"] or (value.type in ("integer", "number") and value.text not in
                                                         (b"0", b"-1"))
        if statement.type in ("raise_statement", "throw_statement"):
            return False
        target = statement.named_children[0] if statement.type == "expression_statement" and \
            statement.named_children else statement
        if target.type in ("call", "call_expression") and _LOGS_IN.search(target.child_by_field_name("function").text):
            return True  # login_user(admin), django.contrib.auth.login(request, user), req.login(user)
        if target.type in ("assignment", "assignment_expression"):
            left = target.child_by_field_name("left")
            right = target.child_by_field_name("right")
            if left is not None and right is not None and right.type in grammar["true"] and \
                    _GRANTED.search(left.text.decode("utf-8", "replace")):
                return True
            if left is not None and right is not None and right.type not in ("none", "false", "null", "undefined") \
                    and _SIGNED_IN_AS.search(left.text):
                return True  # request.user = <a superuser>, session["user_id"] = 1: the request now runs as them
    return False


def _negated(test):
    """X of a test `!X` / `not X` (parentheses around either dropped), else None."""
    while test.type == "parenthesized_expression" and test.named_children:
        test = test.named_children[0]
    if test.type == "not_operator":
        return test.child_by_field_name("argument")
    if test.type == "unary_expression" and test.children and test.children[0].type == "!":
        return test.child_by_field_name("argument")
    return None


_DENIAL = re.compile(rb"\b(?:status|sendStatus|abort|send_error)\s*\(\s*40[13]\b|\b(?:Unauthorized|Forbidden|"
                     rb"PermissionDenied|AuthenticationFailed)\w*\s*\(")


def _denies(branch, grammar) -> bool:
    """The branch refuses: it throws or raises, returns a denial value, or answers 401/403."""
    statements = branch.named_children if branch.type in ("block", "statement_block") else [branch]
    for statement in statements[:4]:
        if statement.type in ("raise_statement", "throw_statement"):
            return True
        if statement.type == "return_statement":
            values = [c for c in statement.named_children if c.type != "comment"]
            return not values or values[0].type in grammar["deny"] or _DENIAL.search(values[0].text) is not None
        if _DENIAL.search(statement.text):
            return True
    return False


# constant-time equality helpers: hmac.compare_digest(a, b), secrets.compare_digest, crypto.timingSafeEqual,
# Django's constant_time_compare, Rails-style secure_compare
_EQ_CALLS = frozenset((b"compare_digest", b"timingSafeEqual", b"constant_time_compare", b"secure_compare",
                       b"safe_str_cmp", b"safeCompare", b"timingSafeCompare"))




def _equality_call(node) -> bool:
    if node.type not in ("call", "call_expression"):
        return False
    callee = node.child_by_field_name("function")
    arguments = node.child_by_field_name("arguments")
    if callee is None or arguments is None:
        return False
    name = callee.text.rsplit(b".", 1)[-1]
    return name in _EQ_CALLS and len(_sides(node)) == 2


def _sides(compare) -> list:
    """The two compared expressions of `a == b` or of `compare_digest(a, b)` (an argument's text-to-bytes
    wrapper taken off: `pw.encode()`, `bytes(pw, "utf-8")`, `Buffer.from(pw)`)."""
    if compare.type in ("call", "call_expression"):
        arguments = compare.child_by_field_name("arguments")
        return [_unwrapped(c) for c in arguments.named_children if c.type != "comment"] \
            if arguments is not None else []
    return [c for c in compare.named_children if c.type != "comment"]


def _unwrapped(node):
    if node.type not in ("call", "call_expression"):
        return node
    callee, arguments = node.child_by_field_name("function"), node.child_by_field_name("arguments")
    if callee is None or arguments is None:
        return node
    inner = [c for c in arguments.named_children if c.type != "comment"]
    if callee.type in ("attribute", "member_expression") and callee.text.endswith(b".encode"):
        target = callee.child_by_field_name("object")
        return target if target is not None else node
    if callee.text in (b"bytes", b"Buffer.from") and inner:
        return inner[0]
    return node


def _named_tests(function, grammar) -> dict:
    """name -> the expressions the function's body binds it to: `ok = pw == "..."` (an `if ok:` tests that
    comparison), `digest = sha256(pw.encode()).hexdigest()` (a compared `digest` is derived from the input)."""
    out: dict = {}
    body = function.child_by_field_name("body")
    stack = [body] if body is not None else []
    seen = 0
    while stack and seen < 4096:
        node = stack.pop()
        seen += 1
        for child in node.named_children:
            if child.type in grammar["functions"] or child.type == "class_definition":
                continue
            if child.type in ("assignment", "assignment_expression", "variable_declarator"):
                left = child.child_by_field_name("left") or child.child_by_field_name("name")
                right = child.child_by_field_name("right") or child.child_by_field_name("value")
                if left is not None and right is not None and left.type == "identifier":
                    out.setdefault(left.text, []).append(right)
            if child.named_child_count:
                stack.append(child)
    return out


def _comparisons(condition, grammar, named=None) -> list:
    out = []
    stack = [condition]
    followed = 0
    while stack and len(out) < 8:
        node = stack.pop()
        if node.type == "identifier" and named and node.text in named and followed < 8:
            followed += 1  # `if maintenance or ...:` with `maintenance = password == "..."` above
            stack.extend(r for r in named[node.text][:4]
                         if r.type in (grammar["compare"], *grammar["bool"]) or _equality_call(r))
            continue
        if _equality_call(node):
            out.append(node)
            continue
        if node.type == grammar["compare"]:
            operators = [c.type for c in node.children if not c.is_named]
            if len(operators) == 1 and operators[0] in grammar["eq"]:
                out.append(node)
                continue
            if len(operators) == 1 and operators[0] in ("&&", "||"):
                stack.extend(node.named_children)
                continue
        if node.type in grammar["bool"]:
            stack.extend(node.named_children)
    return out


def _facts(condition, values, grammar, function, named=None, dispatch=frozenset()) -> list[Call]:
    out = []
    for compare in _comparisons(condition, grammar, named):
        sides = _sides(compare)
        if len(sides) != 2 or sides[0].text in dispatch or sides[1].text in dispatch:
            continue
        left, right = values.ev(sides[0]), values.ev(sides[1])
        operator = "==" if _equality_call(compare) else next(c.type for c in compare.children if not c.is_named)
        constants = (_constants(right) or _set_literal(values, sides[1])) if operator == "in" else _text(right.const)
        pairs = [(left, sides[0], Value(c)) for c in constants]
        if operator != "in":
            pairs.extend((right, sides[1], Value(c)) for c in _text(left.const))
            if not pairs and grammar is _PY:  # `password == settings.SECRET_KEY[:12]`: the app's own key
                pairs = [(data, node, secret) for data, node, other in ((left, sides[0], sides[1]),
                                                                        (right, sides[1], sides[0]))
                         if (secret := app_secret(values, other)) is not None]
            if not pairs:  # `password == getattr(settings, "TOKEN", "c0ns0le-m41nt")`: the setting's default
                pairs = [(data, node, Value(UNKNOWN, _DEFAULTED, None, None, (), (), other.text))
                         for data, node, other in ((left, sides[0], right), (right, sides[1], left))
                         if _DEFAULTED <= other.labels and isinstance(other.text, str)]
        params = _parameters(function) | _REQUEST_GLOBALS  # Flask's request in a hook: hashed, it is still the input
        for data, node, constant in pairs:
            if data.known or not (any(lab.startswith("param:") or lab == "request" for lab in data.labels)
                                  or _mentions(node, params, named)):
                continue
            line = compare.start_point[0] + 1
            name = _name_of(function) or b"?"
            what = "a setting's hard-coded default" if _DEFAULTED <= constant.labels else \
                "the application's secret key" if constant.labels else "a constant"
            step = Step(line, f"{node.text.decode('utf-8', 'replace')[:40]} compared with {what} in "
                              f"{name.decode('utf-8', 'replace')}(), which then grants")
            tagged = Value(data.const, data.labels | {"auth-input"}, data.name, data.via, (*data.trace, step)[-6:])
            out.append(Call(callee="operator.eq", args=(tagged, constant), line=line,
                            end_line=compare.end_point[0] + 1, column=compare.start_point[1] + 1,
                            scope=function.start_byte))
    return out


def _parameters(function) -> frozenset:
    """The names of the function's parameters (not self/this/cls, not type annotations or defaults)."""
    params = function.child_by_field_name("parameters") or function.child_by_field_name("parameter")
    names = set()
    stack = [params] if params is not None else []
    while stack and len(names) < 32:
        node = stack.pop()
        if node.type in ("identifier", "shorthand_property_identifier_pattern"):
            names.add(node.text)
            continue
        for field in ("type", "value", "right"):
            skipped = node.child_by_field_name(field)
            if skipped is not None and node.type not in ("formal_parameters", "parameters"):
                stack.extend(c for c in node.named_children if c != skipped and c.type != "type_annotation")
                break
        else:
            stack.extend(c for c in node.named_children if c.type != "type_annotation")
    return frozenset(names - {b"self", b"cls", b"this"})


def _mentions(node, params: frozenset, named=None) -> bool:
    """Whether an expression reads one of the parameters (hashlib.sha256(password.encode()).hexdigest()),
    also through local names the function binds (`digest = sha256(pw.encode()).hexdigest()`, then `digest`)."""
    stack, seen, followed = [node], 0, set()
    while stack and seen < 64:
        current = stack.pop()
        seen += 1
        if current.type == "identifier":
            if current.text in params:
                return True
            if named and current.text in named and current.text not in followed and len(followed) < 8:
                followed.add(current.text)
                stack.extend(named[current.text][:4])
            continue
        stack.extend(current.named_children)
    return False


def _text(const) -> list[str]:
    """A compared constant as text: a str, or bytes (b"..." compared with pw.encode()) read as UTF-8."""
    if isinstance(const, str):
        return [const]
    if isinstance(const, bytes):
        return [const.decode("utf-8", "replace")]
    return []


def _constants(value: Value) -> list[str]:
    if isinstance(value.const, (tuple, list, set, frozenset)):
        return [c for c in value.const if isinstance(c, str)][:16]
    return []


MAX_MEMBERS = 16  # strings of a set literal a membership test is judged on


def _set_literal(values, node) -> list[str]:
    """The strings of a set a membership test reads (`x in {"a", "b"}`, a name bound once to one, or to
    frozenset({...}) / set([...]) of string literals): the evaluator keeps no sets as constants."""
    if node.type == "identifier":
        entries = values.scopes.entries(node)
        if not entries or len(entries) != 1 or entries[0][0] != "assign" or entries[0][1] is None:
            return []
        node = entries[0][1]
    if getattr(node, "type", None) == "call":
        fn, args = node.child_by_field_name("function"), node.child_by_field_name("arguments")
        inner = [c for c in args.named_children if c.type != "comment"] if args is not None else []
        if fn is None or fn.text not in (b"frozenset", b"set") or len(inner) != 1:
            return []
        node = inner[0]
    if getattr(node, "type", None) not in ("set", "list", "tuple"):
        return []
    out = []
    for child in node.named_children[:MAX_MEMBERS]:
        text = values.ev(child).const if child.type in ("string", "concatenated_string") else None
        if not isinstance(text, str):
            return []
        out.append(text)
    return out
