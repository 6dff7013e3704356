"""Rust `std::process::Command` builders: the program and arguments a run call (`.spawn()`, `.output()`,
`.status()`, `.exec()`) starts, gathered over the method chain and over `c.arg(..)` statements on a variable;
the facts such a run gives (the command, `chmod` as shell.chmod, a curl/wget/nc as that client's send, `sh -c
LINE` read as a command line) and the file a curl/wget `-o F` writes."""
from __future__ import annotations

from ..facts import Call, Value
from .command_strings import network_client
from .rust_macros import macro_name, pieces, piece_value
from .rust_names import unwrap
from .shell_downloads import download_target

COMMAND = "std.process.Command"
RUNS = frozenset(("spawn", "output", "status", "exec"))
ADDS = frozenset(("arg", "args"))
# builder methods that configure the process without adding to its command line
SETTINGS = frozenset(("env", "envs", "env_remove", "env_clear", "current_dir", "stdin", "stdout", "stderr", "uid",
                      "gid", "process_group", "kill_on_drop", "creation_flags", "arg0", "pre_exec", "groups"))
SHELLS = frozenset(("sh", "bash", "zsh", "dash", "ksh", "fish"))
CLIENTS = frozenset(("curl", "wget", "nc", "ncat", "netcat"))
MAX_ARGS = 64


class Word:
    """One word of a command line: the node it is written at (None when it came from a list) and its value."""

    __slots__ = ("node", "value")

    def __init__(self, node, value: Value):
        self.node, self.value = node, value


def command_words(flow, node, depth: int = 0) -> list[Word] | None:
    """The program and arguments of the Command an expression builds, else None (not a Command)."""
    node = unwrap(node)
    if node is None or depth > 64:
        return None
    if node.type == "identifier":
        return _held(flow, node, depth)
    if node.type != "call_expression":
        return None
    function = node.child_by_field_name("function")
    args = _args(node)
    if function is None:
        return None
    if function.type in ("scoped_identifier", "generic_function"):
        parts = flow.parts(node)
        if parts and parts[0] == COMMAND + ".new" and args:
            return [Word(args[0], flow.value(args[0]))]
        return None
    if function.type != "field_expression":
        return None
    method = function.child_by_field_name("field").text.decode("utf-8", "replace")
    if method not in ADDS and method not in SETTINGS:
        return None
    base = command_words(flow, function.child_by_field_name("value"), depth + 1)
    if base is None:
        return None
    return (base + added(flow, method, args))[:MAX_ARGS]


def added(flow, method: str, args: list) -> list[Word]:
    """The words `.arg(x)` / `.args(xs)` add to a command line."""
    if method == "arg" and args:
        return [Word(args[0], flow.value(args[0]))]
    if method == "args" and args:
        return list_words(flow, args[0])
    return []


def list_words(flow, node) -> list[Word]:
    """The words of a list argument: `["-c", x]`, `&[..]`, `vec![..]`, a variable holding one, a list constant."""
    inner = unwrap(node)
    if inner is not None and inner.type == "array_expression":
        return [Word(c, flow.value(c)) for c in inner.named_children if "comment" not in c.type][:MAX_ARGS]
    if inner is not None and inner.type == "macro_invocation" and macro_name(inner) == "vec":
        return [Word(p[-1] if len(p) == 1 else None, piece_value(flow, p)) for p in pieces(inner)]
    if inner is not None and inner.type == "identifier":
        bound = flow.handle_binding(inner, inner)
        if bound is not None and unwrap(bound) is not None and unwrap(bound).type in ("array_expression",
                                                                                      "macro_invocation"):
            return list_words(flow, bound)
    value = flow.value(node)
    if isinstance(value.const, (list, tuple)) and all(isinstance(v, str) for v in value.const):
        return [Word(None, Value(v, value.labels, None, None, value.trace)) for v in value.const]
    return [Word(node, value)]


def _held(flow, ident, depth: int) -> list[Word] | None:
    """A Command held in a variable: the `let` that built it, then each `c.arg(..)` / `c.args(..)` before here."""
    scope = flow.binding_scope(ident)
    name = ident.text.decode("utf-8", "replace")
    events = [e for e in scope.events.get(name, []) if e.pos < ident.start_byte]
    start = max((i for i, e in enumerate(events) if e.kind == "set"), default=None)
    if start is None or events[start].node is None:
        return None
    words = command_words(flow, events[start].node, depth + 1)
    if words is None:
        return None
    for event in events[start + 1:]:
        call = event.node
        if event.kind != "add" or call is None or call.type != "call_expression":
            continue
        words = words + (chain_added(flow, call) or [])
    return words[:MAX_ARGS]


def chain_root(call):
    """The variable a chain of builder calls starts from (`c` of `c.arg("-c").arg(x)`), else None."""
    node = call
    for _ in range(MAX_ARGS):
        if node is None or node.type != "call_expression":
            break
        function = node.child_by_field_name("function")
        if function is None or function.type != "field_expression":
            return None
        method = function.child_by_field_name("field").text.decode("utf-8", "replace")
        if method not in ADDS and method not in SETTINGS:
            return None
        node = unwrap(function.child_by_field_name("value"))
    return node if node is not None and node.type == "identifier" else None


def chain_added(flow, call) -> list[Word] | None:
    """The words a statement `c.arg(a).args([b, c])` adds to the Command held in `c`, in order."""
    steps = []
    node = call
    while node is not None and node.type == "call_expression" and len(steps) < MAX_ARGS:
        function = node.child_by_field_name("function")
        if function is None or function.type != "field_expression":
            return None
        steps.append((function.child_by_field_name("field").text.decode("utf-8", "replace"), _args(node)))
        node = unwrap(function.child_by_field_name("value"))
    out: list[Word] = []
    for method, args in reversed(steps):
        out.extend(added(flow, method, args))
    return out[:MAX_ARGS]


def run_call(flow, node) -> list[Word] | None:
    """The command a `.spawn()` / `.output()` / `.status()` / `.exec()` call runs, else None."""
    function = node.child_by_field_name("function")
    if function is None or function.type != "field_expression":
        return None
    if function.child_by_field_name("field").text.decode("utf-8", "replace") not in RUNS:
        return None
    return command_words(flow, function.child_by_field_name("value"))


def program(words: list[Word]) -> str | None:
    """The program's base name when it is a constant (`/usr/bin/curl` -> curl)."""
    first = words[0].value.const if words else None
    return first.replace("\\", "/").rsplit("/", 1)[-1].lower().removesuffix(".exe") if isinstance(first, str) \
        else None


def facts(flow, node, scope, words: list[Word]) -> list[Call]:
    """The facts of one run: the command itself; chmod as `shell.chmod`; curl/wget/nc (or `sh -c` starting with
    one) as that client's send, as `shell.curl` is in a script."""
    where = dict(line=node.start_point[0] + 1, end_line=node.end_point[0] + 1, column=node.start_point[1] + 1,
                 scope=scope.id)
    name = program(words)
    target = _target_index(words)
    if target is not None:  # the file curl -o writes is not run by this command: it holds no download yet
        kept = words[target].value
        words = list(words)
        words[target] = Word(words[target].node, Value(kept.const, kept.labels - {"network", "downloaded"}, kept.name,
                                                       kept.via, kept.trace))
    values = tuple(w.value for w in words)
    out = []
    if name == "chmod":
        out.append(Call(callee="shell.chmod", args=values[1:], **where))
    else:
        out.append(Call(callee=COMMAND, args=values, **where))
    if name in CLIENTS:
        out.append(Call(callee="shell." + ("nc" if name == "netcat" else name), args=values[1:], **where))
    line = shell_line(words)
    if line is not None:
        sender = network_client("sh -c", _Text(line))
        if sender is not None:
            out.append(Call(callee=sender, args=(line.value,), **where))
    return out


def shell_line(words: list[Word]) -> Word | None:
    """The LINE of `sh -c LINE`."""
    if len(words) >= 3 and program(words) in SHELLS and words[1].value.const == "-c":
        return words[2]
    return None


class _Text:
    """The text network_client reads: the line's constant, else the format string it is built from."""

    def __init__(self, word: Word):
        const = word.value.const
        text = const if isinstance(const, str) else ""
        node = unwrap(word.node)
        if not text and node is not None and node.type == "macro_invocation":
            args = pieces(node)
            first = args[0] if args else []
            text = first[0].text.decode("utf-8", "replace").strip('"') if len(first) == 1 else ""
        self.text = text.encode()


def _target_index(words: list[Word]) -> int | None:
    """The position of the file curl/wget writes its download to (`-o F`, `-O F`), else None."""
    name = program(words)
    if name not in ("curl", "wget"):
        return None
    texts = [w.value.const if isinstance(w.value.const, str) else f"\0{i}" for i, w in enumerate(words)]
    target = download_target(name, texts[1:])
    if target is None:
        return None
    try:
        return texts.index(target, 1)
    except ValueError:  # written joined to its flag (-oFILE): no word of its own
        return None


def download(flow, node, words: list[Word]):
    """(path node, None) when the run is curl/wget writing its download to a file (`-o F`, `-O F`)."""
    index = _target_index(words)
    return (words[index].node, None) if index is not None and words[index].node is not None else None


def _args(node) -> list:
    args = node.child_by_field_name("arguments")
    return [c for c in args.named_children if "comment" not in c.type] if args is not None else []
