"""What a call site gives the parameters of a function defined in the same file, where the written arguments are not
one value per parameter: a tagged template (`sh\`df ${dir}\`` calls sh(strings, ...values): the literal pieces as one
constant list, then each substitution) and a rest parameter (`function run(cmd, ...args)`: args holds every
argument from its place on, as one list)."""
from __future__ import annotations

from ..constants import UNKNOWN
from ..facts import Value, merge


def tagged_values(values, template) -> list:
    """The arguments a tag function receives: the template's literal pieces (a constant list: what the template's
    author wrote), then the value of each `${...}` substitution (data the tag itself decides what to do with)."""
    pieces, substituted, current = [], [], []
    for child in template.named_children:
        if child.type == "template_substitution":
            pieces.append("".join(current))
            current = []
            inner = [c for c in child.named_children if c.type != "comment"]
            substituted.append(values.ev(inner[0]) if inner else Value())
        else:
            current.append(child.text.decode("utf-8", "replace"))
    pieces.append("".join(current))
    return [Value(pieces), *substituted]


def rest_at(function) -> int:
    """The position of the function's rest parameter (`...args`, TypeScript `...args: string[]`), -1 when none."""
    params = function.child_by_field_name("parameters") if function is not None else None
    if params is None:
        return -1
    named = [c for c in params.named_children if c.type != "comment"]
    if not named:
        return -1
    last = named[-1]
    if last.type == "required_parameter" and last.named_children:
        last = last.named_children[0]
    return len(named) - 1 if last.type == "rest_pattern" else -1


def site_values(values, site, function, arg_values: list) -> list:
    """`arg_values` as `function`'s parameters receive them at `site` (a tagged template split, the arguments from
    a rest parameter's place on gathered into one list)."""
    args = site.child_by_field_name("arguments") if site is not None else None
    if args is not None and args.type == "template_string":
        arg_values = tagged_values(values, args)
    at = rest_at(function)
    if at < 0 or len(arg_values) <= at:
        return arg_values
    rest = arg_values[at:]
    if all(v.known for v in rest):
        return [*arg_values[:at], Value([v.const for v in rest])]
    return [*arg_values[:at], merge(rest, UNKNOWN)]
