"""The value of a Python call: names built at run time, sources, same-file function summaries, propagation."""
from __future__ import annotations

from ..constants import UNKNOWN, Name, NotConstant, evaluate
from ..facts import NOTHING, Step, Value, merge
from ..names import canonical
from .python_codecs import codec_applied, codec_function
from .python_reflect_wrappers import imported
from .python_tables import pick
from .python_instances import WHOLE_INSTANCE, instance_class, instance_data
from .python_skeleton import method_skeleton
from ..values import public_key_only, text_of
from .python_paths import PATH_GLOBS, PATH_JOINS, join_tail, with_tail_labels
# same-file function summaries
from .python_summaries import _summary, def_start, short
from ..host_data import HOST_DATA, command_output_labels, escapes
from ..sources import clears, labels_of, narrowed, secret_key_labels
from ..text_labels import cloud_credentials_url, constant_labels
from .python_client_data import CLIENT_DATA as _CLIENT_DATA, client_params, getattr_off_by_default, \
    off_by_default

IMPORTERS = {"builtins.__import__", "importlib.import_module", "importlib.__import__"}
_LOOKUP_METHODS = {"get", "__getitem__", "pop", "setdefault"}


def arguments(node) -> tuple[list, list]:
    """(positional argument nodes, (keyword, node) pairs) of a call."""
    args = node.child_by_field_name("arguments")
    if args is None:
        return [], []
    if args.type == "generator_expression":
        return [args], []
    positional, keywords = [], []
    for child in args.named_children:
        if child.type == "keyword_argument":
            keywords.append((child.child_by_field_name("name").text.decode("utf-8", "replace"),
                             child.child_by_field_name("value")))
        elif child.type not in ("comment", "dictionary_splat"):
            positional.append(child)
    return positional, keywords


def callee_value(values, node) -> Value:
    """The Value the called expression denotes (its `name` is the canonical callee)."""
    fn = node.child_by_field_name("function")
    for _ in range(4):  # f.__call__(x) calls f (getattr(os, "startfile").__call__(cmd))
        if fn.type != "attribute" or fn.child_by_field_name("attribute").text != b"__call__":
            break
        fn = fn.child_by_field_name("object")
    built = built_name(values, fn)
    return built if built is not None else values.ev(fn)


def built_name(values, fn) -> Value | None:
    """Names built at run time in callee position: getattr(o, 'n'), o.__getattribute__('n'),
    globals().get('n') and the like (subscript forms are handled by the subscript evaluator)."""
    if fn.type != "call":
        return None
    inner = fn.child_by_field_name("function")
    args, _kw = arguments(fn)
    if inner.type == "attribute":
        method = inner.child_by_field_name("attribute").text.decode()
        owner = inner.child_by_field_name("object")
        if method in _LOOKUP_METHODS and args and values.dynamic_scope(owner) is not None:
            return values.global_name(values.ev(args[0]), fn)
        if method in _LOOKUP_METHODS and args and owner.type == "attribute" and \
                owner.child_by_field_name("attribute").text == b"__dict__":
            key = values.ev(args[0])
            base = values.ev(owner.child_by_field_name("object"))
            if isinstance(key.const, str) and base.name:
                return Value(name=canonical(f"{base.name}.{key.const}"), via="dynamic")
        if method in _LOOKUP_METHODS and args:  # ns = vars(os); ns.get("system"): an alias of a namespace
            space = values.ev(owner)
            if space.name in ("builtins.globals()", "builtins.locals()") and not space.labels:
                return values.global_name(values.ev(args[0]), fn)  # g = globals(); g.get("ex" + "ec")
            key = values.ev(args[0])
            if space.name and space.name.endswith(".__dict__") and not space.labels and \
                    isinstance(key.const, str) and key.const.isidentifier():
                return Value(name=canonical(f"{space.name[:-len('.__dict__')]}.{key.const}"), via="dynamic")
        if method == "__getattribute__" and len(args) == 1:
            return _attribute_of(values, values.ev(owner), values.ev(args[0]))
    return None


MAX_EVAL_TEXT = 300  # longest constant expression handed to eval that is evaluated in turn


def _eval_text(text: str, deadline) -> Value | None:
    """The value of `eval("<constant expression>")`: the expression is parsed on its own and evaluated
    over that small tree (free names there are the snippet's own: `request`, `os`...)."""
    from ... import languages
    from .python_values import PyValues
    source = text.encode("utf-8", "replace")
    tree = languages.parser("python").parse(source)
    root = tree.root_node
    if root.has_error or root.named_child_count != 1 or root.named_children[0].type != "expression_statement":
        return None
    statement = root.named_children[0]
    if statement.named_child_count != 1:
        return None
    return PyValues(source, root, deadline).ev(statement.named_children[0])


def _attribute_of(values, owner: Value, attr: Value) -> Value:
    if not isinstance(attr.const, str) or not attr.const.isidentifier():
        return Value(UNKNOWN, owner.labels | attr.labels, None, "dynamic", owner.trace or attr.trace)
    if owner.name in ("builtins",):
        return Value(name=canonical(attr.const), via="dynamic")
    if owner.name:
        return Value(name=canonical(f"{owner.name}.{attr.const}"), via="dynamic")
    return Value(UNKNOWN, owner.labels, None, "dynamic", owner.trace)


def attrgetter_applied(values, getter, target) -> Value | None:
    """What `operator.attrgetter("a.b")` applied to `target` reads: the attribute named by the constant."""
    if getter.type != "call":
        return None
    bound, keywords = arguments(getter)
    path = values.ev(bound[0]).const if len(bound) == 1 and not keywords else None
    if not isinstance(path, str) or not 0 < len(path) <= 200:
        return None
    value = values.ev(target)
    for part in path.split("."):
        value = _attribute_of(values, value, Value(part))
    return value


MAX_REDUCED = 8  # attribute names a reduce(getattr, names, obj) folds


def _getattr_folded(values, args) -> Value | None:
    """`functools.reduce(getattr, names, obj)`: obj's attribute chain along a constant list of names."""
    if values.ev(args[0]).name != "builtins.getattr":
        return None
    names = values.ev(args[1]).const
    if not isinstance(names, (list, tuple)) or not 0 < len(names) <= MAX_REDUCED or \
            not all(isinstance(n, str) for n in names):
        return None
    value = values.ev(args[2])
    for part in names:
        value = _attribute_of(values, value, Value(part))
    return value


def call_value(values, node) -> Value:
    line = node.start_point[0] + 1
    callee = callee_value(values, node)
    name = callee.name
    args, keywords = arguments(node)
    if name == "builtins.getattr" and len(args) >= 2:
        got = _attribute_of(values, values.ev(args[0]), values.ev(args[1]))
        if len(args) == 3 and got.name and isinstance(default := values.ev(args[2]).const, str):
            # getattr(settings, "CONSOLE_TOKEN", "c0ns0le-m41nt"): wherever the setting is not made, the default
            return Value(got.const, got.labels | CONFIGURED_DEFAULT, got.name, got.via, got.trace, (), default)
        if len(args) == 3 and getattr_off_by_default(args[0], values.ev(args[2]).const):
            # getattr(settings, "VERIFY_TLS", False): off wherever the deployment does not set it
            return Value(got.const, got.labels | _OFF_BY_DEFAULT, got.name, got.via, got.trace)
        return got
    if name in ("functools.reduce", "_functools.reduce") and len(args) == 3 and not keywords:
        got = _getattr_folded(values, args)
        if got is not None:  # functools.reduce(getattr, ["path", "join"], os): os.path.join, named at run time
            return got
    if name == "operator.attrgetter()" and len(args) == 1 and not keywords:
        got = attrgetter_applied(values, node.child_by_field_name("function"), args[0])
        if got is not None:  # operator.attrgetter("loads")(pickle): pickle.loads, named at run time
            return got
    if not keywords and (found := codec_function(values, name, args) or codec_applied(values, name, args, line)):
        return found  # dec = codecs.getdecoder("rot13"); dec(blob)[0]
    if name == "sys.modules.get" and args:  # sys.modules.get("o" "s"): the module of that name (when imported)
        module = values.ev(args[0])
        if isinstance(module.const, str) and module.const.replace(".", "").replace("_", "").isalnum():
            return Value(name=canonical(module.const), via="dynamic")
    if name in ("builtins.staticmethod", "builtins.classmethod") and len(args) == 1 and not keywords:
        return values.ev(args[0])  # class C: run = staticmethod(exec) — C.run is exec
    if name == "pytest.importorskip" and args:
        # yaml = pytest.importorskip("yaml"): the module itself, imported by its written name (a test's import)
        module = values.ev(args[0])
        if isinstance(module.const, str) and module.const.replace(".", "").replace("_", "").isalnum():
            return Value(name=canonical(module.const))
    if name in IMPORTERS and args:
        module = values.ev(args[0])
        if isinstance(module.const, str) and module.const.replace(".", "").replace("_", "").isalnum():
            # __import__("urllib.request") is the package urllib (its .request is the submodule)
            given = imported(name, module.const, len(args), any(k == "fromlist" for k, _v in keywords))
            return Value(name=canonical(given), via="dynamic")
        return Value(UNKNOWN, module.labels, None, "dynamic", module.trace)
    if name in ("inspect.getdoc", "pydoc.getdoc") and len(args) == 1 and not keywords:
        from .python_access import doc_read
        doc = doc_read(values, node, args)
        if doc is not None:
            return doc  # inspect.getdoc(_bootstrap): a docstring of this file
    if _reads_own_file(name, node, args):  # open(__file__).read(), Path(__file__).read_text()
        from .python_access import own_source
        return own_source(node, "its own source file read")
    fn = node.child_by_field_name("function")
    if fn.type == "attribute" and fn.child_by_field_name("attribute").text.decode() in _LOOKUP_METHODS:
        looked_up = built_name(values, node)  # handler = vars(builtins).get("ex" + "ec"); handler(x)
        if looked_up is not None and looked_up.name:
            return looked_up
    if name in WHOLE_INSTANCE and args:  # vars(ctx), asdict(ctx): every attribute of a same-file class's instance
        held = values.ev(args[0])
        cls = instance_class(values, held)
        if cls is not None:  # with what was poured into this one (`ctx.__dict__.update(os.environ)`)
            data = instance_data(values, cls, line)
            return data if not held.labels else merge([data, Value(UNKNOWN, held.labels, None, None, held.trace)])
    if name == "builtins.vars" and len(args) == 1 and not keywords:
        # table = vars(builtins); table["exec"]: the alias is the module's namespace, looked up later
        module = values.ev(args[0])
        if module.name and not module.labels and not module.name.startswith("<") and not module.name.endswith(")"):
            return Value(name=f"{module.name}.__dict__", via="dynamic")
    if name in ("builtins.eval",) and len(args) == 1:
        code = values.ev(args[0])
        if isinstance(code.const, str) and code.const.replace(".", "").replace("_", "").isalnum() \
                and not code.const[:1].isdigit():
            return Value(name=canonical(code.const), via="dynamic")
        if isinstance(code.const, str) and len(code.const) <= MAX_EVAL_TEXT:
            inner = _eval_text(code.const, values.deadline)
            if inner is not None:
                return inner.with_step(line, "eval of a constant expression")
    fn = node.child_by_field_name("function")
    if fn.type == "attribute" and fn.child_by_field_name("attribute").text == b"get" and 1 <= len(args) <= 2 \
            and not keywords:  # MODES.get(level, AES.MODE_GCM) on a table known here
        table = values.ev(fn.child_by_field_name("object"))
        if isinstance(table.const, dict):
            picked = pick(values, table, values.ev(args[0]), args[0], values.ev(args[1]) if len(args) == 2 else None)
            if picked is not None:
                return picked
    text = _builtin_text(name, callee, args, values)
    if text is not None:
        return Value(text)
    if name == "builtins.dict" and len(args) == 1:  # dict(DEFAULTS, timeout=3): a copy, updated
        base = values.ev(args[0])
        if isinstance(base.const, dict):
            items = {k: values.ev(v) for k, v in keywords}
            merged = merge([base, *items.values()])
            const = {**base.const, **{k: element(v) for k, v in items.items()}}
            return Value(const, merged.labels, None, None, merged.trace)
    if name in ("builtins.dict", "builtins.list", "builtins.set") and not args:
        if name == "builtins.dict":
            items = {k: values.ev(v) for k, v in keywords}
            merged = merge(items.values())
            return Value({k: element(v) for k, v in items.items()}, merged.labels, None, None, merged.trace)
        return Value([] if name == "builtins.list" else UNKNOWN)
    if def_start(name) is not None:
        return _summary(values, node, callee, args, keywords, line)
    labels = labels_of(name)
    if not name and callee.choices:  # for load in (browser_cookie3.chrome, ...): load() reads what each reads
        labels = labels.union(*(labels_of(c.name) for c in callee.choices if c.name))
    arg_values = [values.ev(a) for a in args] + [values.ev(v) for _k, v in keywords]
    if args and arg_values[0].known:  # check_output(["whoami"]): what the command prints is who runs it
        labels = labels | command_output_labels(name, arg_values[0].const)
    receiver = NOTHING
    fn = node.child_by_field_name("function")
    if fn.type == "attribute":
        receiver = values.ev(fn.child_by_field_name("object"))
    const = UNKNOWN
    if all(v.known or _builtin_function(name, i, v) for i, v in enumerate(arg_values)) and \
            (receiver.known or receiver.name or fn.type == "identifier"):
        try:
            const = evaluate(node, values)
        except NotConstant:
            const = UNKNOWN
    splats = _splat_values(values, node)  # "{u}@{h}".format(**info), f(*parts): their data goes in too
    if splats:
        arg_values = arg_values + splats
    if clears(name):
        kept = constant_labels(const) if const is not UNKNOWN else frozenset()
        if name == "json.loads" and arg_values:  # json.loads(event["body"]): the client's fields, parsed
            # json.loads(line) of a parameter: what a caller passes, kept only where it is a client's (`:client`)
            client = (arg_values[0].labels & _CLIENT_DATA) | client_params(arg_values[0].labels)
            if client:
                return Value(const, kept | client, None, None, arg_values[0].trace).with_step(line, "json.loads(...)")
        if escapes(name):  # repr(x), shlex.quote(x): no longer an injection, still the host's data when sent
            held = merge(arg_values)
            kept = kept | (held.labels & HOST_DATA)
            if kept - constant_labels(const if const is not UNKNOWN else ""):
                return Value(const, kept, None, None, held.trace).with_step(line, f"{short(name)}(...)")
        return Value(const, kept)
    result_name = f"{name}()" if name else None
    if labels:
        base = merge([receiver, *arg_values], const, result_name)
        shown = short(name) if name else " or ".join(c.name for c in callee.choices if c.name)
        step = Step(line, f"{shown}(...) ({', '.join(sorted(labels))})")
        trace = base.trace + (step,)
        out_labels = narrowed(base.labels | labels | constant_labels(const), name)
        if callee.via == "dynamic":  # getattr(socket, "gethost" + "name")(): the source itself hidden from a reader
            out_labels = out_labels | {"concealed"}
        if arg_values:
            out_labels = secret_key_labels(out_labels, arg_values[0])
        if "network" in labels and arg_values and cloud_credentials_url(arg_values[0]):
            out_labels = out_labels | {"credential-file"}  # the instance role's keys from the metadata service
        if "env-var" in labels and len(args) > 1 and arg_values[1].const is not None and \
                not isinstance(arg_values[1].const, str) and arg_values[1].const == 0:
            # os.getenv("VERIFY_TLS", False): False unless the variable is set (then a string, always true)
            out_labels = out_labels | _OFF_BY_DEFAULT
        if "env-var" in labels and len(args) > 1 and isinstance(arg_values[1].const, str):
            # os.environ.get("CMD", "curl … | sh"): unless the variable is set, the default is the value
            default = arg_values[1].const
            return Value(const, out_labels | constant_labels(default) | CONFIGURED_DEFAULT, result_name, None, trace,
                         (), default)
        return Value(const, out_labels, result_name, None, trace)
    out = merge([receiver, *arg_values], const, result_name)
    if off_by_default(fn, arg_values):  # settings.get("JWT_VERIFY", False): off unless the setting is made
        out = Value(out.const, out.labels | _OFF_BY_DEFAULT, out.name, out.via, out.trace)
    if const is not UNKNOWN:
        extra = constant_labels(const)
        if extra:
            out = Value(const, out.labels | extra, result_name, None, out.trace)
    elif name in PATH_JOINS:  # os.path.join(home, ".config", "systemd", "user"): what the known end names
        out = with_tail_labels(out, join_tail(arg_values))
    elif name in PATH_GLOBS and arg_values and isinstance(arg_values[-1].const, str):  # ssh.glob("*.pub")
        out = public_key_only(out, arg_values[-1].const)
    elif fn.type == "attribute" and (receiver.known or receiver.text or
                                     fn.child_by_field_name("attribute").text == b"replace"):
        text = method_skeleton(values, fn.child_by_field_name("attribute").text.decode("utf-8", "replace"),
                               receiver, args, keywords)  # "curl {} | sh".format(url): the shape is known
        if text is not None:
            out = Value(UNKNOWN, out.labels, out.name, None, out.trace, (), text)
    if name in _URL_REQUESTS and arg_values and out.text is None:
        # urllib.request.Request(url, data=...): urlopen(req) goes where url says (rules test the address)
        url = arg_values[0]
        text = text_of(url) if url.known else url.text
        if isinstance(text, str):
            out = Value(out.const, out.labels, out.name, out.via, out.trace, (), text)
    if out.labels and name:
        out = out.with_step(line, f"{short(name)}(...)")
    if callee.via == "dynamic" and out.via is None and out.name == result_name and result_name:
        # mod = __import__("paramiko.client"); c = mod.SSHClient(): c's methods were reached at run time too
        out = Value(out.const, out.labels, out.name, "dynamic", out.trace)
    return out


_OFF_BY_DEFAULT = frozenset({"off-by-default"})
_URL_REQUESTS = frozenset(("urllib.request.Request", "urllib2.Request"))
# a setting read with a constant text as its default (os.environ.get("K", "…"), getattr(settings, "K", "…")): the
# value's text is that default wherever the setting is not made
CONFIGURED_DEFAULT = frozenset({"configured-default"})
# what a client or peer sent stays theirs when parsed from JSON (as request.get_json() / resp.json() keep it)
_OPENERS = frozenset(("builtins.open", "io.open", "codecs.open", "tokenize.open", "linecache.getlines"))


def _reads_own_file(name, node, args) -> bool:
    """open(__file__) / Path(__file__).read_text(): the file itself (not a file next to it), read."""
    if name in _OPENERS:
        return bool(args) and args[0].text == b"__file__"
    fn = node.child_by_field_name("function")
    if fn.type != "attribute" or fn.child_by_field_name("attribute").text not in (b"read_text", b"read_bytes", b"open"):
        return False
    holder = fn.child_by_field_name("object")
    if holder.type != "call" or not holder.child_by_field_name("function").text.endswith(b"Path"):
        return False
    inner, _keywords = arguments(holder)
    return len(inner) == 1 and inner[0].text == b"__file__"


def _splat_values(values, node) -> list:
    """The values of a call's `**mapping` arguments (a `*items` one is positional and already read)."""
    args = node.child_by_field_name("arguments")
    if args is None or args.type != "argument_list":
        return []
    return [values.ev(c.named_children[0]) for c in args.named_children
            if c.type == "dictionary_splat" and c.named_children][:4]


_CLASSES = frozenset("str int float bool bytes bytearray dict list tuple set frozenset type object complex "
                     "range slice memoryview property classmethod staticmethod super enumerate zip map filter "
                     "reversed".split())


def element(value: Value):
    """What a container holds for a value: its constant, else the name it denotes, else UNKNOWN."""
    if value.known:
        return value.const
    return Name(value.name) if value.name else UNKNOWN


def _builtin_function(name: str | None, i: int, value: Value) -> bool:
    """map(chr, [101, 120]): the function map is given is a builtin the constant interpreter applies itself."""
    return name == "builtins.map" and i == 0 and not value.labels and bool(value.name) and \
        value.name.startswith("builtins.") and value.name.count(".") == 1


def _builtin_text(name: str | None, callee: Value, args, values) -> str | None:
    """`str(oct)`, `oct.__str__()`, `repr(chr)`: the text Python prints for a builtin (names are
    built from its letters)."""
    target = None
    if name in ("builtins.str", "builtins.repr", "builtins.format") and len(args) == 1:
        target = values.ev(args[0]).name
    elif name and name.endswith((".__str__", ".__repr__", ".__format__")) and not args:
        target = name.rsplit(".", 1)[0]
    elif name and name.endswith(".__str__") and len(args) == 1:
        target = name.rsplit(".", 1)[0]
    if not target or not target.startswith("builtins.") or target.count(".") != 1 \
            or not target[len("builtins."):].isidentifier():  # `str(dict(x))` is the text of a result, not of `dict`
        return None
    short_name = target[len("builtins."):]
    if short_name in _CLASSES:
        return f"<class '{short_name}'>"
    return f"<built-in function {short_name}>"
