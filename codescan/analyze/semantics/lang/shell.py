"""Shell adapter: commands as calls (`shell.<name>`, wrappers like sudo/env stripped), pipes and `< file` as the
`stdin` keyword, variables, $(...) output, files written by `>`/`curl -o` and run later, functions' $1..$9."""
from __future__ import annotations

import re

from ... import budget as budgets
from ..facts import NOTHING, Value, merge
from .concepts import SECRET_PATH, env_labels, path_labels
from .shell_downloads import VERIFIERS, archive_target, download_target, fetched_labels, fetched_url, files_through_callers, \
    node_text as _text, unpack_folder, \
    verified_files
from .shell_text import credential_words, decode_text, echoed, filtered
from .shell_streams import Pipe as _Pipe, Redirect as _Redirect, caller_stdin, file_key as _file_key, \
    uploads as _uploads
from .shell_wrappers import WRAPPERS, past_wrappers
from .treeflow import TreeFlow, join, labelled

DYNAMIC = (b"eval", b"source", b"exec")
# A command run by its path or a variable (`/tmp/x --bg`, `"$T"`) is a `shell.exec` call whose word is not written:
# a one-line script (a CI step) that downloads and runs a file holds no other token a sink is called through.
DYNAMIC_CALLS = re.compile(rb"(?m)(?:^|[;&|(`]|\bthen\b|\bdo\b|\belse\b)[ \t]*[\"']?(?:\.{0,2}/[\w.-]|\$\{?\w)")
# statements whose commands print: a function's output is theirs (loops, if/case branches, { ...; } groups, subshells)
_PRINTING = frozenset(("command", "pipeline", "redirected_statement", "list", "compound_statement", "do_group",
                       "for_statement", "c_style_for_statement", "while_statement", "if_statement", "elif_clause",
                       "else_clause", "case_statement", "case_item", "subshell", "negated_command"))
_UNVERIFIED = frozenset(("network", "insecure-origin", "downloaded", "socket"))  # what a checked checksum vouches for
NETWORK = frozenset(("curl", "wget", "nc", "ncat", "netcat", "fetch", "socat", "telnet", "aria2c"))
DECODERS = frozenset(("base64", "base32", "xxd", "openssl", "gunzip", "zcat", "uudecode", "gzip", "bzip2", "xz"))
ENVS = frozenset(("env", "printenv", "set", "export", "declare"))
IDENTITY = {"hostname": ("host-identity",), "uname": ("host-identity",), "whoami": ("host-identity", "user-identity"),
            "id": ("host-identity", "user-identity"), "logname": ("host-identity", "user-identity")}
READERS = frozenset(("cat", "head", "tail", "less", "more", "tac", "strings", "tar", "zip"))
_NAME = re.compile(r"\$\{?#?([A-Za-z_][A-Za-z0-9_]*|[0-9@*])")
INTERPRETER = re.compile(r"(?:python[0-9.]*|perl|ruby|node|php)$")
# options that name the program on the command line (python -c/-m, perl/ruby/node -e, node -p, php -r)
PROGRAM_OPTIONS = frozenset(("-c", "-m", "-e", "-E", "-p", "-r", "--eval", "--print"))


def _names_program(args) -> bool:
    """An interpreter given a script, a module or code on its command line reads only data on stdin
    (`curl ... | python3 -m json.tool`); with no program, or `-`, stdin is the program."""
    for arg in args:
        word = _text(arg).strip("'\"")
        if word == "-":
            return False
        if word == "--":
            continue
        if word in PROGRAM_OPTIONS or not word.startswith("-"):
            return True
    return False


def facts(source: bytes, tree, wanted, budget):
    return ShellFlow(source, tree, budget, wanted.wants if wanted is not None else None).facts()



def _own_value(name: str, node) -> bool:
    """`NPM_TOKEN="${NPM_TOKEN}"` (a CI step's env: re-bound), `PATH="$PATH:/x"`: a variable read in the value of its
    own assignment is what it held before it, the environment's when nothing was assigned earlier."""
    parent = node.parent
    while parent is not None and parent.type in ("string", "concatenation", "expansion", "simple_expansion"):
        parent = parent.parent
    target = parent.child_by_field_name("name") if parent is not None and parent.type == "variable_assignment" \
        else None
    return target is not None and target.text == name.encode()

class ShellFlow(TreeFlow):
    BINDINGS = frozenset(("variable_assignment", "for_statement", "redirected_statement", "command"))
    language = "shell"
    SCOPES = frozenset(("function_definition",))
    CALLS = frozenset(("command",))
    RETURNS = frozenset()

    def file_write(self, node):
        """Shell writes files through redirections and download flags (see special), not writer calls."""
        return None

    def prepare(self) -> None:
        if self._prepared:
            return
        super().prepare()
        files_through_callers(self, _file_key, _text)

    def scope_name(self, node):
        return _text(node.child_by_field_name("name")) or None

    def params(self, node):
        return [(str(i), NOTHING) for i in range(1, 10)]

    # -- commands ---------------------------------------------------------------------------------
    def words(self, node):
        """(name, [argument nodes]) with sudo/env/nohup-style wrappers and their options removed."""
        name, _head, args = self.program(node)
        return name, args

    def program(self, node):
        """(name, the word naming the program, [argument nodes]): `nohup /tmp/x -d &` runs the word `/tmp/x`."""
        name_node = node.child_by_field_name("name")
        args = list(node.children_by_field_name("argument"))
        name = _text(name_node).rsplit("/", 1)[-1] if name_node is not None else ""
        words = [name_node] + args if name_node is not None else args
        if words and _base(words[0]) in WRAPPERS and len(words) > 1:
            words = past_wrappers(words, _text)
            name = _base(words[0]) if words else ""
        if not words:
            return "", None, []
        if "$" in name and words[0] is not None:  # fetch="curl -fsSL"; $fetch "$URL": the program is curl
            head = words[0]
            if head.type == "command_name" and head.named_child_count == 1:
                head = head.named_children[0]
            held = self.value(head).const
            parts = held.split() if isinstance(held, str) else []
            name = parts[0].rsplit("/", 1)[-1] if parts else name
        return name, words[0], words[1:]

    def call_parts(self, node):
        name, head, args = self.program(node)
        name_node = node.child_by_field_name("name")
        if head is not None and name_node is not None and head != name_node and "/" in _text(head) or \
                head is not None and head != name_node and "$" in _text(head):
            name_node = head  # a wrapper (nohup, sudo, setsid...) runs a program named by its path or a variable
        if name_node is not None and "$" in _text(name_node) and \
                self.file_field(_file_key(_text(name_node))):  # "$T" runs the file written to $T (or unpacked in $D)
            held = name_node.named_children[0] if name_node.type == "command_name" and name_node.named_children \
                else name_node
            return "shell.exec", None, None, [held] + args, self._stdin(node), None
        if not name or "$" in name:
            value = self.value(name_node) if name_node is not None else NOTHING
            name = value.const.rsplit("/", 1)[-1] if isinstance(value.const, str) and value.const else ""
            if not name:
                return None
        if "/" in _text(name_node) and name not in NETWORK | DECODERS | {"sh", "bash", "zsh", "dash", "ksh"}:
            # a program by its path reads its input as data (`curl URL | ./strip > f`), unless it is an interpreter
            # given no program (`curl URL | /usr/bin/python3`)
            reads = INTERPRETER.match(name) and not _names_program(args)
            return "shell.exec", None, None, [name_node] + args, self._stdin(node) if reads else [], None
        kwargs = self._stdin(node) if not (INTERPRETER.match(name) and _names_program(args)) else []
        if name in ("curl", "wget"):
            args, credentials = credential_words(args)
            kwargs = list(kwargs) + [("auth", word) for word in credentials]
        return f"shell.{name}", name, None, args, kwargs, None

    def _stdin(self, node):
        """[("stdin", node)] when the command reads a pipe, a `< file` redirect or a here-string; inside a function,
        what its callers feed it."""
        command = node
        for redirect in node.children_by_field_name("redirect"):  # `cmd <<< WORD`: the grammar puts it in the command
            if redirect.type == "herestring_redirect" and redirect.named_children:
                return [("stdin", _Redirect(redirect.named_children[-1], False))]
        parent = node.parent
        if parent is not None and parent.type == "redirected_statement":
            for redirect in parent.children_by_field_name("redirect"):
                op = next((c.text for c in redirect.children if not c.is_named), b"")
                dest = redirect.child_by_field_name("destination")
                if op in (b"<", b"<<<") and dest is not None:
                    return [("stdin", _Redirect(dest, op == b"<"))]
            node, parent = parent, parent.parent
        while parent is not None and parent.type in ("pipeline", "redirected_statement", "list"):
            # `a | b | c >/dev/null || true`: tree-sitter-bash reads `a | list(pipeline(b | redirected(pipeline(c | d)))
            # || true)`; the first command of an inner pipeline reads what the outer pipeline's item before it prints
            items = [c for c in parent.named_children if c.type != "comment"]
            index = items.index(node) if node in items else 0
            if parent.type == "pipeline" and index > 0:
                return [("stdin", _Pipe(items[index - 1]))]
            if index > 0 or parent.type == "redirected_statement" and node != parent.child_by_field_name("body"):
                break
            node, parent = parent, parent.parent
        return caller_stdin(self, command)

    stdin_of = _stdin

    def output(self, node) -> Value:
        """What a command (or pipeline, or redirected command) writes to its standard output."""
        budgets.tick()
        if node.type == "redirected_statement":
            body = node.child_by_field_name("body")
            return self.output(body) if body is not None else NOTHING
        if node.type == "pipeline":
            items = [c for c in node.named_children if c.type != "comment"]
            return self.output(items[-1]) if items else NOTHING
        if node.type != "command":
            return merge(self.output(c) for c in node.named_children if c.type in _PRINTING)
        name, args = self.words(node)
        line = node.start_point[0] + 1
        values = [self.value(a) for a in args]
        stdin = self._stdin(node)
        piped = self.value(stdin[0][1]) if stdin else NOTHING
        if name in NETWORK:
            fetched = labelled(fetched_labels(args, values), line, f"output of {name}")
            url = fetched_url(name, args, values)
            return Value(fetched.const, fetched.labels, url, None, fetched.trace) if url else fetched
        if name in DECODERS and (name in ("gunzip", "zcat", "uudecode") or any(
                re.fullmatch(r"-[a-zA-Z]*[dDr][a-zA-Z]*|--decode|-base64", _text(a)) for a in args)):
            data = piped.const.encode() if isinstance(piped.const, str) else None
            decoded = decode_text(name, data, [_text(a) for a in args])
            return merge([piped, labelled(("decoded",), line, f"decoded by {name}")],
                         const=decoded if decoded is not None else merge([]).const)
        printing = self.__dict__.setdefault("_printing", set())  # functions whose output is being read
        if name in self.functions and name not in printing:  # get() { wget -qO- "$1"; }; $(get "$U")
            # once per function (its parameters hold what every caller passes): f2() { f1; f1; }, f3() { f2; f2; }...
            # read each body again for every path, 3^40 times for 40 such functions
            known = self.__dict__.setdefault("_printed", {})
            printed = known.get(name)
            if printed is None:
                body = self.functions[name].node.child_by_field_name("body")
                printing.add(name)
                try:
                    printed = known[name] = self.output(body) if body is not None else NOTHING
                finally:
                    printing.discard(name)
            if printed.labels:
                return printed.with_step(line, f"printed by {name}()")
        if name in ENVS and not args:
            return labelled(("env",), line, f"output of {name}")
        if name == "uname" and not any(re.fullmatch(r"-[a-zA-Z]*[an][a-zA-Z]*|--all|--nodename", _text(a)) for a in args):
            return NOTHING  # uname -m / -s / -r: the machine type or kernel (a download picks its build), no host name
        if name in IDENTITY:  # whoami, id -un, hostname, uname -a: who and where the script runs
            return labelled(IDENTITY[name], line, f"output of {name}")
        if name in READERS and args:
            return merge([labelled(path_labels(self._path_text(a)), line, f"{name} {_text(a)}") for a in args] +
                         [piped])
        if name in ("echo", "printf"):
            return echoed(name, values, [_text(a) for a in args])
        if name in ("rev", "tr") and isinstance(piped.const, str):
            return merge([piped], const=filtered(name, piped.const, [_text(a).strip("'\"") for a in args]))
        return merge([piped] + [v for v in values if v.labels and "decoded" not in v.labels])

    def _path_text(self, node) -> str:
        """A path argument as text: its value when known, else its words with what a `$k` in it was bound to
        (`k=$HOME/.ssh/id_rsa; cat "$k"` reads a key even though $HOME is not known)."""
        value = self.value(node)
        if isinstance(value.const, str):
            return value.const
        text = _text(node)
        for m in _NAME.finditer(text):
            scope = self.scope_at(node)
            while scope is not None:
                events = scope.events.get(m.group(1))
                if events:
                    before = [e for e in events if e.pos <= node.start_byte] or events
                    text += " " + (_text(before[-1].node) if before[-1].node is not None else "")
                    break
                scope = scope.parent
        return text

    # -- values -----------------------------------------------------------------------------------
    def literal(self, node):
        kind = node.type
        if kind in ("word", "number"):
            text = re.sub(r"\\(.)", r"\1", _text(node))
            field = self.file_field(text)
            value = Value(text)
            if "@" in text and SECRET_PATH.search(text.split("@", 1)[1]):  # curl -F f=@~/.ssh/id_rsa
                value = labelled(("credential-file",), node.start_point[0] + 1, f"uploads {text}", text)
            if field:
                return merge([self.field_value(field)], const=text)
            return _uploads(node, value, self) if text.startswith("@") else value  # --data-binary @/tmp/k.zip
        if kind == "raw_string":
            return Value(_text(node)[1:-1])
        if kind == "ansi_c_string":
            return Value(_text(node)[2:-1])
        return None

    def name_of(self, node):
        if node.type in ("simple_expansion", "expansion"):
            m = _NAME.match(_text(node))
            if m and (node.type == "simple_expansion" or re.fullmatch(r"\$\{#?\w+(?:[:-].*)?\}", _text(node), re.S)):
                return m.group(1)
        return None

    def lookup(self, name, node):
        value = super().lookup(name, node)
        if name.isupper() and (value is NOTHING and not self.bound_in_scope(name, node) or
                               not value.labels and not value.known and _own_value(name, node)):
            return labelled(env_labels(name), node.start_point[0] + 1, f"${name}")
        return value

    def special(self, node):
        kind = node.type
        if kind == "string":
            parts = [c for c in node.named_children]
            values = [Value(re.sub(r"\\([\\\"$`])", r"\1", _text(c))) if c.type == "string_content" else self.value(c)
                      for c in parts]
            if not parts:
                return Value("")
            return _uploads(node, join(values, ""), self)
        if kind == "concatenation":
            return _uploads(node, join([self.value(c) for c in node.named_children], ""), self)
        if kind in ("command_substitution", "process_substitution"):
            inner = [c for c in node.named_children if c.type != "comment"]
            return merge(self.output(c) for c in inner) if len(inner) != 1 else self.output(inner[0])
        if isinstance(node, _Redirect):
            return node.value(self)
        if isinstance(node, _Pipe):
            return self.output(node.node)
        return None

    def value(self, node):
        if isinstance(node, (_Redirect, _Pipe)):
            return self.special(node)
        out = super().value(node)
        if node is not None and node.type in ("string", "simple_expansion", "expansion", "concatenation"):
            key = self.file_field(_file_key(_text(node)))
            if key:  # "$T" after wget -O "$T": the downloaded file ($T may hold "$HOME/...": env)
                held = self.field_value(key)
                if not held.labels <= out.labels:
                    out = merge([out, held], const=out.const)
        return out

    def bindings(self, node):
        kind = node.type
        if kind == "variable_assignment":
            name, value = node.child_by_field_name("name"), node.child_by_field_name("value")
            if name is not None and value is not None:
                return [(_text(name), "set", value)]
        if kind == "for_statement":
            variable = node.child_by_field_name("variable")
            values = node.children_by_field_name("value")
            if variable is not None and values:
                return [(_text(variable), "set", values[0])]
        if kind == "redirected_statement":
            body = node.child_by_field_name("body")
            out = []
            for redirect in node.children_by_field_name("redirect"):
                op = next((c.text for c in redirect.children if not c.is_named), b"")
                dest = redirect.child_by_field_name("destination")
                if op in (b">", b">>", b">|", b"&>") and dest is not None and body is not None and \
                        not _text(dest).startswith("/dev/"):
                    out.append(("file:" + _file_key(_text(dest)), "field-set", _thunk(self.output, body)))
            return out
        if kind == "command":
            name, args = self.words(node)
            texts = self._held_options(node) + [_text(a) for a in args]
            if name in ("curl", "wget"):
                target = download_target(name, texts)
                if target is not None:  # (read when asked: a function's "$1" is known only from its callers)
                    def downloaded(args=args, line=node.start_point[0] + 1, name=name, target=target):
                        return labelled(fetched_labels(args, [self.value(a) for a in args]), line,
                                        f"{name} writes {target}")
                    return [("file:" + _file_key(target), "field-set", downloaded)]
            if name in VERIFIERS:
                verified = verified_files(name, texts, self._piped_text(node))
                line = node.start_point[0] + 1
                # a pinned checksum or signature checked (`set -e` or `&&` stops on a mismatch): the file is the one
                # the image's author reviewed, no longer just what a server sent
                return [("file:" + _file_key(f), "field-set", labelled(("verified-download",), line, f"{name} verifies {f}"))
                        for f in verified]
            if name in ("tar", "bsdtar", "zip"):
                at = archive_target(name, texts[len(texts) - len(args):])
                if at is not None:  # tar czf "$A" -C "$HOME/.ssh" .: the archive holds what it packs
                    line, target = node.start_point[0] + 1, _text(args[at])

                    def packed(args=args, at=at, line=line, name=name, target=target):
                        return merge([labelled(path_labels(self._path_text(a)), line, f"{name} packs {_text(a)}")
                                      for i, a in enumerate(args) if i != at and not _text(a).startswith("-")])
                    return [("file:" + _file_key(target), "field-set", packed)]
            if name in ("tar", "bsdtar", "unzip"):
                folder = unpack_folder(name, texts)
                if folder is not None:  # curl .. | tar xz -C "$D": what it unpacks is in $D
                    stdin = self._stdin(node)
                    line = node.start_point[0] + 1

                    def unpacked(stdin=stdin, args=args, line=line, name=name, folder=folder):
                        held = merge([self.value(stdin[0][1]) if stdin else NOTHING] + [self.value(a) for a in args])
                        # (a release archive from a named https host, unpacked and run, is how images install
                        # tools: only an archive from plain http or a bare IP marks what it unpacks)
                        return held.with_step(line, f"{name} unpacks into {folder}") \
                            if "insecure-origin" in held.labels else NOTHING
                    return [("file:" + _file_key(folder).rstrip("/") + "/*", "field-set", unpacked)]
        return ()

    def _piped_text(self, node) -> str:
        """The text of the command whose output this one reads (`echo "SUM  file" | sha256sum -c -`), else ""."""
        stdin = self._stdin(node)
        if stdin and isinstance(stdin[0][1], _Pipe):
            return _text(stdin[0][1].node)
        if stdin and isinstance(stdin[0][1], _Redirect) and not stdin[0][1].from_file:  # <<< "SUM  file"
            return _text(stdin[0][1].dest)
        return ""

    def _held_options(self, node) -> list:
        """The words after the program in a command line held by the variable that names the program: with
        DL="curl -fsSL -o", `$DL "$DEST" "$URL"` is `curl -fsSL -o "$DEST" "$URL"` (an unquoted expansion is split
        into words), so the file it writes is known."""
        _name, head, _args = self.program(node)
        if head is None or "$" not in _text(head) or _text(head).startswith('"'):
            return []
        if head.type == "command_name" and head.named_child_count == 1:
            head = head.named_children[0]
        held = self.value(head).const
        return held.split()[1:] if isinstance(held, str) else []

    def field_value(self, field: str) -> Value:
        """A file's data; once a pinned checksum or signature of it is checked, no longer what a server sent."""
        value = super().field_value(field)
        if "verified-download" in value.labels and value.labels & _UNVERIFIED:
            return Value(value.const, value.labels - _UNVERIFIED, value.name, value.via, value.trace)
        return value

    def file_field(self, key: str) -> str | None:
        """The field of a file written at `key`, or of the folder an archive was unpacked into that holds it."""
        if "file:" + key in self.fields:
            return "file:" + key
        for folder in (k[5:-2] for k in self.fields if k.endswith("/*")):  # (not cached: filled while indexing)
            if key.startswith(folder + "/") and "/.." not in key[len(folder):]:
                return "file:" + folder + "/*"
        return None


def _base(node) -> str:
    return _text(node).rsplit("/", 1)[-1]


def _thunk(fn, node):
    return lambda: fn(node)
