"""Ruby adapter: Kernel methods as canonical callees (`Kernel.system`, backticks and `%x`, `send(:system, ...)`),
params/cookies/ENV as sources, a bare name of a method of the file as a call of it."""
from __future__ import annotations

import re

from ..constants import UNKNOWN
from ..facts import NOTHING, Value, merge
from . import script_consts as sc
from .concepts import env_labels
from .scripts import _ScriptFlow, _args, _text
from .treeflow import join, labelled

RUBY_KERNEL = frozenset(("system", "exec", "spawn", "eval", "open", "instance_eval", "class_eval", "module_eval",
                         "fork", "syscall", "load", "require", "binding"))
RUBY_SENDS = frozenset(("send", "public_send", "__send__", "method", "instance_exec"))
RUBY_REQUEST = frozenset(("params", "cookies", "request"))


class RubyFlow(_ScriptFlow):
    BINDINGS = frozenset(("assignment", "operator_assignment", "binary"))
    language = "ruby"
    SCOPES = frozenset(("method", "singleton_method", "lambda", "block", "do_block"))
    CALLS = frozenset(("call", "subshell"))
    RETURNS = frozenset(("return",))

    def params(self, node):
        plist = node.child_by_field_name("parameters")
        return [(_text(p), NOTHING) for p in (plist.named_children if plist is not None else [])
                if p.type == "identifier"]

    def param_value(self, scope, name, event):
        value = super().param_value(scope, name, event)
        holder = scope.node.parent
        if event.index == 0 and scope.node.type in ("block", "do_block") and holder is not None and \
                holder.type == "call" and holder.child_by_field_name("block") == scope.node:
            # `URI.open(url) do |remote|`: the block is given what the call opened (network data, a file...)
            given = self.value(holder)
            if given.labels:
                return merge([value, given.with_step(holder.start_point[0] + 1, f"given to the block as {name}")])
        return value

    def file_write(self, node):
        written = super().file_write(node)
        if written is not None or node.type != "call":
            return written
        # File.open(path, 'wb') { |f| f.write(data) }: the block writes the data through its parameter
        parts = self.parts(node)
        block = node.child_by_field_name("block")
        if parts is None or parts[0] not in ("File.open", "File.new", "Kernel.open") or block is None or \
                len(parts[3]) < 2:
            return None
        mode = self.value(parts[3][1]).const
        params = block.child_by_field_name("parameters")
        names = [c for c in params.named_children if c.type == "identifier"] if params is not None else []
        if not isinstance(mode, str) or not re.search(r"[wa]", mode) or not names:
            return None
        handle = names[0].text
        stack = [block.child_by_field_name("body")]
        while stack:
            current = stack.pop()
            if current is None:
                continue
            if current.type == "call" and current.child_by_field_name("receiver") is not None and \
                    current.child_by_field_name("receiver").text == handle and \
                    _text(current.child_by_field_name("method")) in ("write", "print", "puts", "syswrite", "<<"):
                args = _args(current)
                if args:
                    return parts[3][0], args[0]
            if current.type == "binary" and current.child_by_field_name("left") is not None and \
                    current.child_by_field_name("left").text == handle and current.child_by_field_name("operator").text == b"<<":
                return parts[3][0], current.child_by_field_name("right")
            stack.extend(reversed(current.named_children))
        return None

    def returns_of(self, scope, call):
        body = scope.node.child_by_field_name("body")
        last = body.named_children[-1] if body is not None and body.named_children else None
        if last is not None and last not in scope.returns:
            scope.returns.append(last)
        return super().returns_of(scope, call)

    def bindings(self, node):
        kind = node.type
        if kind in ("assignment", "operator_assignment"):
            left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
            if left is None or right is None:
                return ()
            how = "add" if kind == "operator_assignment" else "set"
            if left.type in ("identifier", "constant", "global_variable"):
                return [(_text(left), how, right)]
            if left.type in ("instance_variable", "class_variable"):
                return [(_text(left), "field-" + how, right)]
            receiver = left.child_by_field_name("receiver") if left.type == "call" else None
            if receiver is not None and receiver.type == "identifier":
                # `uri.query = ...`, `req.body = data`: the object holds what is put in it (added to what it had)
                return [(_text(receiver), "add", right)]
        if kind == "binary" and node.parent is not None and node.parent.type in ("program", "body_statement"):
            op = node.child_by_field_name("operator")
            left = node.child_by_field_name("left")
            if op is not None and op.text == b"<<" and left is not None and left.type == "identifier":
                return [(_text(left), "add", node.child_by_field_name("right"))]
        return ()

    def name_of(self, node):
        if node.type in ("identifier", "constant") and node.parent is not None and \
                not (node.parent.type == "call" and node.parent.child_by_field_name("method") == node):
            return _text(node)
        return None

    def lookup(self, name, node):
        value = super().lookup(name, node)
        if value is NOTHING and not self.bound_in_scope(name, node):
            if name in RUBY_REQUEST:
                return labelled(("request",), node.start_point[0] + 1, name)
            if name in self.functions and name[:1].islower():  # `script = body`: a call of the method body
                return self.returns_of(self.functions[name], node)
        return value

    def field_of(self, node):
        return _text(node) if node.type in ("instance_variable", "class_variable") else None

    def literal(self, node):
        kind = node.type
        if kind == "string":
            parts = node.named_children
            if all(c.type in ("string_content", "escape_sequence") for c in parts):
                text = sc.ruby_string(_text(node))
                return Value(text) if text is not UNKNOWN else \
                    Value(re.sub(r"\\(.)", r"\1", "".join(_text(c) for c in parts)))
            return join([Value(_text(c)) if c.type == "string_content" else self.value(c) for c in parts], "")
        if kind in ("simple_symbol",):
            return Value(_text(node).lstrip(":"))
        if kind == "integer":
            try:
                return Value(sc.script_int(_text(node)))
            except ValueError:
                return NOTHING
        if kind in ("true", "false"):
            return Value(kind == "true")
        if kind == "nil":
            return Value(None)
        if kind == "escape_sequence":
            text = sc.unescaped(_text(node))
            return Value(text) if text is not UNKNOWN else NOTHING
        return None

    def constant_call(self, callee, node, args, receiver):
        method = (callee or "").rsplit(".", 1)[-1]
        parts = self.parts(node)
        recv_node = parts[2] if parts else None
        if receiver is None or not all(a.known for a in args):
            return None
        items = self.elements(recv_node) if method in ("join", "pack") else None
        if items is None and not receiver.known:
            return None
        return self.built(sc.ruby_call(method, receiver.const, [a.const for a in args], items), [receiver] + list(args))

    def elements(self, node, depth: int = 0):
        if node is not None and node.type == "call" and depth < 4 and node.child_by_field_name("arguments") is None:
            method = node.child_by_field_name("method")  # %w[l a v e].reverse.join: the array's items reversed
            if method is not None and _text(method) == "reverse":
                items = self.elements(node.child_by_field_name("receiver"), depth + 1)
                return items[::-1] if items is not None else None
        if node is None or node.type not in ("array", "string_array"):
            return None
        items = [_text(c) if c.type == "bare_string" else self.value(c).const for c in node.named_children]
        return items if all(isinstance(i, (str, bytes, int)) for i in items) else None

    def special(self, node):
        kind = node.type
        if kind == "interpolation":  # "#{x}": the one expression's value (its constant too, when known)
            inner = [c for c in node.named_children if c.type != "comment"]
            return self.value(inner[0]) if len(inner) == 1 else merge(self.value(c) for c in inner)
        if kind == "element_reference" and node.named_children:
            obj = node.named_children[0]
            line = node.start_point[0] + 1
            if _text(obj) == "ENV":
                key = self.value(node.named_children[1]).const if len(node.named_children) > 1 else None
                return labelled(env_labels(key), line, "ENV[...]")
        if kind == "array":
            return join([self.value(c) for c in node.named_children])
        if kind == "string_array":
            return Value(" ".join(_text(c) for c in node.named_children))
        if kind == "subshell":
            return self._interpolated(node)
        return None

    def _interpolated(self, node) -> Value:
        return join([Value(_text(c)) if c.type == "string_content" else self.value(c) for c in node.named_children],
                    "")

    def call_parts(self, node):
        if node.type == "subshell":
            return "Kernel.backtick", None, None, [_Whole(node)], [], None
        method = _text(node.child_by_field_name("method"))
        receiver = node.child_by_field_name("receiver")
        args = _args(node)
        if method in RUBY_SENDS and args:
            target = self.value(args[0]).const
            if isinstance(target, str) and re.fullmatch(r"\w+[?!]?", target):
                if receiver is None or _text(receiver) in ("Kernel", "self", "Object") or target in RUBY_KERNEL:
                    return f"Kernel.{target}", None, None, args[1:], [], "dynamic"
                return f"*.{target}", None, receiver, args[1:], [], "dynamic"
        if receiver is None:
            if method in RUBY_KERNEL:
                return f"Kernel.{method}", method, None, args, [], None
            if method == "sh" and args and method not in self.functions:  # Rake's sh "cmd": FileUtils#sh
                return "FileUtils.sh", method, None, args, [], None
            if method == "render" and method not in self.functions:  # a Rails controller's render inline: TEXT
                pairs = _pairs(args)
                if pairs:
                    return "ActionController.render", method, None, [], pairs, None
            return None, method, None, args, [], None
        pairs = _pairs(args)
        args = [a for a in args if a.type != "pair"]  # where(name: x): keywords, not the SQL text
        if receiver.type in ("constant", "scope_resolution"):
            scope = _text(receiver).replace("::", ".").lstrip(".")
            if scope == "Kernel" and method in RUBY_KERNEL:
                return f"Kernel.{method}", None, None, args, pairs, None
            return f"{scope}.{method}", None, None, args, pairs, None
        return f"*.{method}", None, receiver, args, pairs, None

    def value(self, node):
        if isinstance(node, _Whole):
            return self._interpolated(node.node)
        return super().value(node)


def _pairs(args) -> list:
    """(keyword, value node) of a call's `key: value` arguments (`where(name: x)`, `render inline: text`)."""
    return [(_text(a.child_by_field_name("key")).strip(":"), a.child_by_field_name("value")) for a in args
            if a.type == "pair" and a.child_by_field_name("value") is not None]


class _Whole:
    """The text a backtick/%x command runs, as one argument."""

    def __init__(self, node):
        self.node = node
        self.type = "subshell-text"
        self.start_byte, self.end_byte, self.start_point = node.start_byte, node.end_byte, node.start_point
