"""What a callback's parameter receives from the same-file function it is handed to: `download(url, dest, (err, file) =>
start(file))` where `download(url, dest, cb)` ends with `cb(null, dest)` gives `file` what the caller's `dest` holds,
plus what the helper did to it on the way (the download it wrote there). One helper deep, the helper's own parameters
replaced by the caller's arguments (the node-style callback convention, and `fetchText(url, text => eval(text))`)."""
from __future__ import annotations

from ..facts import Value, merge
from .js_calls import arguments
from .python_summaries import substitute

MAX_CALLS = 8  # calls of the callback parameter read inside the helper
_LITERALS = ("arrow_function", "function_expression", "function")


def helper_callback_input(values, function, index: int) -> Value | None:
    """The value parameter `index` of `function` (a function literal given to a same-file function) receives."""
    if function is None or function.type not in _LITERALS or getattr(values, "_in_callback", False):
        return None
    holder = function.parent
    call = holder.parent if holder is not None and holder.type == "arguments" else None
    fn = call.child_by_field_name("function") if call is not None and call.type == "call_expression" else None
    if fn is None or fn.type != "identifier":
        return None
    target = values.ev(fn).name or ""
    helper = values.defs.get(int(target[5:-1])) if target.startswith("<def:") else None
    params = helper.child_by_field_name("parameters") if helper is not None else None
    given = arguments(call)
    listed = [c for c in params.named_children if c.type != "comment"] if params is not None else []
    position = given.index(function) if function in given else -1
    if not 0 <= position < len(listed) or listed[position].type != "identifier":
        return None
    name = listed[position].text.decode("utf-8", "replace")
    values.scopes.index(name)
    values._in_callback = True
    try:
        passed = []
        for use in values.scopes.uses.get(name, ())[:64]:
            site = use.parent
            if not helper.start_byte <= use.start_byte < helper.end_byte or site is None or \
                    site.type != "call_expression" or site.child_by_field_name("function") != use:
                continue
            args = arguments(site)
            if index < len(args):
                passed.append(values.ev(args[index]))
            if len(passed) >= MAX_CALLS:
                break
        if not any(v.labels for v in passed):
            return None
        line = call.start_point[0] + 1
        caller = [values.ev(a) for a in given]
        data = merge([substitute(v, helper.start_byte, caller, line) for v in passed if v.labels])
    finally:
        values._in_callback = False
    helper_name = fn.text.decode("utf-8", "replace")
    return data.with_step(line, f"given to the callback by {helper_name}(...)") if data.labels else None
