"""A same-file function or lambda that calls one of its parameters (`def run(fn, *a): fn(*a)`), its arguments mapped
from a call site's, and the Launch record every launcher resolution gives (the function run and its argument Values)."""
from __future__ import annotations

from ..facts import Value, merge
from .python_calls import arguments
from .python_summaries import substitute


class Launch:
    """One launcher call resolved: `name` the function run, its Values of arguments and keywords."""

    __slots__ = ("name", "via", "fn_node", "args", "kwargs", "kwlines", "note")

    def __init__(self, name, via, fn_node, args, kwargs, kwlines, note):
        self.name, self.via, self.fn_node = name, via, fn_node
        self.args, self.kwargs, self.kwlines, self.note = args, kwargs, kwlines, note




def params_of(function) -> list:
    params = function.child_by_field_name("parameters")
    return [p for p in (params.named_children if params is not None else ()) if p.type != "comment"]


def param_name(param) -> tuple[str | None, str]:
    """(name, kind) of a parameter: kind is "plain", "star" (*args) or "kw" (**kwargs)."""
    if param.type == "identifier":
        return param.text.decode("utf-8", "replace"), "plain"
    if param.type == "list_splat_pattern" and param.named_children:
        return param.named_children[0].text.decode("utf-8", "replace"), "star"
    if param.type == "dictionary_splat_pattern" and param.named_children:
        return param.named_children[0].text.decode("utf-8", "replace"), "kw"
    name = param.child_by_field_name("name")
    if name is None and param.named_children and param.named_children[0].type == "identifier":
        name = param.named_children[0]
    return (name.text.decode("utf-8", "replace") if name is not None else None), "plain"


def by_keyword(values, function, arg_values: list, keywords) -> list:
    """Positional argument Values of a call of `function` with its keyword arguments put at their parameters."""
    names = [param_name(p)[0] for p in params_of(function)]
    out = list(arg_values)
    for key, node in keywords:
        if key in names:
            i = names.index(key)
            if i >= len(out):
                out += [Value()] * (i + 1 - len(out))
            out[i] = values.ev(node)
    return out


def with_defaults(values, function, arg_values: list, keywords) -> list:
    """A call's argument Values with each parameter the call leaves out given its default
    (`def post(url, check=False)` called as `post(u)`: `check` is False there)."""
    params = params_of(function)
    if len(arg_values) >= len(params) or not any(p.type in _DEFAULTED for p in params[len(arg_values):]):
        return arg_values
    given = {k for k, _v in keywords}
    out = list(arg_values)
    for i in range(len(arg_values), len(params)):
        param = params[i]
        if param.type not in _DEFAULTED:
            break  # `*args` / `**kw` / a keyword-only marker: what follows is not filled by position
        name, _kind = param_name(param)
        default = param.child_by_field_name("value")
        out.append(Value() if name in given or default is None else values.ev(default))
    return out


_DEFAULTED = frozenset(("default_parameter", "typed_default_parameter"))


def with_splat_params(values, site, function, arg_values: list, keywords) -> list:
    """`def send(*parts, **kw)` called as `send(a, b, x=1, **os.environ)`: the `*parts` parameter holds the
    positional arguments from its place on (and `*seq` spread there), `**kw` the keywords no other parameter takes
    (and `**mapping` spread there); the other parameters keep what `arg_values` gave them."""
    params = [param_name(p) for p in params_of(function)]
    kinds = [kind for _n, kind in params]
    if "star" not in kinds and "kw" not in kinds:
        return arg_values
    args_node = site.child_by_field_name("arguments")
    spread = [c for c in (args_node.named_children if args_node is not None else ())
              if c.type in ("list_splat", "dictionary_splat") and c.named_children]
    out = list(arg_values)
    named = {n for n, kind in params if kind == "plain"}
    for i, (_name, kind) in enumerate(params):
        if kind == "star":
            held = out[i:] + [values.ev(c.named_children[0]) for c in spread if c.type == "list_splat"]
        elif kind == "kw":
            held = [values.ev(v) for k, v in keywords if k not in named] + \
                [values.ev(c.named_children[0]) for c in spread if c.type == "dictionary_splat"]
        else:
            continue
        if i >= len(out):
            out += [Value()] * (i + 1 - len(out))
        out[i] = merge(held) if held else Value()
    return out


MAX_HELPER = 6_000  # bytes of a same-file function searched for calls of its parameters


def through_parameter(values, site, arg_node, function, ev, method: bool) -> list[tuple]:
    """`def run(fn, *a, **k): fn(*a, **k)` called as `run(os.system, cmd)`: (inner call, Launch) for each call
    of the parameter that received `arg_node`, its arguments mapped from the site's."""
    if function.type not in ("function_definition", "lambda") or function.end_byte - function.start_byte > MAX_HELPER:
        return []
    args, keywords = arguments(site)
    params = params_of(function)
    offset = 1 if method else 0
    if arg_node in args:
        index = args.index(arg_node) + offset
    else:
        index = next((i for i, p in enumerate(params) for k, v in keywords
                      if v == arg_node and param_name(p)[0] == k), None)
    if index is None or index >= len(params):
        return []
    pname, kind = param_name(params[index])
    if pname is None or kind != "plain":
        return []
    site_values = [Value()] * offset + [ev(a) for a in args]
    site_kw = {k: ev(v) for k, v in keywords}
    names = [param_name(p) for p in params]
    for i, (n, k) in enumerate(names):
        if k == "plain" and i >= len(site_values) and n in site_kw:
            site_values = site_values + [Value()] * (i - len(site_values)) + [site_kw[n]]
    line = site.start_point[0] + 1
    start = function.start_byte
    out = []
    body = function.child_by_field_name("body")
    stack = [body] if body is not None else []
    while stack and len(out) < 4:
        node = stack.pop()
        if node.type in ("function_definition", "lambda", "class_definition"):
            continue
        if node.type == "call":
            fn = node.child_by_field_name("function")
            if fn.type == "identifier" and fn.text.decode("utf-8", "replace") == pname:
                out.append((node, _inner_launch(values, node, names, site_values, site_kw, start, line, ev)))
        stack.extend(node.named_children)
    return out


def _inner_launch(values, inner, names, site_values, site_kw, start, line, ev) -> Launch:
    args, keywords = arguments(inner)
    plain = [n for n, k in names if k == "plain"]
    pos, kws, lines = [], [], []

    def mapped(node):
        if node.type == "identifier":
            text = node.text.decode("utf-8", "replace")
            if text in plain:
                i = [n for n, _k in names].index(text)
                return site_values[i] if i < len(site_values) else site_kw.get(text, Value())
        return substitute(ev(node), start, site_values, line)

    for a in args:
        if a.type == "list_splat" and a.named_children and a.named_children[0].type == "identifier":
            text = a.named_children[0].text.decode("utf-8", "replace")
            star = next((i for i, (n, k) in enumerate(names) if k == "star" and n == text), None)
            if star is not None:
                pos.extend(site_values[star:])
                continue
        pos.append(mapped(a))
    for k, v in keywords:
        kws.append((k, mapped(v)))
        lines.append(v.start_point[0] + 1)
    for child in (inner.child_by_field_name("arguments").named_children if inner.child_by_field_name("arguments")
                  else ()):
        if child.type == "dictionary_splat" and child.named_children:
            text = child.named_children[0].text.decode("utf-8", "replace")
            if any(k == "kw" and n == text for n, k in names):
                given = {n for n, _k in names}
                for key, value in site_kw.items():
                    if key not in given:
                        kws.append((key, value))
                        lines.append(line)
    return Launch(None, None, None, pos, kws, lines, f"called through a parameter of a function defined here "
                                                     f"(given at line {line})")
