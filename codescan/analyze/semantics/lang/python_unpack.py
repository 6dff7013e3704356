"""Names bound by unpacking a call's result (`a, b = f()`): what each target gets — a peer's data (`recvfrom`, an
accepted connection, an asyncio stream), a downloaded file's path (`urlretrieve`), the file written through a
descriptor (`tempfile.mkstemp`)."""
from __future__ import annotations

from ..constants import UNKNOWN, Name
from ..facts import NOTHING, Value
from ..names import canonical
from .python_mutations import _end_of, mutated


def unpacked(values, name: str, assignment) -> Value:
    """A name unpacked from a call's result. `fd, path = tempfile.mkstemp()`: the path holds what is written
    through the descriptor (os.write(fd, data), os.fdopen(fd, "wb") as fh: fh.write(data)); anything else: nothing
    known."""
    left = assignment.child_by_field_name("left")
    names = [c for c in left.named_children if c.type == "identifier"] if left is not None else []
    position = next((i for i, c in enumerate(names) if c.text.decode() == name), None)
    if left is None or len(names) != len(left.named_children):
        return NOTHING
    return unpacked_at(values, position, assignment)


# a call returning a pair whose item at these positions holds what a peer sends (the other item is its address or
# the writing end)
_ACCEPTS = frozenset(("socket.socket().accept", "socket.create_server().accept", "socket.fromfd().accept",
                      "ssl.SSLContext().wrap_socket().accept", "ssl.wrap_socket().accept"))
_RECEIVED = {"recvfrom": (0,), "asyncio.open_connection": (0, 1), "asyncio.open_unix_connection": (0, 1)}


def unpacked_at(values, position: int | None, assignment) -> Value:
    """The value the target at `position` of `a, b = right` gets (`fd, self.path = tempfile.mkstemp()` too)."""
    left, right = assignment.child_by_field_name("left"), assignment.child_by_field_name("right")
    names = [c for c in left.named_children if c.type in ("identifier", "attribute")] if left is not None else []
    if right is not None and left is not None and len(names) == len(left.named_children):
        parts = [c for c in right.named_children if c.type != "comment"]
        if right.type in ("expression_list", "tuple", "list") and len(parts) == len(names) and position is not None \
                and not any(p.type in ("list_splat", "parenthesized_list_splat") for p in parts):
            return values.ev(parts[position])  # H, P = "198.51.100.9", 4444: each name its own item
        whole_value = values.ev(right) if right.type != "call" else NOTHING
        if position is not None and isinstance(whole_value.const, (tuple, list)) and len(whole_value.const) == len(names):
            item = whole_value.const[position]  # H, P = ADDRESS: the items of a known tuple
            if item is not UNKNOWN and not isinstance(item, Name):
                return Value(item, whole_value.labels, None, None, whole_value.trace)
    if right is not None and right.type == "await" and right.named_children:
        right = right.named_children[0]  # reader, writer = await asyncio.open_connection(host, port)
    if right is not None and right.type == "call":
        parts = _split_parts(values, right)
        if parts is not None:
            return parts
    if right is None or right.type != "call" or len(names) != 2:
        return NOTHING
    callee = canonical(values.ev(right.child_by_field_name("function")).name) or ""
    if position in _RECEIVED.get(callee.rsplit(".", 1)[-1] if callee.endswith(".recvfrom") else callee, ()):
        # data, addr = s.recvfrom(n); reader, writer = await asyncio.open_connection(...): what the peer sends
        got = values.ev(right)
        return Value(UNKNOWN, got.labels, None, None, got.trace) if got.labels else NOTHING
    if position == 0 and callee in _ACCEPTS:
        # conn, addr = server.accept(): a socket connected to whoever dialled in (conn.recv is what they send)
        return Value(name="socket.socket()")
    if callee in ("urllib.request.urlretrieve", "urllib.urlretrieve") and position == 0:
        # path, headers = urlretrieve(url): the path names the file the response was written to
        args = [a for a in right.child_by_field_name("arguments").named_children if a.type != "comment"]
        url = values.ev(args[0]) if args else NOTHING
        return Value(UNKNOWN, url.labels | {"network", "downloaded"}, None, None, url.trace).with_step(
            assignment.start_point[0] + 1, f"{names[0].text.decode('utf-8', 'replace')} names the downloaded file")
    if position != 1 or names[0].type != "identifier" or callee not in ("tempfile.mkstemp", "tempfile.mkstemp()"):
        return NOTHING
    fd = names[0].text.decode()
    name = names[1].text.decode()
    values.scopes.index(fd)
    scope = values.scopes.scope_of(assignment)
    written = mutated(values, fd, NOTHING, _end_of(scope, values.root), scope)
    if "network" in written.labels and "downloaded" not in written.labels:
        written = Value(written.const, written.labels | {"downloaded"}, written.name, written.via, written.trace)
    return written.with_step(assignment.start_point[0] + 1, f"{name} names the file written through {fd}")


_SPLITS = frozenset((b"split", b"rsplit", b"partition", b"rpartition", b"splitlines"))


def _split_parts(values, call) -> Value | None:
    """`verb, _, arg = line.partition(" ")` / `cmd, arg = msg.split(maxsplit=1)`: each part of data split apart
    carries the data's labels (a command-and-control loop splitting a received line into a verb and its
    argument); None when the call is not such a split of labelled data."""
    fn = call.child_by_field_name("function")
    if fn is None or fn.type != "attribute" or fn.child_by_field_name("attribute").text not in _SPLITS:
        return None
    whole = values.ev(fn.child_by_field_name("object"))
    if not whole.labels:
        return None
    return Value(UNKNOWN, whole.labels, None, None, whole.trace).with_step(call.start_point[0] + 1, "split into parts")
