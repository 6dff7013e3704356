"""Same-file function summaries: what a call of a function defined in the file returns (its return statements with
the call's arguments put in for its parameters, folded with constant arguments), and `<def:N>` names."""
from __future__ import annotations

import re

from ..constants import UNKNOWN, NotConstant, evaluate
from ..facts import Value, merge
from ..text_labels import FIELD_ONLY, constant_labels, field_part
from ..host_data import HOST_ONLY, host_part
from .python_client_data import CLIENT_ONLY, client_part, param_index
from .python_stored import STORED_PARAM, stored_part

def _summary(values, node, callee: Value, args, keywords, line: int) -> Value:
    """Apply a same-file function's summary: its return value with each `param:<def>:<i>` label
    replaced by the labels of the argument passed at this call site."""
    function = values.defs.get(def_start(callee.name))
    arg_values = [values.ev(a) for a in args]
    fn = node.child_by_field_name("function")
    if function is not None and fn.type == "attribute" and _is_method(function):
        arg_values = [values.ev(fn.child_by_field_name("object")), *arg_values]
    if function is None:
        return merge(arg_values)
    if not keywords:  # _ops["pick"](_ops["load"]("subprocess"), "run"): a getattr/import_module wrapper
        from .python_reflect_wrappers import through_wrapper
        named = through_wrapper(values, function, arg_values)
        if named is not None:
            return named
    if keywords and function.type == "function_definition":  # wrap(data=x): x fills the parameter `data`
        from .python_param_calls import by_keyword
        arg_values = by_keyword(values, function, arg_values, keywords)
    bound = arg_values
    if function.type == "function_definition":  # build(**os.environ) into def build(**kw): kw holds its data
        from .python_param_calls import with_splat_params
        bound = with_splat_params(values, node, function, arg_values, keywords)
    returned = substitute(values.returns(function), function.start_byte, bound, line)
    if returned.known or (returned.name and not returned.name.endswith("()")):
        return returned  # a constant, or a function or module the helper hands back (an alias)
    folded = fold_return(values, function, arg_values, {k: values.ev(v) for k, v in keywords})
    if folded is UNKNOWN:
        return returned
    return Value(folded, returned.labels | constant_labels(folded), None, None, returned.trace)


MAX_FOLDED_FUNCTION = 4_000  # bytes of a same-file function whose return is folded with constant arguments


def fold_return(values, function, arg_values: list, keywords: dict):
    """The constant a small same-file function or lambda returns for constant arguments (parameters bound to
    what the call site passes, else their defaults): `f = lambda a, b: a + b; f("sys", "tem")`."""
    if function.end_byte - function.start_byte > MAX_FOLDED_FUNCTION:
        return UNKNOWN
    body = function.child_by_field_name("body")
    if function.type == "lambda":
        expression = body
    else:
        from .python_functions import _returns
        found = _returns(body, 2) if body is not None else []
        expression = found[0].named_children[0] if len(found) == 1 and found[0].named_children else None
    if expression is None and function.type == "lambda":
        return UNKNOWN
    bound = bound_locals(values, function, arg_values, keywords)
    if bound is None:
        return UNKNOWN
    local, splat = bound
    if expression is not None and not _rebinds(values, expression, local, splat):
        try:
            return evaluate(expression, values, local)
        except NotConstant:
            pass
    if function.type != "function_definition":
        return UNKNOWN
    # `s = ""; for c in codes: s += chr(c); return s`: the body run statement by statement on the constants
    from .python_interpret import run_body
    return run_body(values, function, local)


def bound_locals(values, function, arg_values: list, keywords: dict) -> tuple[dict, str | None] | None:
    """The constants a call binds to a same-file function's parameters (what the site passes, else the defaults;
    `*parts` the remaining positional arguments as a tuple) and the splat's name; None when nothing is constant."""
    params = function.child_by_field_name("parameters")
    local, splat = {}, None
    for i, param in enumerate(c for c in (params.named_children if params is not None else ()) if c.type != "comment"):
        if param.type == "list_splat_pattern" and param.named_children:  # *parts: the remaining positional arguments
            rest = arg_values[i:]
            if not all(v is not None and v.known for v in rest):
                return None
            splat = param.named_children[0].text.decode("utf-8", "replace")
            local[splat] = tuple(v.const for v in rest)
            continue
        name, default = _parameter_parts(param)
        if name is None:
            return None
        given = arg_values[i] if i < len(arg_values) else keywords.get(name)
        if given is None and default is not None:
            given = values.ev(default)
        if given is not None and given.known:
            local[name] = given.const
    if not local:
        return None
    return local, splat


def _parameter_parts(param):
    """(name, default node) of one parameter; (None, None) for *args/**kwargs and other forms."""
    if param.type == "identifier":
        return param.text.decode("utf-8", "replace"), None
    if param.type in ("default_parameter", "typed_default_parameter"):
        name = param.child_by_field_name("name")
        return (name.text.decode("utf-8", "replace") if name is not None else None), param.child_by_field_name("value")
    if param.type == "typed_parameter" and param.named_children and param.named_children[0].type == "identifier":
        return param.named_children[0].text.decode("utf-8", "replace"), None
    return None, None


def _rebinds(values, expression, local: dict, splat: str | None = None) -> bool:
    """Whether a parameter used in `expression` is bound again in its function (then its value is not the argument).
    The scope index files a `*parts` parameter as one binding of kind "other": more than that one is a rebinding."""
    stack = [expression]
    while stack:
        node = stack.pop()
        if node.type == "identifier" and node.text.decode("utf-8", "replace") in local:
            entries = values.scopes.entries(node)
            if node.text.decode("utf-8", "replace") == splat:
                if len(entries) > 1:
                    return True
            elif entries and any(kind != "param" for kind, _what in entries):
                return True
        stack.extend(node.named_children)
    return False


def _is_method(function) -> bool:
    parent = function.parent
    if parent is not None and parent.type == "decorated_definition":
        parent = parent.parent
    return parent is not None and parent.type == "block" and parent.parent is not None \
        and parent.parent.type == "class_definition"


_CHECKED = frozenset({"param-checked"})  # a parameter tested and stopped on in its function (python_values)
_ARRIVES = frozenset({"checked"})


def substitute(value: Value, def_start: int, arg_values: list, line: int) -> Value:
    """`value` with the parameter labels of function `def_start` replaced by the arguments' data."""
    prefix = f"param:{def_start}:"
    # in parameter order: the labels are a set, and its order (the hash seed's) would order the trace's steps
    used = sorted((lab for lab in value.labels if lab.startswith(prefix)), key=lambda lab: param_index(lab, prefix))
    if not used:
        return value
    checked = _CHECKED & value.labels  # the function checked the parameter and stops on bad input (python_guards)
    if len(used) == 1 and value.labels - checked == frozenset(used) and value.name and value.name.isidentifier() and \
            not used[0].endswith((CLIENT_ONLY, HOST_ONLY, FIELD_ONLY, STORED_PARAM)):
        index = param_index(used[0], prefix)  # the bare parameter reaches here: it is the argument itself
        if 0 <= index < len(arg_values):
            given = arg_values[index]
            return Value(given.const, given.labels | _ARRIVES if checked and "request" in given.labels else
                         given.labels, given.name, given.via, given.trace, given.choices, given.text).with_step(
                line, "passed through a function defined in this file")
    offset = 0
    labels = set(value.labels) - set(used)
    parts = []
    for lab in used:
        index = param_index(lab, prefix) - offset
        if 0 <= index < len(arg_values):
            given = arg_values[index]
            parts.append(client_part(given) if lab.endswith(CLIENT_ONLY) else host_part(given) if
                         lab.endswith(HOST_ONLY) else field_part(given) if lab.endswith(FIELD_ONLY) else
                         stored_part(given) if lab.endswith(STORED_PARAM) else given)
    joined = merge(parts)
    labels |= joined.labels
    if checked:  # checked in the function: the request data passed arrives checked
        labels -= checked
        labels |= _ARRIVES if "request" in joined.labels else frozenset()
    if (value.name and value.name.endswith(".__doc__") or "param-doc" in value.labels) and \
            any((c.name or "").startswith(("<def:", "<class:")) for p in parts for c in (p, *p.choices)):
        # (`for t in (build, clean): run_doc(t)`: the loop variable is one of this file's functions)
        labels.add("own-source")  # run_doc(hidden) where run_doc reads fn.__doc__: this file's own docstring
        labels.discard("param-doc")  # (also when it cuts a section out of it: inspect.getdoc(fn).split(...))
    trace = joined.trace + tuple(s for s in value.trace if s not in joined.trace)
    # (the text's constant parts stay: `"https://x/p.gif?d=" + JSON.stringify(data)` still goes to https://x)
    out = Value(value.const if not parts or _argv_kept(value.const) else UNKNOWN, frozenset(labels), value.name,
                value.via, trace, (), value.text)
    return out.with_step(line, "passed through a function defined in this file")


def _argv_kept(const) -> bool:
    """A list or tuple with a known first word and the parameters' places unknown: ["grep", "--", pattern, LOG] stays
    that list at the call site (the argument fills an unknown item; the known words are the same at every call).
    So does a dict of options with the parameters' entries unknown ({"port": settings.PORT, "host": "0.0.0.0"}):
    its constant entries are the same at every call."""
    if isinstance(const, dict):
        return bool(const) and any(item is UNKNOWN for item in const.values()) and \
            all(isinstance(key, str) for key in const)
    return isinstance(const, (list, tuple)) and bool(const) and isinstance(const[0], str) and \
        any(item is UNKNOWN for item in const)


_DEF = re.compile(r"<def:(\d+)>\Z")


def def_start(name: str | None) -> int | None:
    """The start byte of the same-file function a name `<def:N>` stands for."""
    match = _DEF.match(name) if name else None
    return int(match.group(1)) if match else None


def short(name: str) -> str:
    return name[len("builtins."):] if name.startswith("builtins.") else name
