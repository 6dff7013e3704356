"""Fold disguised PHP, Ruby and shell (built strings, decoded literals, variable-held names) keeping line numbers.

Canonical forms the rules can rely on (see deobfuscate.py for Python/JS):
PHP: constant string expressions (`'sys'.'tem'`, `base64_decode('...')`, `str_rot13(...)`, `strrev`,
`gzinflate(base64_decode(...))`, `chr(115).chr(121)`) become one literal; `$f(...)` with `$f`
assigned a constant name once becomes `name(...)`; `call_user_func('name', a)` becomes `name(a)`;
`eval('<one line>')` / `assert('<one line>')` become that code.
Ruby: constant string expressions (`"sys" + "tem"`, `"metsys".reverse`, `%w[..].join`,
`Base64.decode64("...")`, `[..].pack("c*")`) become one double-quoted literal (so `send("sys"+"tem")`
reads `send("system")`); `X.const_get(<constant path>)` becomes the path; `eval("<one line>")` becomes it.
Shell: a command name held in a variable assigned a constant once (`c="ev""al"; $c ...`) becomes the
name; a variable written to a file or echoed (`echo "$LINE" >> "$RC"`, `bash -i >& "$T"`) becomes its skeleton
(semantics/lang/shell_skeleton.py: what it holds, unknown variables inside left as written); `eval "$(echo B64 | base64 -d)"`, `sh -c CONST` and `echo B64 | base64 -d | sh` become the
decoded one-line script (echo/printf piped through base64 -d, rev, xxd -r -p, rot13 `tr`).
"""
from __future__ import annotations

from . import budget as budgets
from . import fold_values as fv
from .fold_edits import Splicer
from .semantics.lang.shell_skeleton import spelled
from .semantics.lang.treeflow import shared

_PHP_LITERAL_ROOTS = frozenset(("binary_expression", "function_call_expression", "parenthesized_expression"))
_RUBY_LITERAL_ROOTS = frozenset(("binary", "call", "parenthesized_statements"))
_CODE_MAX = 2000


def fold(source: bytes, tree, language: str) -> bytes | None:
    """The folded view of a PHP, Ruby or shell file with the same line count, or None."""
    folder_class = {"php": _PhpFolder, "ruby": _RubyFolder, "shell": _ShellFolder}.get(language)
    if folder_class is None or not folder_class.TRIGGER.search(source):
        return None
    folder = folder_class(source, tree)
    folder.collect()
    if not folder.splicer:
        return None
    folder.splicer.seal()
    return folder.splicer.result()


class _Folder:
    """Walks the tree once and hands candidate nodes to a Splicer; values come from the language's adapter of
    the semantic layer (one evaluator per tree, shared with the fact rules)."""

    TRIGGER = fv.NEVER
    CANDIDATES: frozenset = frozenset()

    def __init__(self, source: bytes, tree):
        self.source = source
        self.tree = tree
        self.root = tree.root_node
        self.splicer = Splicer(source, self.rewrite, b"\n")
        self._flow = None

    def collect(self) -> None:
        stack = [self.root]
        while stack:
            node = stack.pop()
            if node.type in self.CANDIDATES:
                self.splicer.add(node)
            stack.extend(reversed(node.named_children))

    def flow_class(self):  # pragma: no cover - every folder defines it
        raise NotImplementedError

    @property
    def flow(self):
        """The adapter's flow over this tree, built (or taken from the fact rules) when a value is first needed."""
        if self._flow is None:
            self._flow = shared(self.flow_class(), self.source, self.tree, budgets.current(), None)
        return self._flow

    def rewrite(self, node) -> bytes | None:  # pragma: no cover
        raise NotImplementedError

    def value(self, node) -> str | None:
        """The node's constant value as text, or None."""
        const = self.flow.value(node).const
        if isinstance(const, bytes):
            return fv.as_text(const)
        return const if isinstance(const, str) and fv.as_text(const.encode("utf-8", "surrogatepass")) is not None \
            else None


class _PhpFolder(_Folder):
    TRIGGER = fv.PHP_TRIGGER
    CANDIDATES = frozenset(("binary_expression", "function_call_expression", "parenthesized_expression"))

    def flow_class(self):
        from .semantics.lang.scripts import PhpFlow
        return PhpFlow

    def rewrite(self, node) -> bytes | None:
        if node.type == "function_call_expression":
            special = self._call(node)
            if special is not None:
                return special
        if node.type in _PHP_LITERAL_ROOTS:
            value = self.value(node)
            if isinstance(value, str) and len(value) <= fv.LITERAL_MAX:
                return fv.php_literal(value).encode()
        return None

    def _call(self, node) -> bytes | None:
        function = node.child_by_field_name("function")
        args = fv.php_args(node)
        if function is None or args is None:
            return None
        name = fv.text(function).lower() if function.type == "name" else None
        if name in ("eval", "assert") and len(args) == 1:
            code = fv.one_line(self.value(args[0]), _CODE_MAX)
            if code is not None:
                return code.rstrip().rstrip(";").encode()
        if name in ("call_user_func",) and args:
            callee = self.value(args[0])
            if isinstance(callee, str) and fv.IDENTIFIER.match(callee):
                rest = b", ".join(self.splicer.text(a) for a in args[1:])
                return callee.encode() + b"(" + rest + b")"
        if function.type == "variable_name":
            callee = self.value(function)
            if isinstance(callee, str) and fv.IDENTIFIER.match(callee):
                arguments = node.child_by_field_name("arguments")
                return callee.encode() + self.splicer.text(arguments)
        return None


class _RubyFolder(_Folder):
    TRIGGER = fv.RUBY_TRIGGER
    CANDIDATES = frozenset(("binary", "call", "parenthesized_statements"))

    def flow_class(self):
        from .semantics.lang.scripts_ruby import RubyFlow
        return RubyFlow

    def rewrite(self, node) -> bytes | None:
        if node.type == "call":
            method = node.child_by_field_name("method")
            name = fv.text(method) if method is not None else ""
            args = fv.ruby_args(node)
            if name in fv.RUBY_EVALS and args is not None and len(args) == 1:
                code = fv.one_line(self.value(args[0]), _CODE_MAX)
                if code is not None:
                    return code.encode()
            if name == "const_get" and args and _is_receiver(node):
                path = self.value(args[0])
                if isinstance(path, str) and fv.CONSTANT_PATH.match(path):
                    return path.encode()
        if node.type in _RUBY_LITERAL_ROOTS:
            value = self.value(node)
            if isinstance(value, str) and len(value) <= fv.LITERAL_MAX:
                return fv.ruby_literal(value).encode()
        return None


def _is_receiver(node) -> bool:
    """True when the call's result is itself called on (`X.const_get(n).m`), so it can become `n.m`."""
    parent = node.parent
    return parent is not None and parent.type == "call" and parent.child_by_field_name("receiver") == node


class _ShellFolder(_Folder):
    TRIGGER = fv.SHELL_TRIGGER
    CANDIDATES = frozenset(("command_name", "command", "pipeline", "simple_expansion", "expansion"))

    def flow_class(self):
        from .semantics.lang.shell import ShellFlow
        return ShellFlow

    def rewrite(self, node) -> bytes | None:
        if node.type == "command_name":
            inner = node.named_children[0] if node.named_children else None
            if inner is None or inner.type == "word":
                return None
            value = self.value(inner)
            if isinstance(value, str) and fv.COMMAND_WORD.match(value):
                return value.encode()
            return None
        if node.type == "command":
            return self._command(node)
        if node.type in ("simple_expansion", "expansion"):
            return self._expansion(node)
        return self._pipeline(node)

    def _expansion(self, node) -> bytes | None:
        """A variable in a redirect's target or in what echo/printf write: its skeleton, so the shape rules read
        `echo "$KEY" >> "$F"` as the key and the file it appends to."""
        word, quoted = node, False
        while word.parent is not None and word.parent.type in ("string", "concatenation"):
            quoted = quoted or word.parent.type == "string"
            word = word.parent
        holder = word.parent
        if holder is None or not (holder.type == "file_redirect" and holder.child_by_field_name("destination") == word
                                  or holder.type == "command" and word.type != "command_name"
                                  and fv.text(holder.child_by_field_name("name")) in ("echo", "printf")):
            return None
        found = spelled(self.flow, node)
        if found is None:
            return None
        text, as_source = found
        if not as_source:
            text = text.replace("\\", "\\\\").replace('"', '\\"').replace("`", "\\`")
        return (text if quoted else '"' + text + '"').encode()

    def _command(self, node) -> bytes | None:
        name = node.child_by_field_name("name")
        args = node.children_by_field_name("argument")
        word = fv.text(name) if name is not None else ""
        if word == "eval" and args:
            parts = [self.value(a) for a in args]
            if all(isinstance(p, str) for p in parts):
                code = fv.one_line(" ".join(parts), _CODE_MAX)
                return code.encode() if code is not None else None
        if fv.SHELLS.match(word) and len(args) == 2 and fv.text(args[0]) == "-c":
            code = fv.one_line(self.value(args[1]), _CODE_MAX)
            return code.encode() if code is not None else None
        return None

    def _pipeline(self, node) -> bytes | None:
        commands = [c for c in node.named_children if c.type == "command"]
        if len(commands) != len(node.named_children) or len(commands) < 2:
            return None
        last = commands[-1]
        name = last.child_by_field_name("name")
        if name is None or not fv.SHELLS.match(fv.text(name)):
            return None
        if any(fv.text(a) not in ("-s", "-") for a in last.children_by_field_name("argument")):
            return None
        printed = self.flow.output(commands[-2]).const  # what the commands before the shell write to it
        code = fv.one_line(printed if isinstance(printed, str) else None, _CODE_MAX)
        return code.encode() if code is not None else None
