"""Labels of a path whose start is not known here but whose last pieces are: `os.path.join(home, ".config", "systemd",
"user")`, `Path.home() / "Library" / "LaunchAgents"` name the startup folder `/.config/systemd/user` names."""
from __future__ import annotations

from ..facts import Value
from ..sources import constant_labels

PATH_JOINS = frozenset({"os.path.join", "posixpath.join", "ntpath.join", "pathlib.Path", "pathlib.PurePath",
                        "pathlib.Path().joinpath", "pathlib.PurePath().joinpath"})
MAX_PIECES = 12
# only the startup-folder label is read from a tail: a credential store's name joined under the app's own folder
# (`~/.cache/myapp/leveldb`) is the app's data, and each piece already carries what it names by itself
TAIL_LABELS = frozenset({"startup-file"})


def join_tail(values: list) -> str:
    """The known pieces at the end of a join's arguments (after an unknown one), joined with `/`; "" when none."""
    tail = []
    for value in reversed(values[-MAX_PIECES:]):
        if not isinstance(value.const, str):
            break
        tail.append(value.const)
    return "/".join(reversed(tail)) if 0 < len(tail) < len(values) else ""


def slash_tail(values, node) -> str:
    """`a / "x" / "y"` where `a` is not known: "x/y" (the known right operands along the chain)."""
    tail = []
    current = node
    while current is not None and current.type == "binary_operator" and len(tail) < MAX_PIECES:
        operator = current.child_by_field_name("operator")
        if operator is None or operator.text != b"/":
            break
        right = values.ev(current.child_by_field_name("right"))
        if not isinstance(right.const, str):
            break
        tail.append(right.const)
        current = current.child_by_field_name("left")
    return "/".join(reversed(tail))


def with_tail_labels(value: Value, tail: str) -> Value:
    """`value` plus the startup folder the known tail of its path names."""
    extra = constant_labels("/" + tail) & TAIL_LABELS if tail else frozenset()
    if not extra or extra <= value.labels:
        return value
    return Value(value.const, value.labels | extra, value.name, value.via, value.trace, value.choices)
