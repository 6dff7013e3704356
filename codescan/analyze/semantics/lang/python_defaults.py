"""A parameter whose default is a text assembled at run time: `def hash_password(pw, algo=DIGEST)` with
`DIGEST = "md" + "5"`. Whatever a caller elsewhere may pass, the code runs with that default when it is given
nothing, and spelling it in pieces only makes sense to keep the choice out of review, so a sink reading the
parameter reads the default, marked built (rules ask `built: true` for a disguised choice). A default written out
(`algo="md5"`, `verify=False`) is an option a library offers its callers and stays the parameter."""
from __future__ import annotations

from ..facts import Step, Value
from .python_tables import default_node


def built_default(values, node) -> Value | None:
    """The default of the parameter `node` names, when that parameter is its only binding in scope and the
    default is a constant text assembled at run time; else None. The parameter's own label stays: a same-file
    call passing an argument puts that argument in its place (only a call passing nothing runs the default)."""
    from .python import _assembled  # the same test the call's own arguments get

    default = default_node(values, node)
    if default is None:
        return None
    held = values.ev(default)
    if not held.known or not isinstance(held.const, (str, bytes)) or _assembled(values, default, 0) is None:
        return None
    param = values.ev(node)
    name = node.text.decode("utf-8", "replace")
    return Value(held.const, held.labels | param.labels, param.name, "built",
                 (*held.trace, Step(default.start_point[0] + 1, f"default of parameter {name}")))
