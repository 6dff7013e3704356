"""The page's secrets and the page's quiet ways out (browser JavaScript): the value of a form field a selector names as a
card number, security code, expiry or password is `form-secret` data; `img.src = url` of a `new Image()` (or of a
created img/script element) is a request to `url`, reported as a call of `Image().src` (a web skimmer's beacon)."""
from __future__ import annotations

import re

from ..facts import Call
from ..sources import FIELD

_SELECTORS = frozenset((b"querySelector", b"querySelectorAll", b"getElementById", b"getElementsByName",
                        b"getElementsByClassName", b"namedItem"))
SRC_SET = re.compile(rb"\.src\s*=(?!=)")
_BEACONS = frozenset(("Image()", "document.createElement()", "window.document.createElement()"))
FORM_SECRET = frozenset({"form-secret"})
MAX_SETS = 64


def field_labels(fn, arg_values) -> frozenset:
    """`form-secret` for `x.querySelector("[name=cardnumber]")` and the like: the element of a secret field."""
    if fn is None or fn.type != "member_expression" or not arg_values:
        return frozenset()
    prop = fn.child_by_field_name("property")
    selector = arg_values[0].const
    if prop is not None and prop.text == b"getItem" and fn.child_by_field_name("object").text.endswith(_STORAGES):
        # localStorage.getItem('access_token'): the page's session, as good as its cookie (also one of a constant list)
        keys = [selector] if isinstance(selector, str) else [c.const for c in arg_values[0].choices or ()]
        return FORM_SECRET if any(isinstance(k, str) and _STORED_SECRET.search(k) for k in keys) else frozenset()
    if prop is None or prop.text not in _SELECTORS or not isinstance(selector, str):
        return frozenset()
    return FORM_SECRET if FIELD.search(selector) else frozenset()


_STORAGES = (b"localStorage", b"sessionStorage")
_STORED_SECRET = re.compile(r"(?i)token|jwt|\bauth|session|secret|passw|api[_-]?key|credential")


def beacon_sets(values, source: bytes) -> list:
    """`new Image().src = url` (also through a variable): a GET of url the page makes without a trace on screen."""
    out = []
    for count, match in enumerate(SRC_SET.finditer(source)):
        if count >= MAX_SETS:
            break
        node = values.scopes.locate(match.start() + 1, match.start() + 4)
        member = node.parent if node is not None else None
        assign = member.parent if member is not None else None
        if member is None or member.type != "member_expression" or assign is None or \
                assign.type != "assignment_expression" or assign.child_by_field_name("left") != member:
            continue
        holder = values.ev(member.child_by_field_name("object"))
        if holder.name not in _BEACONS:
            continue
        url = values.ev(assign.child_by_field_name("right"))
        out.append(Call(callee="Image().src", args=(url,), line=assign.start_point[0] + 1,
                        end_line=assign.end_point[0] + 1, column=assign.start_point[1] + 1, scope=-1))
    return out


# markup written into the page: `el.innerHTML = html` (also +=, outerHTML) and React's `{ __html: html }`, reported as
# calls of `innerHTML` / `outerHTML` / `dangerouslySetInnerHTML` with the markup as their argument
HTML_SET = re.compile(rb"\.(?:inner|outer)HTML\s*\+?=(?!=)|\b__html['\"]?\s*:")
MAX_HTML_SETS = 256


def html_sets(values, source: bytes) -> list:
    out = []
    for count, match in enumerate(HTML_SET.finditer(source)):
        if count >= MAX_HTML_SETS:
            break
        if match.group().startswith(b"."):
            node = values.scopes.locate(match.start() + 1, match.start() + 6)
            member = node.parent if node is not None else None
            assign = member.parent if member is not None else None
            if member is None or member.type != "member_expression" or assign is None or \
                    assign.type not in ("assignment_expression", "augmented_assignment_expression") or \
                    assign.child_by_field_name("left") != member:
                continue
            callee = member.child_by_field_name("property").text.decode("ascii", "replace")
            right = assign.child_by_field_name("right")
        else:
            node = values.scopes.locate(match.start(), match.start() + 6)
            pair = node.parent if node is not None else None
            if pair is None or pair.type != "pair" or pair.child_by_field_name("key") != node:
                continue
            assign, callee, right = pair, "dangerouslySetInnerHTML", pair.child_by_field_name("value")
        if right is None:
            continue
        out.append(Call(callee=callee, args=(values.ev(right),), line=assign.start_point[0] + 1,
                        end_line=assign.end_point[0] + 1, column=assign.start_point[1] + 1, scope=-1))
    return out


# a MongoDB filter that runs JavaScript on the server, built apart from the query call (`const filter = { $where:
# 'this.price < ' + max }; Model.find(filter)`): the `$where` entry is read as a call of `mongodb.$where` on its own
# line (an object given straight to a call is that call's own argument, read there)
SERVER_JS_KEY = re.compile(rb"['\"]?\$(?:where|function|accumulator)['\"]?\s*:")
MAX_SERVER_JS = 32


def server_js_filters(values, source: bytes) -> list:
    out = []
    for count, match in enumerate(SERVER_JS_KEY.finditer(source)):
        if count >= MAX_SERVER_JS:
            break
        key = values.scopes.locate(match.start(), match.start() + 2)
        while key is not None and key.type not in ("property_identifier", "string"):
            key = key.parent if key.type in ("string_fragment",) else None
        pair = key.parent if key is not None else None
        if pair is None or pair.type != "pair" or pair.child_by_field_name("key") != key:
            continue
        holder = pair.parent
        while holder is not None and holder.type in ("object", "pair"):  # nested filters: { $and: [{ $where }] }
            holder = holder.parent
        if holder is not None and holder.type == "arguments":
            continue
        value = pair.child_by_field_name("value")
        if value is None:
            continue
        out.append(Call(callee="mongodb.$where", args=(values.ev(value),), line=pair.start_point[0] + 1,
                        end_line=pair.end_point[0] + 1, column=pair.start_point[1] + 1, scope=-1))
    return out


# Koa's response body set by assignment (`ctx.body = '<h1>' + q + '</h1>'`): served as text/html when it is markup,
# read as the `res.send` of that markup
KOA_BODY = re.compile(rb"\bctx\s*\.\s*(?:response\s*\.\s*)?body\s*=(?!=)")
MAX_KOA_BODIES = 64


def koa_bodies(values, source: bytes) -> list:
    out = []
    for count, match in enumerate(KOA_BODY.finditer(source)):
        if count >= MAX_KOA_BODIES:
            break
        node = values.scopes.locate(match.start(), match.start() + 3)
        assign = node
        while assign is not None and assign.type != "assignment_expression":
            assign = assign.parent if assign.type in ("identifier", "member_expression", "property_identifier") else None
        if assign is None:
            continue
        right = assign.child_by_field_name("right")
        value = values.ev(right) if right is not None else None
        text = value.text if value is not None and value.text is not None else (
            value.const if value is not None and isinstance(value.const, str) else "")
        if value is None or "<" not in text:
            continue  # an object or JSON body: not markup
        out.append(Call(callee="res.send", args=(value,), line=assign.start_point[0] + 1,
                        end_line=assign.end_point[0] + 1, column=assign.start_point[1] + 1, scope=-1))
    return out
