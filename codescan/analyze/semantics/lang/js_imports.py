"""`import()` of code held in a URL: `import("data:text/javascript," + encodeURIComponent(code))` and
`import(URL.createObjectURL(new Blob([code])))` run `code` as a module, as eval would. The adapter reports them as a
call of `eval` with that code, so every rule about evaluated code (fetched, decoded, built) applies."""
from __future__ import annotations

import re
from itertools import islice

from ..facts import Call, Value, merge
from .js_calls import arguments

IMPORT_CALL = re.compile(rb"(?<![\w$.])import\s*\(")
DATA_CODE = re.compile(r"(?is)^\s*data:\s*(?:text|application)/(?:x-)?(?:java|ecma)script\b[^,]*,")
BLOB_MAKERS = ("URL.createObjectURL", "window.URL.createObjectURL", "self.URL.createObjectURL",
               "globalThis.URL.createObjectURL", "webkitURL.createObjectURL")
# URL escaping undone when the data: URL is read: what it wraps is the module's text
_UNESCAPE = (b"encodeURIComponent", b"encodeURI", b"escape")
MAX_IMPORTS = 64
_LOADED = frozenset({"downloaded", "verified-download", "request"})


def url_code_calls(values, source: bytes, deadline=None, loaded: bool = False) -> list:
    """The eval calls import() of data:/blob: URLs amount to; with `loaded`, also each import() of a file written
    with downloaded data (`import(pathToFileURL(tmp).href)` after `writeFile(tmp, await res.text())`) or named by
    request data (`import(req.query.plugin)`), as `import`."""
    out = []
    for match in islice(IMPORT_CALL.finditer(source), MAX_IMPORTS):
        node = values.scopes.locate(match.start(), match.start() + len("import"))
        call = node.parent if node is not None else None
        if node is None or node.type != "import" or call is None or call.type != "call_expression":
            continue
        args = arguments(call)
        code = _code(values, args[0]) if args else None
        line = call.start_point[0] + 1
        if code is None and loaded and args:
            module = values.ev(args[0])
            if module.labels & _LOADED:  # a file just downloaded, or the module a client names (import(req.query.m))
                out.append(Call(callee="import", args=(module.with_step(line, "loaded as a module by import()"),),
                                line=line, end_line=call.end_point[0] + 1, column=call.start_point[1] + 1, scope=-1))
            continue
        if code is None or not code.labels:
            continue
        code = code.with_step(line, "run as a module by import() of a data:/blob: URL")
        out.append(Call(callee="eval", args=(code,), line=line, end_line=call.end_point[0] + 1,
                        column=call.start_point[1] + 1, scope=-1))
    return out


def _code(values, node, depth: int = 0) -> Value | None:
    """The code a data:/blob: URL expression carries (its labels), or None when it is not one. A name bound once
    (`const url = "data:text/javascript;base64," + b64; await import(url)`) is read through its value."""
    if node.type == "identifier" and depth < 3:
        entries = values.scopes.bindings(node)
        if len(entries) == 1 and entries[0][0] == "assign" and entries[0][1].start_byte < node.start_byte:
            return _code(values, entries[0][1], depth + 1)
    value = values.ev(node)
    if value.name and value.name.rstrip("()") in BLOB_MAKERS:  # a blob: URL of the Blob the call was given
        return value
    parts = _operands(node)
    if not parts or parts[0].type not in ("string", "template_string"):
        return None
    head = values.ev(parts[0])
    text = head.const if isinstance(head.const, str) else (value.text or "")
    if parts[0].type == "template_string":
        text = value.text or ""
    if not DATA_CODE.match(text):
        return None
    rest = parts[1:] if parts[0].type == "string" else [parts[0]]
    code = merge(_unescaped(values, p) for p in rest)
    if ";base64" in DATA_CODE.match(text).group(0).lower():  # the module's text is the base64 of what was put in
        code = Value(code.const, code.labels | {"decoded"}, None, None, code.trace)
    return code


def _operands(node) -> list:
    """The operands of a `+` chain, left to right (a template literal is one operand)."""
    if node.type == "binary_expression" and node.child_by_field_name("operator").type == "+":
        return _operands(node.child_by_field_name("left")) + _operands(node.child_by_field_name("right"))
    if node.type == "parenthesized_expression" and node.named_children:
        return _operands(node.named_children[0])
    return [node]


def _unescaped(values, node) -> Value:
    if node.type == "call_expression":
        fn = node.child_by_field_name("function")
        if fn is not None and fn.text in _UNESCAPE:
            return merge(values.ev(a) for a in arguments(node))
    if node.type == "template_string":
        return merge(_unescaped(values, c.named_children[0]) for c in node.named_children
                     if c.type == "template_substitution" and c.named_children)
    return values.ev(node)


# a worker started from a data:/blob: URL runs the code it holds, as import() of it does
WORKER_NEW = re.compile(rb"\bnew\s+(?:Shared)?Worker\s*\(")


def worker_code_calls(values, source: bytes) -> list:
    """`new Worker(URL.createObjectURL(new Blob([code])))`: an eval of `code` in a worker."""
    out = []
    for match in islice(WORKER_NEW.finditer(source), MAX_IMPORTS):
        node = values.scopes.locate(match.start() + 4, match.start() + 5)
        call = node
        while call is not None and call.type != "new_expression":
            call = call.parent
        if call is None or call.start_byte != match.start():
            continue
        args = arguments(call)
        code = _code(values, args[0]) if args else None
        if code is None or not code.labels:
            continue
        line = call.start_point[0] + 1
        out.append(Call(callee="eval", args=(code.with_step(line, "run by a worker started from a data:/blob: URL"),),
                        line=line, end_line=call.end_point[0] + 1, column=call.start_point[1] + 1, scope=-1))
    return out
