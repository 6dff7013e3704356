"""Which uses of a Python name can fill it (`x.append(v)`, an argument a call may write, `x["k"].append(v)`), kept
per use, and the uses of a name in a read's window, in index order, for python_mutations.mutated."""
from __future__ import annotations

from bisect import bisect_left

_MUTATORS = {"append", "extend", "update", "insert", "add", "write", "writelines", "setdefault", "appendleft",
             "send", "put", "write_bytes", "write_text", "writestr", "addfile", "attach", "add_attachment", "set_content", "set_payload",
             "add_field"}  # (write_bytes/text: the file a pathlib path names; attach...: a mail message; add_field: an aiohttp FormData part)


def _in_window(values, name: str, uses: list, low: int, high: int, fills: dict | None = None):
    """The uses of `name` starting in [low, high), in the order of `uses` (a bisect over their sorted starts, kept
    per name and list length): a loop over every use of a name for each of its reads cost the square of its uses
    (694k uses looked at for 24k in range on 300 stdlib files). With `fills` (the fill kinds kept per use offset),
    a window of more than WIDE uses gives only the uses that can fill the name, from an index of those: the reads
    of a name used 3,000 times in one function each looked at every use before them (4.5 million, 6 s on 50 KB)
    to find the few that fill it. (Narrow windows stay as they are: indexing the fill kind of every use of every
    name read costs more than it saves on ordinary files.) Uses indexed while the caller works (the list grows)
    come last, as a loop over the growing list meets them."""
    count = len(uses)
    ordered, order = _sorted_uses(values, "_use_starts", name, uses, None)
    window = order[bisect_left(ordered, low):bisect_left(ordered, high)]
    if fills is not None and len(window) > WIDE:
        ordered, order = _sorted_uses(values, "_fill_starts", name, uses, fills)
        window = order[bisect_left(ordered, low):bisect_left(ordered, high)]
    for i in sorted(window):
        yield uses[i]
    while len(uses) > count:
        grown = len(uses)
        for use in uses[count:grown]:
            if low <= use.start_byte < high:
                yield use
        count = grown


WIDE = 64  # uses in a read's window past which only the uses that can fill the name are looked at


def _sorted_uses(values, memo: str, name: str, uses: list, fills: dict | None) -> tuple[list, list]:
    """(sorted starts, indexes into `uses` in that order) of the name's uses (with `fills`: of those that can fill
    it), kept per name and list length."""
    cache = values.__dict__.setdefault(memo, {})
    count = len(uses)
    found = cache.get(name)
    if found is None or found[0] != count or found[1] is not uses:
        starts = [use.start_byte for use in uses]
        kept = range(count) if fills is None else [i for i in range(count) if _fills(values, fills, uses[i])]
        order = sorted(kept, key=starts.__getitem__)
        found = cache[name] = (count, uses, [starts[i] for i in order], order)
    return found[2], found[3]


def _fills(values, fills: dict, use) -> bool:
    """_fill_kind(use), kept per use offset; an argument of a builtin other than open (`print(x)`, `len(x)`) that
    the file does not bind again fills nothing."""
    fill = fills.get(use.start_byte)
    if fill is None:
        fill = _fill_kind(use)
        if fill and use.parent.type == "argument_list":
            fn = use.parent.parent.child_by_field_name("function")
            if fn is not None and fn.type == "identifier" and fn.text in _NOT_WRITERS and values.is_builtin(fn):
                fill = False
        fills[use.start_byte] = fill
    return fill


# builtins that never write into a file named or held by their arguments (what `written` looks for)
_NOT_WRITERS = frozenset((b"print", b"len", b"str", b"repr", b"int", b"float", b"bool", b"isinstance", b"hasattr",
                          b"getattr", b"type", b"id", b"hash", b"sorted", b"min", b"max", b"abs", b"format", b"bytes",
                          b"list", b"tuple", b"dict", b"set", b"frozenset", b"iter", b"next", b"enumerate", b"zip",
                          b"range", b"any", b"all", b"sum", b"callable", b"issubclass", b"vars", b"dir"))


_SERVER_FEEDS = frozenset((b"retrbinary", b"retrlines"))  # ftplib: each block the server sends goes to the callback


def _fed_by_server(call, writer) -> bool:
    """`ftp.retrbinary(cmd, fh.write)` / `c.setopt(pycurl.WRITEFUNCTION, fh.write)`: the handle's write method is
    given to a download as the callback its data goes to."""
    if call is None or call.type != "call" or writer.child_by_field_name("attribute").text not in (b"write",
                                                                                                    b"writelines"):
        return False
    fn = call.child_by_field_name("function")
    method = fn.child_by_field_name("attribute").text if fn is not None and fn.type == "attribute" else None
    if method in _SERVER_FEEDS:
        return True
    args = call.child_by_field_name("arguments").named_children
    return method == b"setopt" and len(args) > 1 and args[1] == writer and \
        args[0].text.rsplit(b".", 1)[-1] in (b"WRITEFUNCTION", b"WRITEDATA")


def _fill_kind(use) -> bool:
    """Whether mutated() acts on this use of a name wherever it is: the object of a mutating method's call with
    arguments (`x.append(v)`), an argument (a file a call may write), an item filled (`x["k"].append(v)`).
    A pure function of the tree, kept per use: a name's uses are looked at again for each of its reads."""
    parent = use.parent
    kind = parent.type
    if kind == "attribute":
        if parent.child_by_field_name("object") != use:
            return False
        if parent.child_by_field_name("attribute").text == b"__dict__":
            return _nested_fill(use) is not None
        call = parent.parent
        if call.type == "argument_list" and _fed_by_server(call.parent, parent):
            return True  # ftp.retrbinary("RETR x", fh.write): the server's file is written through fh
        return parent.child_by_field_name("attribute").text.decode() in _MUTATORS and call.type == "call" and \
            call.child_by_field_name("function") == parent and call.child_by_field_name("arguments") is not None
    if kind == "argument_list":
        return True
    if kind == "keyword_argument":  # urlretrieve(url, filename=name)
        return parent.child_by_field_name("name").text == b"filename" and parent.child_by_field_name("value") == use
    return kind == "subscript" and _nested_fill(use) is not None


def _nested_fill(use):
    """The call of a mutating method on an item of the container `use` names (`STATE["keys"].append(k)`), or on its
    attribute dictionary (`obj.__dict__.update(d)`), or None."""
    item = use
    while item.parent is not None and (
            item.parent.type == "subscript" and item.parent.child_by_field_name("value") == item or
            # obj.__dict__.update(os.environ): the object's attributes are filled
            item.parent.type == "attribute" and item.parent.child_by_field_name("object") == item and
            item.parent.child_by_field_name("attribute").text == b"__dict__"):
        item = item.parent
    holder = item.parent
    if item is use or holder is None or holder.type != "attribute" or holder.child_by_field_name("object") != item:
        return None
    call = holder.parent
    if call.type != "call" or call.child_by_field_name("function") != holder or \
            holder.child_by_field_name("attribute").text.decode() not in _MUTATORS or \
            call.child_by_field_name("arguments") is None or call.child_by_field_name("arguments").type != "argument_list":
        return None
    return call
