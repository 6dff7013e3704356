"""A string a same-file function builds around one of its parameters (`execSync(`git ${args}`)` in `git(args)`),
when every call of that function in the file passes a constant there (`this.git('rev-parse HEAD')`): at each call the
text is then a constant, and a rule asking whether the command is built only from constants hears yes. When one call
passes data (or the calls are not all found), no call's text is filled in: a constant call must not hide a tainted
one."""
from __future__ import annotations

from ..facts import Value
from ..skeleton import HOLE

MAX_SITES = 16  # the call sites javascript._named_calls finds of one name: as many may mean some were left out


def filled(value: Value, start: int, sites_args: list) -> list | None:
    """Per call site, `value` (an argument of a sink inside the function starting at `start`) with its one unknown
    part, the parameter, replaced by the constant that site passes; None unless that holds at every site."""
    prefix = f"param:{start}:"
    if value.known or value.text is None or value.text.count(HOLE) != 1 or not sites_args or \
            len(sites_args) >= MAX_SITES or len(value.labels) != 1:
        return None
    (label,) = value.labels
    if not label.startswith(prefix):
        return None  # the text holds data of its own, or a parameter of another function
    index = int(label[len(prefix):].split(":", 1)[0])  # (`param:<def>:<i>:host`: the same parameter)
    out = []
    for args in sites_args:
        given = args[index] if index < len(args) else None
        const = given.const if given is not None else None
        if given is None or given.labels or isinstance(const, bool) or not isinstance(const, (str, int, float)):
            return None
        out.append(Value(value.text.replace(HOLE, str(const)), frozenset(), value.name, value.via, value.trace))
    return out
