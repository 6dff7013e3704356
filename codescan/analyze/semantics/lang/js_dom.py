"""The page's secrets and the page's quiet ways out (browser JavaScript): the value of a form field a selector names as a
card number, security code, expiry or password is `form-secret` data; `img.src = url` of a `new Image()` (or of a
created img/script element) is a request to `url`, reported as a call of `Image().src` (a web skimmer's beacon);
markup written into the page (`el.innerHTML = html`, React's `{ __html: html }`) is a call of that property."""
from __future__ import annotations

import re
from itertools import islice

from ..facts import Call
from ..skeleton import HOLE
from ..text_labels import FIELD, FIELD_ONLY

_SELECTORS = frozenset((b"querySelector", b"querySelectorAll", b"getElementById", b"getElementsByName",
                        b"getElementsByClassName", b"namedItem"))
SRC_SET = re.compile(rb"\.src\s*=(?!=)")
_BEACONS = frozenset(("Image()", "window.Image()", "globalThis.Image()", "self.Image()", "document.createElement()",
                      "window.document.createElement()"))
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
    if prop is None or prop.text not in _SELECTORS:
        return frozenset()
    # a selector that is one of a few texts (`'[name="' + n + '"]'` for each n of a constant list): any of them
    selectors = [selector] if isinstance(selector, str) else [c.const for c in arg_values[0].choices[:16]]
    if any(isinstance(s, str) and FIELD.search(s) for s in selectors):
        return FORM_SECRET
    return _named_by_caller(arg_values[0]) if not selectors else frozenset()


# a selector built around one unknown part in a name, id or attribute-value place: `[name="` + n + `"]`, `#` + id
_FIELD_HOLE = re.compile("^\\s*(?:(?:input|select|textarea)?\\[(?:name|id|autocomplete|data-[\\w-]+)\\s*[*^$|~]?=\\s*['\"]?"
                         + HOLE + "['\"]?\\s*\\]|#" + HOLE + ")\\s*$")


def _named_by_caller(selector) -> frozenset:
    """`param:<def>:<i>:field` for a selector a helper builds around its parameter (`'[name="' + name + '"]'`): the
    field is the one each caller names (text_labels.field_part at the call site)."""
    if not isinstance(selector.text, str) or not _FIELD_HOLE.match(selector.text):
        return frozenset()
    return frozenset(lab + FIELD_ONLY for lab in selector.labels if lab.startswith("param:") and lab.count(":") == 2)


def typed_password(node, name: str) -> frozenset:
    """`form-secret` for `el.value` in a function that tests `el.type` against 'password' (an event's target narrowed
    to a password field: `if (el.type !== 'password') return;`)."""
    around = node.parent
    while around is not None and around.type not in _FUNCTIONS:
        around = around.parent
    text = around.text[:MAX_FUNCTION] if around is not None else b""
    if b"password" not in text:
        return frozenset()
    test = re.compile(re.escape(name.encode()) + rb"\.type\s*[!=]==?\s*['\"`]password['\"`]")
    return FORM_SECRET if test.search(text) else frozenset()


_FUNCTIONS = frozenset(("function_declaration", "function_expression", "arrow_function", "method_definition", "function"))
MAX_FUNCTION = 4000
_STORAGES = (b"localStorage", b"sessionStorage")
_STORED_SECRET = re.compile(r"(?i)token|jwt|\bauth|session|secret|passw|api[_-]?key|credential")


def beacon_sets(values, source: bytes) -> list:
    """`new Image().src = url` (also through a variable): a GET of url the page makes without a trace on screen."""
    out = []
    for member, assign in _member_sets(values, source, SRC_SET, 3):
        holder = values.ev(member.child_by_field_name("object"))
        if holder.name not in _BEACONS:
            continue
        url = values.ev(assign.child_by_field_name("right"))
        out.append(Call.at(assign, "Image().src", (url,)))
    return out


# markup written into the page: `el.innerHTML = html` (also +=, outerHTML) and React's `{ __html: html }`, reported as
# calls of `innerHTML` / `outerHTML` / `dangerouslySetInnerHTML` with the markup as their argument
HTML_SET = re.compile(rb"\.(?:inner|outer)HTML\s*\+?=(?!=)|\b__html['\"]?\s*:")
MAX_HTML_SETS = 256


def html_sets(values, source: bytes) -> list:
    out = []
    for match in islice(HTML_SET.finditer(source), MAX_HTML_SETS):
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
        out.append(Call.at(assign, callee, (values.ev(right),)))
    return out


# the text of a <script> element the code made: `s.textContent = code; document.head.appendChild(s)` runs code as the
# page's own script, reported as a call of `eval` with that code (fetched, decoded: the eval rules decide)
SCRIPT_TEXT = re.compile(rb"\.(?:textContent|text|innerText|innerHTML)\s*=(?!=)")
_MADE_SCRIPT = re.compile(rb"createElement\(\s*['\"`]script['\"`]\s*\)")


def script_texts(values, source: bytes) -> list:
    out = []
    for member, assign in _member_sets(values, source, SCRIPT_TEXT, 1):
        holder = member.child_by_field_name("object")
        if holder.type != "identifier" or not any(
                kind == "assign" and getattr(what, "text", None) is not None and _MADE_SCRIPT.search(what.text)
                for kind, what, _scope in values.scopes.bindings(holder)[:4]):
            continue
        out.append(Call.at(assign, "eval", (values.ev(assign.child_by_field_name("right")),)))
    return out


def _member_sets(values, source: bytes, regex, width: int):
    """(member, assignment) for each `obj.prop = value` the regex finds (its match starts at the dot; `width`
    characters of the property name locate it), at most MAX_SETS of them."""
    for match in islice(regex.finditer(source), MAX_SETS):
        node = values.scopes.locate(match.start() + 1, match.start() + 1 + width)
        member = node.parent if node is not None else None
        assign = member.parent if member is not None else None
        if member is None or member.type != "member_expression" or assign is None or \
                assign.type != "assignment_expression" or assign.child_by_field_name("left") != member:
            continue
        yield member, assign
