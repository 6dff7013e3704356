"""JavaScript data that arrives through callbacks and streams: what a callback's first parameter receives
(`https.get(url, res => ..)`, `res.on('data', c => ..)`), variables a nested callback appends to
(`res.on('data', c => body += c)`), and files a network stream is piped into (`res.pipe(fs.createWriteStream(p))`)."""
from __future__ import annotations

import re
from itertools import islice

from ..facts import NOTHING, Step, Value, merge
from ..host_data import command_output_labels
from ..sources import labels_of
from .js_scopes import FUNCTIONS, MODULE

# calls whose callback's first parameter is the response (or connection) they produce
RESPONSE_CALLS = frozenset({"https.get", "http.get", "https.request", "http.request", "net.connect",
                            "net.createConnection", "tls.connect", "request", "request.get", "needle.get",
                            # an extension API that hands what it read to the callback (every cookie of every site)
                            "chrome.cookies.getAll", "browser.cookies.getAll", "chrome.cookies.get", "browser.cookies.get"})
DATA_EVENTS = frozenset({b"data", b"end", b"response", b"readable", b"message", b"close", b"finish",
                         b"connection"})  # a WebSocket / socket.io server's connection: the peer's socket
SOCKET_IO_CONTROL = frozenset({b"connect", b"disconnect", b"connect_error", b"error", b"reconnect", b"ping"})
STREAM_WRITERS = frozenset({"fs.createWriteStream"})
FILE_WRITERS = frozenset({"fs.writeFileSync", "fs.writeFile", "fs.promises.writeFile", "fs.appendFileSync",
                          "fs.appendFile"})
FILE_READERS = frozenset({"fs.readFile", "fs.promises.readFile"})
# array methods whose callback's first parameter is an item of the array
ITEM_CALLBACKS = frozenset({b"forEach", b"map", b"flatMap", b"filter", b"some", b"every", b"find", b"findIndex"})
MAX_ITEM_CHOICES = 16  # items of a constant list a callback's parameter is known to be one of
MAX_USES = 64  # uses of one name examined for stream and file writes


def callback_input(values, function) -> Value | None:
    """What a callback's first parameter receives, when the callback is given to a network call or to an
    event listener (`on`/`once`) of an object that carries network data."""
    holder = function.parent if function is not None else None
    call = holder.parent if holder is not None and holder.type == "arguments" else None
    if call is None or call.type != "call_expression":
        return None
    fn = call.child_by_field_name("function")
    if fn is None:
        return None
    if fn.type == "member_expression" and fn.child_by_field_name("property").text in (b"addEventListener", b"on") and \
            _event_name(holder) in KEY_EVENTS:  # document.addEventListener("keydown", e => ..): each key typed
        return Value(labels=KEYSTROKE, trace=(Step(call.start_point[0] + 1, "a key typed on the page"),))
    if fn.type == "member_expression" and fn.child_by_field_name("property").text == b"addListener" and \
            _WEB_REQUEST.match(fn.child_by_field_name("object").text):
        # chrome.webRequest.onBeforeSendHeaders.addListener(d => ..): every site's request headers (Authorization,
        # cookies) or form bodies, the loot a browser's saved credentials are
        return Value(labels=CREDENTIAL, trace=(Step(call.start_point[0] + 1, "every request the browser makes (headers, "
                                                                              "bodies) given to an extension's listener"),))
    if fn.type == "member_expression" and fn.child_by_field_name("property").text in (b"on", b"once", b"addListener"):
        args = [c for c in holder.named_children if c.type != "comment"]
        event = args[0] if args else None
        if event is None or event.type != "string":
            return None
        emitter = values.ev(fn.child_by_field_name("object"))
        if event.text[1:-1] not in DATA_EVENTS and not (
                # a socket.io connection's own events carry what the other end sends (`socket.on('task', cmd => ..)`)
                event.text[1:-1] not in SOCKET_IO_CONTROL and (emitter.name or "").startswith("socket.io")
                and "socket" in emitter.labels):
            return None
        return emitter.with_step(call.start_point[0] + 1, f"'{event.text[1:-1].decode()}' event of the response")\
            if emitter.labels else None
    if fn.type == "member_expression" and fn.child_by_field_name("property").text in ITEM_CALLBACKS:
        # `['.npmrc', '.ssh/id_rsa'].forEach(f => ..)`: each item of the array (what it is labelled with)
        items = values.ev(fn.child_by_field_name("object"))
        if items.labels:
            method = fn.child_by_field_name("property").text.decode()
            return Value(labels=items.labels, trace=(*items.trace, Step(call.start_point[0] + 1, f"item given to .{method}(...)")))
        if isinstance(items.const, list) and 0 < len(items.const) <= MAX_ITEM_CHOICES and \
                all(isinstance(i, str) for i in items.const):  # ["PORT", "HOST"].map(k => process.env[k]): one of them
            return Value(choices=tuple(Value(i) for i in items.const))
        return None
    name = values.ev(fn).name
    if name in RESPONSE_CALLS:
        labels = labels_of(name) or frozenset({"network"})
        return Value(labels=labels, trace=(Step(call.start_point[0] + 1, f"{name}(...) response given to the callback"),))
    return None


def reduced_item(values, function, index: int) -> Value | None:
    """What the second parameter of a `.reduce((acc, item) => ..)` / `.reduceRight` callback receives: one of the
    items of a constant list of strings (`['cardnumber', 'cvc'].reduce((o, n) => .., {})`)."""
    holder = function.parent if function is not None else None
    call = holder.parent if holder is not None and holder.type == "arguments" else None
    fn = call.child_by_field_name("function") if call is not None and call.type == "call_expression" else None
    if index != 1 or fn is None or fn.type != "member_expression" or \
            fn.child_by_field_name("property").text not in (b"reduce", b"reduceRight") or \
            next((c for c in holder.named_children if c.type != "comment"), None) != function:
        return None
    items = values.ev(fn.child_by_field_name("object"))
    if isinstance(items.const, list) and 0 < len(items.const) <= MAX_ITEM_CHOICES and \
            all(isinstance(i, str) for i in items.const):
        return Value(choices=tuple(Value(i) for i in items.const))
    return None


_GIVEN = re.compile(rb"\.(?:" + b"|".join(sorted(ITEM_CALLBACKS)) + rb")\(\s*(?:[\w$]+\.)?([\w$]+)\s*\)")
MAX_GIVEN = 2_000  # functions passed by name to an array method, per file
KEY_EVENTS = frozenset((b"keydown", b"keypress", b"keyup"))
KEYSTROKE = frozenset({"keystroke"})
_WEB_REQUEST = re.compile(rb"(?:chrome|browser)\s*\.\s*webRequest\s*\.\s*on(?:BeforeSendHeaders|SendHeaders|BeforeRequest)$")
CREDENTIAL = frozenset({"credential-file"})


def _event_name(holder) -> bytes | None:
    args = [c for c in holder.named_children if c.type != "comment"]
    return args[0].text[1:-1] if args and args[0].type == "string" and len(args) >= 2 else None


def referenced_items(values, function) -> Value | None:
    """The items a function given by name to `LIST.forEach(obj.add)` / `.map(add)` receives, when LIST is a constant
    list of strings (`add: (k) => { bag[k] = process.env[k] }` then `["NODE_ENV", "PORT"].forEach(config.add)`)."""
    name = _given_name(function)
    if name is None:
        return None
    memo = values.__dict__.setdefault("_referenced_items", {})
    if function.start_byte in memo:
        return memo[function.start_byte]
    memo[function.start_byte] = None
    choices = []
    given = values.__dict__.get("_given_by_name")
    if given is None:  # every `.forEach(name)` / `.map(obj.name)` of the file, found in one pass
        given = values.__dict__["_given_by_name"] = {}
        for match in islice(_GIVEN.finditer(values.source), MAX_GIVEN):
            given.setdefault(match.group(1), []).append(match)
    for match in given.get(name, ())[:4]:
        dot = values.scopes.locate(match.start(), match.start() + 1)
        member = dot.parent if dot is not None and dot.type != "member_expression" else dot
        while member is not None and member.type != "member_expression":
            member = member.parent
        items = values.ev(member.child_by_field_name("object")).const if member is not None else None
        if not isinstance(items, list) or not 0 < len(items) <= MAX_ITEM_CHOICES or \
                not all(isinstance(i, str) for i in items):
            return None  # one site with other items: the parameter may be anything
        choices.extend(Value(i) for i in items if all(c.const != i for c in choices))
    memo[function.start_byte] = found = Value(choices=tuple(choices)) if choices else None
    return found


def _given_name(function) -> bytes | None:
    """The name a function is passed by: the key of the object entry or the variable it is bound to."""
    parent = function.parent
    if parent is None:
        return None
    if parent.type == "pair" and parent.child_by_field_name("value") == function:
        key = parent.child_by_field_name("key")
        return key.text if key is not None and key.type == "property_identifier" else None
    if parent.type == "variable_declarator" and parent.child_by_field_name("value") == function:
        name = parent.child_by_field_name("name")
        return name.text if name is not None and name.type == "identifier" else None
    if function.type == "function_declaration":
        return function.child_by_field_name("name").text
    return None


def file_callback_input(values, function, index: int) -> Value | None:
    """What the data parameter of a `fs.readFile(path, [options], (err, data) => ..)` callback receives: the file's
    contents (labelled like its path: a credential file's path makes them credential data)."""
    holder = function.parent if function is not None else None
    call = holder.parent if holder is not None and holder.type == "arguments" else None
    if index != 1 or call is None or call.type != "call_expression":
        return None
    fn = call.child_by_field_name("function")
    if fn is None or not fn.text.endswith(b"readFile"):
        return None
    name = values.ev(fn).name
    args = [c for c in holder.named_children if c.type != "comment"]
    if name not in FILE_READERS or not args or args[-1] != function:
        return None
    path = values.ev(args[0])
    if not path.labels:
        return None
    return Value(labels=path.labels, trace=(*path.trace, Step(call.start_point[0] + 1, f"{name}(...) contents given to the callback")))


_RUN_CALLBACKS = {"child_process.exec": "child_process.execSync", "child_process.execFile": "child_process.execFileSync"}


def command_callback_input(values, function, index: int) -> Value | None:
    """What the stdout/stderr parameters of an `exec(cmd, [options], (err, stdout, stderr) => ..)` callback receive:
    what the command prints, labelled as the same command run by execSync would be (`exec('whoami', (e, out) =>
    ..)`: the login name; `execFile('cat', [cred], ..)` likewise)."""
    holder = function.parent if function is not None else None
    call = holder.parent if holder is not None and holder.type == "arguments" else None
    if index not in (1, 2) or call is None or call.type != "call_expression":
        return None
    fn = call.child_by_field_name("function")
    if fn is None or not fn.text.endswith((b"exec", b"execFile")):
        return None
    name = values.ev(fn).name
    args = [c for c in holder.named_children if c.type != "comment"]
    if name not in _RUN_CALLBACKS or len(args) < 2 or args[-1] != function:
        return None
    command = values.ev(args[0]).const
    if name == "child_process.execFile" and len(args) > 2:
        listed = values.ev(args[1]).const
        command = [command, *listed] if isinstance(command, str) and isinstance(listed, list) else None
    labels = command_output_labels(_RUN_CALLBACKS[name], command)
    if not labels:
        return None
    return Value(labels=labels, trace=(Step(call.start_point[0] + 1, f"output of {name}(...) given to the callback"),))


def closure_writes(scopes, node, entries: list) -> list:
    """`+=`, `x[k] =` and `=` bindings of the name made inside functions nested in the binding scope that do not
    declare the name themselves (`res.on('data', c => body += c)` adds to the outer `body`)."""
    name = node.text.decode("utf-8", "replace")
    every = scopes.index(name)
    if len(every) == len(entries):
        return []
    own = {e[2] for e in entries}
    # scopes that declare the name (`let x;` and `for (let x of ..)` too): a write in a nested function is to the
    # nearest of them around it, which must be this binding's scope (a minified bundle's `e` is declared anew in
    # hundreds of functions; a write to one of them is not a write to the module's `e`)
    declared = {e[2] for e in every if e[0] in ("param", "def", "destructure", "import", "other", "for") or
                (e[0] == "assign" and e[1] is not None and e[1].parent is not None
                 and e[1].parent.type == "variable_declarator")}
    # a use whose only bindings are plain assignments of a function that does not declare the name (`buf = ""` in a
    # timer callback after sending it) reads the declaring function's variable: its other writers count too
    if not own & declared:
        own |= {_declaring_scope(e[1], declared) for e in entries[:8]
                if e[0] == "assign" and e[2] not in declared and getattr(e[1], "parent", None) is not None}
    # `c => body += c`, `k => { out[k] = process.env[k] }`: added to or stored in the outer name
    out = [e for e in every if e[0] in ("augassign", "setitem") and e[2] not in own and e[2] not in declared
           and _declaring_scope(e[1], declared) in own]
    for kind, what, scope in every:  # `fs.readFile(p, (e, d) => { text = d })`: the outer name may now hold d
        if kind == "assign" and scope not in own and scope not in declared and what is not None and \
                what.parent is not None and what.parent.type == "assignment_expression" and \
                _declaring_scope(what, declared) in own:
            out.append(("mayassign", what, scope))
    return out


def _declaring_scope(node, declared: set) -> int:
    """The key of the innermost function around `node` that declares the name (MODULE when none does)."""
    current = node.parent
    while current is not None:
        if current.type in FUNCTIONS and current.start_byte in declared:
            return current.start_byte
        current = current.parent
    return MODULE


def written_file(values, name: str, use) -> Value:
    """Network data written to the file `name` names: `res.pipe(fs.createWriteStream(name))`,
    `const out = fs.createWriteStream(name); res.pipe(out)`, `fs.writeFileSync(name, body)`."""
    args = use.parent
    call = args.parent if args is not None and args.type == "arguments" else None
    if call is None or call.type != "call_expression" or args.named_children[:1] != [use]:
        return NOTHING
    callee = values.ev(call.child_by_field_name("function")).name
    if callee in FILE_WRITERS:
        data = [values.ev(a) for a in args.named_children[1:2]]
        out = _downloaded(merge(data), call, name)
        if out.labels and _digest_checked(call, args.named_children[1:2]):
            # pinned to a known digest: what the file holds is what the author chose, not what the server sent
            out = Value(labels=(out.labels - {"downloaded", "network", "socket"}) | {"verified-download"}, trace=out.trace)
        return out
    if callee not in STREAM_WRITERS:
        return NOTHING
    piped = _piped_into(values, call)
    holder = call.parent
    if holder is not None and holder.type == "variable_declarator":
        stream = holder.child_by_field_name("name")
        if stream is not None and stream.type == "identifier":
            values.scopes.index(stream.text.decode("utf-8", "replace"))
            for other in values.scopes.uses.get(stream.text.decode("utf-8", "replace"), ())[:MAX_USES]:
                piped = merge((piped, _piped_into(values, other)))
    return _downloaded(piped, call, name)


def _piped_into(values, node) -> Value:
    """The labels of `X` when `node` is the argument of `X.pipe(node)`, or of the streams before it in
    `pipeline(X, ..., node)` (stream and stream/promises)."""
    args = node.parent
    call = args.parent if args is not None and args.type == "arguments" else None
    fn = call.child_by_field_name("function") if call is not None and call.type == "call_expression" else None
    if fn is None:
        return NOTHING
    if fn.type == "member_expression" and fn.child_by_field_name("property").text == b"pipe":
        return values.ev(fn.child_by_field_name("object"))
    name = values.ev(fn).name or ""
    if name.rsplit(".", 1)[-1] == "pipeline" or name == "pipeline":
        before = [a for a in args.named_children if a.type != "comment" and a.end_byte <= node.start_byte]
        return merge(values.ev(a) for a in before)
    return NOTHING


def _downloaded(data: Value, call, name: str) -> Value:
    if not data.labels & {"network", "socket"}:
        return NOTHING
    out = Value(labels=data.labels | {"downloaded"}, trace=data.trace)
    return out.with_step(call.start_point[0] + 1, f"network data written to the file {name}")


_FUNCTIONS = frozenset(("function_declaration", "function_expression", "arrow_function", "method_definition",
                        "function", "generator_function_declaration"))


def _digest_checked(call, data) -> bool:
    """The data written was hashed and the digest compared before the write, with a throw or exit on the way
    (`createHash('sha256').update(buf).digest('hex')` then `if (sum !== SUMS[t]) throw ...`): a download pinned to
    a known digest, as release-binary installers do."""
    names = _data_names(data[0]) if len(data) == 1 else None
    if not names:
        return False
    scope = call.parent
    while scope is not None and scope.type not in _FUNCTIONS:
        scope = scope.parent
    if scope is None:
        return False
    before = scope.text[:call.start_byte - scope.start_byte]
    return all(_hash_compared(before, name) for name in names)


def _data_names(node, depth: int = 0) -> list[bytes] | None:
    """The names the written data is made of: `buf`, or the names given to the calls that make it
    (`zlib.gunzipSync(buf)`, `Buffer.concat([head, body])`); None when it holds anything else but literals."""
    if node.type == "identifier":
        return [node.text]
    if depth > 2 or node.type not in ("call_expression", "array"):
        return [] if node.type in ("string", "number") else None
    args = node.child_by_field_name("arguments") if node.type == "call_expression" else node
    names: list[bytes] = []
    for child in args.named_children if args is not None else ():
        if child.type == "comment":
            continue
        found = _data_names(child, depth + 1)
        if found is None:
            return None
        names += found
    return names


def _hash_compared(before: bytes, name: bytes) -> bool:
    """`before` hashes `name` (createHash('sha256').update(name).digest(...)) and compares the digest, with a throw
    or exit on the way."""
    name = re.escape(name)
    hashed = re.search(rb"createHash\(\s*['\"`]sha(?:256|384|512)['\"`]\s*\)\s*\.update\(\s*" + name + rb"\s*\)", before)
    if hashed is None:
        return False
    after = before[hashed.end():]
    if b"digest(" not in after[:200]:
        return False
    compared = re.search(rb"[!=]==?", after)
    if compared is None:
        return False
    # a throw or exit on the way, or a return in the mismatch branch right after the comparison
    # (`if (sum !== PINS[t]) { console.warn('mismatch'); return; }`)
    return re.search(rb"\bthrow\b|process\.exit\(", after) is not None or \
        re.search(rb"\breturn\b", after[compared.end():compared.end() + 160]) is not None
