"""How a Python name's value changes after it is bound: mutations (`x.append(v)`, writes to the file it
names) and `self.x` attributes assigned anywhere in the class."""
from __future__ import annotations

from ... import budget as budgets
from ..facts import NOTHING, Step, Value, merge
from ..constants import MAX_LEN, UNKNOWN, Name
from ..names import canonical
from ..python_scopes import MODULE
from .python_downloads import retrieved, retrieved_keyword, verified
from .python_loops import fold_appends
from .python_stored import stored_contents
from .python_fill_uses import _MUTATORS, _fed_by_server, _fills, _in_window, _nested_fill

WINDOW = True  # look only at the uses in range (off: the plain loop, for tests comparing both)
FILL_KINDS = True  # skip, before its scope is looked up, a use that cannot fill the name (off: tests compare)


def mutated(values, name: str, current: Value, use_at: int, use_scope, start: int = -1) -> Value:
    uses = values.scopes.uses.get(name)
    if not uses:
        return current
    key = _key(use_scope)
    low = max(start, -1 if use_scope is None else use_scope.start_byte)
    added = []
    shared = _shared(values, name, use_scope)
    foreign = _foreign(values, name) if shared else {}
    fills = values.__dict__.setdefault("_fills", {}) if FILL_KINDS else None
    wheres = values.__dict__.setdefault("_wheres", {})
    for use in (uses if foreign or not WINDOW else
                _in_window(values, name, uses, low, use_at, fills)):
        at = use.start_byte
        if not low <= at < use_at and use.start_byte not in foreign:
            continue
        budgets.tick()  # each .parent costs the tree's depth; thousands of uses ran past the budget
        if fills is not None and not _fills(values, fills, use):
            continue  # `x.strip()`, `d[x]`: no use that can fill the name (most uses, read again for every read)
        parent = use.parent
        if parent.type not in ("attribute", "argument_list", "subscript", "keyword_argument"):
            continue
        where = wheres.get(at)  # the use's scope, kept like its fill kind (read again for each read of the name)
        if where is None:
            where = wheres[at] = values.scopes.scope_key(use)
        if not (low <= at < use_at and where == key):
            # a module-level container filled elsewhere (in a callback, at module level) holds that data
            # whenever it is read in a function: `BAG = []`, `def collect(): BAG.append(env)`, read in another
            if use.start_byte not in foreign or where == key:
                continue
        if parent.type == "attribute" and parent.child_by_field_name("object") == use and \
                parent.child_by_field_name("attribute").text != b"__dict__":
            attr = parent.child_by_field_name("attribute").text.decode()
            call = parent.parent
            if call.type == "argument_list" and _fed_by_server(call.parent, parent):
                added.append(Value(UNKNOWN, frozenset({"network"}), None, None, (
                    Step(call.start_point[0] + 1, f"what the server sends is written through {name}.{attr}"),)))
            elif attr in _MUTATORS and call.type == "call" and call.child_by_field_name("function") == parent:
                args = call.child_by_field_name("arguments")
                if args is not None:
                    parts = [values.ev(a) for a in args.named_children if a.type != "comment"]
                    value = parts[0] if len(parts) == 1 else merge(parts)
                    looped = fold_appends(values, call, args.named_children[0]) if attr == "append" \
                        and isinstance(current.const, list) and not value.known and len(parts) == 1 else None
                    if looped is not None and len(current.const) + len(looped) <= MAX_LEN:
                        current = Value(current.const + looped, current.labels, current.name, current.via,
                                        current.trace)
                    elif attr == "append" and isinstance(current.const, list) and value.known:
                        current = Value(current.const + [value.const], current.labels, current.name,
                                        current.via, current.trace)
                    elif attr == "append" and isinstance(current.const, list) and len(parts) == 1 and \
                            (value.labels or not value.name) and len(current.const) < MAX_LEN:
                        # argv.append(term): one more item, unknown - the words before it stay known (a
                        # fixed program's argv is not a shell command line), as in the literal [..., term]
                        current = Value(current.const + [UNKNOWN], current.labels, current.name, current.via,
                                        current.trace)
                    elif attr == "append" and isinstance(current.const, list) and value.name and \
                            not value.labels and len(parts) == 1 and args.named_children[0].type in (
                                "identifier", "attribute"):  # hooks.append(requests.post): a function kept
                        current = Value(current.const + [Name(value.name)], current.labels, current.name,
                                        current.via, current.trace)
                    elif attr == "update" and isinstance(current.const, dict) and all(
                            lab.startswith("param:") for lab in value.labels):  # (source data: not constant)
                        # opts.update(kw): the entries not overridden keep their values (a default
                        # such as verify=False still holds unless the caller passes another)
                        extra = value.const if isinstance(value.const, dict) else {}
                        if not extra and args.named_children[0].type == "keyword_argument":
                            # opts.update(debug=True, host=h): the known keyword values are entries too
                            extra = _keyword_entries(values, args)
                        current = Value({**current.const, **extra}, current.labels, current.name,
                                        current.via, current.trace)
                    elif attr in ("append", "extend", "insert", "update", "add") and current.known:
                        current = Value(UNKNOWN, current.labels, current.name, current.via, current.trace)
                    added.append(value.with_step(call.start_point[0] + 1, f"{name}.{attr}(...)"))
        elif parent.type == "argument_list":
            # what a call writes into the name, kept per use: a name passed to 3,000 calls in one function was
            # asked again at each of its reads (800,000 times)
            known = values.__dict__.setdefault("_written", {})
            wrote = known.get(at)
            if wrote is None:
                wrote = known[at] = written(values, name, use, parent.parent)
            added.append(stored_contents(verified(values, parent.parent, wrote, use_at, name)))
        elif parent.type == "keyword_argument":  # urlretrieve(url, filename=name)
            added.append(stored_contents(verified(values, parent.parent.parent, retrieved_keyword(values, name, use),
                                                  use_at, name)))
        elif (call := _nested_fill(use)) is not None:  # STATE["keys"].append(key): an item is filled
            args = call.child_by_field_name("arguments")
            value = merge(values.ev(a) for a in args.named_children if a.type != "comment")
            if current.known and not (value.known and value.const == []):
                current = Value(UNKNOWN, current.labels, current.name, current.via, current.trace)
            added.append(value.with_step(call.start_point[0] + 1, f"{name}[...] filled"))
    if shared:
        added.extend(_stored_elsewhere(values, name, key))
        rebound = [values._bind(name, kind, what, current) for kind, what in _rebound_globally(values, name)]
        if any(v.const is not current.const and v.const != current.const for v in rebound) and current.known:
            current = Value(UNKNOWN, current.labels, current.name, current.via, current.trace)  # `log += key`
        added.extend(rebound)
    if not any(v.labels for v in added):
        return current
    out = merge([current, *added], current.const, current.name)
    if "network" in out.labels and "downloaded" not in out.labels and any(
            "network" in v.labels for v in added):
        out = Value(out.const, out.labels | {"downloaded"}, out.name, out.via, out.trace)
    return out

def _keyword_entries(values, args) -> dict:
    """The keyword arguments of `d.update(k=v, ...)` as entries: known values as they are, others unknown."""
    out = {}
    for arg in args.named_children:
        if arg.type != "keyword_argument":
            continue
        value = values.ev(arg.child_by_field_name("value"))
        out[arg.child_by_field_name("name").text.decode("utf-8", "replace")] = value.const if value.known else UNKNOWN
    return out


# archive and compression writers over a file object: what is written through them lands in that object
_WRAPPERS = frozenset(("zipfile.ZipFile", "zipfile.PyZipFile", "gzip.GzipFile", "gzip.open", "bz2.BZ2File", "bz2.open",
                       "lzma.LZMAFile", "lzma.open", "io.TextIOWrapper", "io.BufferedWriter"))


# the last word of every writer `written` knows, called as a method (`urllib.request.urlretrieve`, `zipfile.ZipFile`)
_WRITER_WORDS = frozenset(w.rsplit(".", 1)[-1].encode() for w in (
    *_WRAPPERS, "urllib.request.urlretrieve", "os.write", "shutil.copyfileobj", "io.open", "codecs.open", "os.fdopen"))


_CURL_SINKS = frozenset({b"WRITEDATA", b"WRITEFUNCTION", b"FILE"})  # pycurl options given the response's writer


def written(values, name: str, use, call) -> Value:
    """Data that flows into `name` because it is the file a call writes (open(name, 'wb') as f:
    f.write(data); urlretrieve(url, name); copyfileobj(src, name))."""
    if call is None or call.type != "call":
        return NOTHING
    args = [a for a in call.child_by_field_name("arguments").named_children if a.type != "comment"]
    if use not in args[:2]:  # every writer below gets the file as its first or second argument
        return NOTHING
    fn = call.child_by_field_name("function")
    method = fn.child_by_field_name("attribute").text if fn.type == "attribute" else None
    if method in (b"extract", b"extractall") and args.index(use) == (1 if method == b"extract" else 0):
        # zf.extract(member, folder) / zf.extractall(folder) of an archive read from the network: the folder now
        # holds downloaded files (ZipFile(io.BytesIO(urlopen(url).read())))
        archive = values.ev(fn.child_by_field_name("object"))
        if "network" in archive.labels:
            return Value(UNKNOWN, archive.labels | {"downloaded"}, None, None, archive.trace).with_step(
                call.start_point[0] + 1, f"archive extracted into {name}")
        return NOTHING
    if method == b"setopt" and len(args) > 1 and args[1] == use and args[0].text.rsplit(b".", 1)[-1] in _CURL_SINKS:
        # c.setopt(c.WRITEDATA, buf); c.perform(): libcurl writes the response body into buf
        return Value(UNKNOWN, frozenset({"network"}), None, None,
                     (Step(call.start_point[0] + 1, f"pycurl writes the response into {name}"),))
    if method is not None and method not in _WRITER_WORDS:
        return NOTHING  # `_cache.get(name)`: a method no writer below is called by (its owner is not evaluated)
    callee = canonical(values.ev(fn).name)
    if callee in ("urllib.request.urlretrieve", "urllib.urlretrieve") and len(args) > 1 and args[1] == use:
        return retrieved(values, call, name)
    if callee == "os.write" and len(args) > 1 and args[0] == use:  # os.write(fd, data)
        return values.ev(args[1]).with_step(call.start_point[0] + 1, f"written to the file {name}")
    if callee == "shutil.copyfileobj" and len(args) > 1 and args[1] == use:
        return values.ev(args[0]).with_step(call.start_point[0] + 1, f"copied into {name}")
    wrapper = callee in _WRAPPERS and bool(args) and args[0] == use  # zipfile.ZipFile(buf, "w") as zf: zf.writestr
    if wrapper or callee in ("builtins.open", "io.open", "codecs.open", "os.fdopen") and args and args[0] == use and len(args) > 1:
        positional = [a for a in args if a.type != "keyword_argument"]
        mode = values.ev(positional[1]) if len(positional) > 1 else Value("w" if callee.startswith("io.") else "r")
        if len(positional) == 1:  # zipfile.ZipFile(buf, mode="w"), open(path, mode="wb")
            given = dict((k.child_by_field_name("name").text, k.child_by_field_name("value"))
                         for k in call.child_by_field_name("arguments").named_children if k.type == "keyword_argument")
            mode = values.ev(given[b"mode"]) if b"mode" in given else mode
        if not (isinstance(mode.const, str) and ("w" in mode.const or "a" in mode.const or "x" in mode.const)):
            return NOTHING
        holder = call.parent
        target = None
        if holder.type == "attribute" and holder.parent.type == "call" and \
                holder.child_by_field_name("attribute").text in (b"write", b"writelines"):
            data = holder.parent.child_by_field_name("arguments")  # open(name, "wb").write(data)
            value = merge(values.ev(a) for a in data.named_children) if data is not None else NOTHING
            return value.with_step(call.start_point[0] + 1, f"written to the file {name}")
        block = None
        if holder.type == "as_pattern":
            alias = holder.child_by_field_name("alias")
            target = alias.named_children[0] if alias is not None and alias.named_children else None
            block = holder.parent
            while block is not None and block.type != "with_statement":
                block = block.parent
        elif holder.type == "assignment":
            target = holder.child_by_field_name("left")
        if target is None or target.type != "identifier":
            return NOTHING
        fname = target.text.decode()
        entries = values.scopes.entries(target)
        if not entries:
            return NOTHING
        scope = values.scopes.scope_of(target)
        # a `with open(..) as fh:` handle is written inside its block (another block may reuse the name)
        written = mutated(values, fname, NOTHING, block.end_byte, scope, block.start_byte) if block is not None \
            else mutated(values, fname, NOTHING, _end_of(scope, values.root), scope)
        return written.with_step(call.start_point[0] + 1, f"written to the file {name}")
    return NOTHING


def _shared(values, name: str, use_scope) -> bool:
    """Whether `name` read in `use_scope` (None: module level) is a module-level variable assigned a value
    (not an import, function or class) that functions may fill without rebinding it."""
    module = values.scopes.bindings.get((MODULE, name))
    if not module or not any(kind == "assign" for kind, _what in module):
        return False
    return use_scope is None or _only_stores(values.scopes.bindings.get((use_scope.start_byte, name)))


def _only_stores(entries) -> bool:
    """No binding of the name in a function, or only stores into it (`BAG[k] = v`) or a `global` statement: it is
    still the module's variable."""
    return entries is None or all(kind == "setitem" or (kind == "other" and what is not None)
                                  for kind, what in entries)


def _rebound_globally(values, name: str) -> list:
    """The assignments to `name` in functions that declare it `global` (`global log; log += str(key)`), at most 16."""
    cache = values.__dict__.setdefault("_global_rebinds", {})
    if name not in cache:
        found = []
        for scope, _name in values.scopes.scopes_of.get(name, ()):
            entries = values.scopes.bindings.get((scope, name)) or ()
            if scope != MODULE and any(kind == "other" and what is not None for kind, what in entries):
                found.extend(e for e in entries if e[0] in ("assign", "augassign"))
        cache[name] = found[:16]
    return cache[name]


def declared_global(values, name: str) -> Value:
    """A name a function declares `global`: the module's variable, with everything assigned to it or stored in it
    by any function (they may all have run before this read)."""
    values.scopes.index(name)  # the whole file (the function's own scope may be all that was indexed)
    module = [e for e in values.scopes.bindings.get((MODULE, name), ()) if e[0] != "other"]
    if not module:
        return NOTHING
    return values.binding_value(name, module, len(values.source), None)


def _foreign(values, name: str) -> dict:
    """Start byte -> use, for the uses of module-level `name` that may fill it: a mutating method called on it
    or an argument of a call (a file written), at module level or in a function that does not rebind it.
    Computed once per name (every read of the name asks)."""
    cache = values.__dict__.setdefault("_global_fills", {})
    if name in cache:
        return cache[name]
    found = {}
    for use in values.scopes.uses.get(name, ()):
        budgets.tick()
        parent = use.parent
        if parent.type == "attribute":
            call = parent.parent
            if parent.child_by_field_name("object") != use or call.type != "call" or \
                    parent.child_by_field_name("attribute").text.decode() not in _MUTATORS:
                continue
        elif parent.type != "argument_list" and _nested_fill(use) is None:
            continue
        where = values.scopes.scope_key(use)
        if where == MODULE or _only_stores(values.scopes.bindings.get((where, name))):
            found[use.start_byte] = use
    cache[name] = found
    return found


def _stored_elsewhere(values, name: str, key: int) -> list:
    """What functions other than the reader store into module-level `name` (`BAG[k] = v`)."""
    out = []
    for scope, _name in values.scopes.scopes_of.get(name, ()):
        entries = values.scopes.bindings.get((scope, name))
        if scope in (MODULE, key) or not entries or not _only_stores(entries):
            continue
        for kind, what in entries[:8]:
            out.append(values._bind(name, kind, what, NOTHING))
    return out


def _key(scope) -> int:
    return MODULE if scope is None else scope.start_byte


def _end_of(scope, root) -> int:
    return (root if scope is None else scope).end_byte


def _at(entry) -> int:
    kind, what = entry
    return what.start_byte if hasattr(what, "start_byte") else -1


def _scope_start(entry, scopes) -> int:
    kind, what = entry
    return scopes.scope_key(what) if hasattr(what, "start_byte") else MODULE
