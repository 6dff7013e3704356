"""A value picked from a constant dictionary: by a known key, by a parameter's default, or any of its entries."""
from __future__ import annotations

from ..constants import UNKNOWN, Name
from ..fstrings import NotTemplate, filled, template
from ..facts import Value
from ..names import canonical
from ..text_labels import constant_labels

MAX_CHOICES = 32  # entries of one table kept as the values an unknown key may pick


def entry(item) -> Value:
    """A table entry as a Value picked at run time (`via` dynamic: a reader of the call does not see it)."""
    if isinstance(item, Name):
        return Value(name=canonical(item.dotted), via="dynamic")
    return Value(item, constant_labels(item), via="dynamic")


def pick(values, table: Value, key: Value, key_node, fallback: Value | None = None) -> Value | None:
    """`TABLE[key]` / `TABLE.get(key, fallback)` when `TABLE` is a known dictionary: the entry a constant key
    or the key parameter's default picks, else (key not known here) a value whose `choices` are every entry."""
    held = table.const
    if not isinstance(held, dict) or not held:
        return None
    wanted = key.const if key.known else default_of(values, key_node)
    if wanted is not UNKNOWN:
        try:
            item = held.get(wanted, UNKNOWN)
        except TypeError:
            item = UNKNOWN
        if item is not UNKNOWN:
            return _with(entry(item), table)
        if fallback is not None:
            return fallback
        return None
    choices = tuple(entry(i) for i in list(held.values())[:MAX_CHOICES] if i is not UNKNOWN)
    if fallback is not None:
        choices += (fallback,)
    # the key's own labels stay behind: a lookup in a constant table is a whitelist (CMDS[request.args["x"]])
    return Value(UNKNOWN, table.labels, None, "dynamic", table.trace, choices)


CONSTANT_LABELS = frozenset({"decoded", "credential-file", "self-serialized"})  # labels a known constant can carry


def _with(value: Value, table: Value) -> Value:
    labels = table.labels
    if value.known:  # m["keyA"] holds a constant: not the data other keys hold
        labels = frozenset(lab for lab in labels if lab in CONSTANT_LABELS)
    if not labels:
        return value
    return Value(value.const, labels | value.labels, value.name, value.via, table.trace)


def default_of(values, node):
    """The default of the parameter `node` names, when that parameter is its only binding in scope."""
    what = default_node(values, node)
    if what is None:
        return UNKNOWN
    default = values.ev(what)
    return default.const if default.known else UNKNOWN


def default_node(values, node):
    """The default expression of the parameter `node` names, when that parameter is its only binding in scope."""
    if node is None or node.type != "identifier":
        return None
    entries = values.scopes.entries(node)
    if not entries or len(entries) != 1:
        return None
    kind, what = entries[0]
    if kind != "param" or what is None or what.type not in ("default_parameter", "typed_default_parameter"):
        return None
    return what.child_by_field_name("value")


MAX_TEXTS = 32  # texts an f-string holding table choices may give


def fstring_choices(values, node) -> tuple:
    """f"... ORDER BY {SORTS.get(key, 'name')}": an f-string whose every placeholder is a constant or one of a
    constant table's entries is one of a few known texts (the table is an allow-list). () when it is not."""
    children = node.children
    prefix = children[0].text.decode("utf-8", "replace").rstrip("'\"") if children else ""
    if "f" not in prefix.lower() or len(children) < 3:
        return ()

    def options(expression) -> tuple[str, ...]:
        value = values.ev(expression)
        picks = value.choices if value.choices else (value,)
        if not all(o.known and isinstance(o.const, (str, int)) and not isinstance(o.const, bool) for o in picks):
            raise NotTemplate
        return tuple(str(o.const) for o in picks)

    try:
        text, slots = template(node, options)
    except (NotTemplate, SyntaxError, ValueError, UnicodeDecodeError):
        return ()
    if not any(len(s) > 1 for s in slots) or _product(slots) > MAX_TEXTS:
        return ()
    return tuple(Value(t, constant_labels(t), via="dynamic") for t in filled(text, slots))


def _product(slots) -> int:
    count = 1
    for options in slots:
        count *= len(options)
    return count
