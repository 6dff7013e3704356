"""What a Flask / Quart / Bottle route function returns, as a call fact: a string it returns is the response body,
served as text/html, so request data returned inside markup is reflected XSS with no response call in sight
(`return f"<p>{request.args['q']}</p>"`). FastAPI is left out: a returned string is sent as JSON."""
from __future__ import annotations

import re

from ..facts import Call
from .python_functions import _returns, _route_text

ROUTE_RETURN = "web.route_return"  # the pseudo-callee xss-from-request-input names
MAX_ROUTES = 64
# a route decorator line of the frameworks whose returned strings are HTML bodies
_DECORATOR = re.compile(rb"(?m)^[ \t]*@[\w.]*\b(?:route|get|post|put|patch|delete)\s*\(")
_FRAMEWORKS = (b"flask", b"quart", b"bottle")
_STRING_BUILT = re.compile(r"(?:^|\.)(?:format|format_map|join|replace|strip|lower|upper)\(\)$")
# responses built by a call the rule already reads as a sink, or bodies that are not the returned string
_BUILT = frozenset((b"make_response", b"Response", b"render_template_string", b"render_template", b"jsonify",
                    b"redirect", b"send_file", b"send_from_directory", b"Markup", b"abort"))


def route_returns(source: bytes, root, values, wanted) -> list[Call]:
    """One `web.route_return(value)` fact per value-returning `return` of each route function of the file."""
    if not wanted(ROUTE_RETURN) or b"fastapi" in source or not any(f in source for f in _FRAMEWORKS):
        return []
    out: list[Call] = []
    seen: set[int] = set()
    for match in _DECORATOR.finditer(source):
        if len(seen) >= MAX_ROUTES:
            break
        at = source.find(b"def ", match.end())
        if at < 0 or at - match.end() > 400:
            continue
        function = root.named_descendant_for_byte_range(at, at + 3)
        while function is not None and function.type != "function_definition":
            function = function.parent
        if function is None or function.start_byte in seen or _route_text(function) is None:
            continue
        seen.add(function.start_byte)
        for ret in _returns(function.child_by_field_name("body")):
            if ret.type != "return_statement" or not ret.named_children:
                continue
            body = ret.named_children[0]
            if body.type in ("tuple", "expression_list") and body.named_children:
                body = body.named_children[0]  # return html, 200, {...}: the body comes first
            if body.type == "call" and _called(body) in _BUILT:
                continue
            if body.type in ("string", "concatenated_string", "binary_operator", "call", "identifier",
                             "parenthesized_expression", "subscript"):
                value = values.ev(body)
                if value.name and value.name.endswith("()") and not _STRING_BUILT.search(value.name):
                    continue  # template("<b>{{name}}</b>", name=q): what a named function made (it may escape)
                out.append(Call.at(ret, ROUTE_RETURN, (value,)))
    return out


def _called(call) -> bytes:
    fn = call.child_by_field_name("function")
    return fn.text.rsplit(b".", 1)[-1] if fn is not None else b""
