"""Request data saved into a file the code names itself: the data is in the file, not in its name.

`dest = os.path.join(DIR, uuid4().hex); shutil.copyfileobj(upload.file, open(dest, "wb"))`: what is read back from
`dest` is the client's (an upload unpickled or run is still request input), but `dest` as a path or a command word is
the code's own choice. What a call writes into the file a name names carries `request-stored` instead of `request`
(rules that ask for `request` accept it, match.value_holds; path and command rules grade a name holding only it low),
and a parameter's placeholder `param:<def>:<i>:stored` stands for what a caller passes, stored the same way."""
from __future__ import annotations

from ..facts import Value

STORED = "request-stored"
STORED_PARAM = ":stored"


def _stored_label(label: str) -> str:
    if label == "request":
        return STORED
    if label.startswith("param:") and not label.endswith(STORED_PARAM):
        return label + STORED_PARAM
    return label


def stored_contents(value: Value) -> Value:
    """`value` written into a file: its request data (and its parameters' placeholders) as stored contents."""
    if "request" not in value.labels and not any(lab.startswith("param:") for lab in value.labels):
        return value
    labels = frozenset(_stored_label(lab) for lab in value.labels)
    return Value(value.const, labels, value.name, value.via, value.trace, value.choices, value.text)


def stored_part(given: Value) -> Value:
    """A caller's argument put in a `:stored` placeholder: the same data, its request data as stored contents."""
    return stored_contents(given)
