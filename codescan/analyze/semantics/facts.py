"""The language-neutral facts a language adapter produces: abstract values, flow steps and calls."""
from __future__ import annotations

from dataclasses import dataclass, field

MAX_TRACE = 8  # flow steps kept per value (the first and the latest ones)


from .constants import UNKNOWN  # noqa: E402  the constant interpreter's "not known" marker


@dataclass(frozen=True, slots=True)
class Step:
    """One step of a flow: the line where something happened to the data, and what."""

    line: int
    note: str


@dataclass(frozen=True, slots=True)
class Value:
    """What an expression may hold: a constant (or UNKNOWN), the labels of the sources its data came
    from (env, network, request...), the canonical name it denotes when it is a reference to a
    module, function or class (`os.system`, `builtins.eval`), how that name was found (`dynamic`
    when built at run time), and the flow steps that brought the labels here."""

    const: object = UNKNOWN
    labels: frozenset = frozenset()
    name: str | None = None
    via: str | None = None
    trace: tuple = ()
    choices: tuple = ()  # the Values a table lookup by a key not known here may give (TABLE[param])
    text: str | None = None  # a string not known entirely: its constant parts, HOLE for the rest (lang/python_skeleton)

    @property
    def known(self) -> bool:
        return self.const is not UNKNOWN

    def with_step(self, line: int, note: str) -> "Value":
        if not self.labels:
            return self
        return Value(self.const, self.labels, self.name, self.via, add_step(self.trace, Step(line, note)),
                     self.choices, self.text)


def add_step(trace: tuple, step: Step) -> tuple:
    if trace and trace[-1] == step:
        return trace
    trace = trace + (step,)
    if len(trace) > MAX_TRACE:
        trace = trace[:2] + trace[-(MAX_TRACE - 2):]
    return trace


def merge(values, const=UNKNOWN, name: str | None = None) -> Value:
    """A value whose data comes from all of `values` (labels and traces joined)."""
    labels: frozenset = frozenset()
    trace: tuple = ()
    for value in values:
        if value.labels:
            if not value.labels <= labels:
                for step in value.trace:
                    if step not in trace:
                        trace = add_step(trace, step)
            labels = labels | value.labels
    return Value(const, labels, name, None, trace)


NOTHING = Value()
# keyword arguments that configure a call rather than carry its data ("*" leaves them out)
NOT_DATA = frozenset({"auth", "cookies", "verify", "cert", "timeout", "proxies", "transport", "allow_redirects",
                      "stream", "env", "cwd", "shell", "check", "capture_output", "text", "encoding", "**",
                      "contents"})  # contents: what a file writer puts in its file (the tree-flow adapters), named only
RECEIVER = "@receiver"  # selector of the object a method is called on (`path.chmod(0o755)`: the path)
SPLAT = "**"  # keyword of the marker a call gets for a `**options` whose entries are not known: any keyword may be given


@dataclass(frozen=True, slots=True)
class Call:
    """A call site: its canonical callee, its arguments as abstract values, where it is, and the
    scope it runs in (facts in one scope can be required together)."""

    callee: str
    args: tuple = ()  # positional Values
    kwargs: tuple = ()  # (keyword, Value) pairs
    line: int = 0
    end_line: int = 0
    column: int = 1
    scope: int = -1
    via: str | None = None  # "dynamic" when the callee's name was built at run time
    receiver: Value | None = None  # the object a method was called on, when there is one
    trace: tuple = ()  # extra steps that led here (e.g. a call site reaching a function's sink)
    kwlines: tuple = ()  # the line of each keyword argument (parallel to kwargs), where known
    windows_only: bool = False  # the call sits in a branch that runs only on Windows (`if os.name == "nt":`)
    at_caller: bool = False  # a sink in a same-file function, with the arguments one of its call sites passes
    discarded: bool = False  # the path a chmod sets is deleted or replaced by the next statements (python_discard)
    stretched: bool = False  # a digest in a function that chains digests in a loop (python_stretch)

    @classmethod
    def at(cls, node, callee: str, args: tuple) -> "Call":
        """A call of `callee` with `args` reported where `node` is (a write or an entry read as a call: `el.innerHTML =
        html`, a `$where` entry, `child.stdin.end(data)`), in no particular scope."""
        return cls(callee=callee, args=args, line=node.start_point[0] + 1, end_line=node.end_point[0] + 1,
                   column=node.start_point[1] + 1, scope=-1)

    def line_of(self, value) -> int:
        """The line to report a matched argument at: a keyword argument's own line, else the call's."""
        for (_k, v), line in zip(self.kwargs, self.kwlines):
            if v is value:
                return line
        return self.line

    def may_hold_keyword(self, selectors) -> bool:
        """Whether an unknown `**options` could give one of the keyword selectors (absence is then not known)."""
        return any(k == SPLAT for k, _v in self.kwargs) and any(isinstance(s, str) and s != "*" for s in selectors)

    def selected(self, selectors) -> list[Value]:
        """The argument values named by selectors: ints are positions, strings keywords, `*` all."""
        out: list[Value] = []
        for sel in selectors:
            if sel == "*":
                return list(self.args) + [v for k, v in self.kwargs if k not in NOT_DATA]
            if sel == RECEIVER:
                if self.receiver is not None:
                    out.append(self.receiver)
            elif isinstance(sel, int):
                if 0 <= sel < len(self.args):
                    out.append(self.args[sel])
            else:
                named = [v for k, v in self.kwargs if k == sel]
                if not named and "." in sel:  # options.verify_signature: one entry of a keyword's constant mapping
                    name, key = sel.split(".", 1)  # (JS option paths such as webPreferences.nodeIntegration are
                    named = [Value(v.const[key], v.labels, None, v.via, v.trace)  # keywords of their own)
                             for k, v in self.kwargs if k == name and isinstance(v.const, dict) and key in v.const]
                out.extend(named)
        return out


@dataclass(slots=True)
class Facts:
    """Everything an adapter found in one file."""

    language: str
    calls: list = field(default_factory=list)
    # scope start -> [(caller's scope, line, name)] for each call of that same-file function (None: unknown);
    # asked lazily, only when a `together` rule found part of its facts in a function
    callers: object = None
