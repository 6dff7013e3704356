"""Shell scripts inside other files (Dockerfile RUN lines, GitHub Actions `run:` steps, other CI services' script
steps, npm install hooks), as (first line, body) pairs."""
from __future__ import annotations

import json
import re
import shlex
from typing import Iterator

import yaml

from .languages import HERE_STRING, HERE_STRING_MASK
from .semantics.lang.concepts import SECRET_NAME

MAX_BODIES = 200  # scripts of one file analyzed as shell
MAX_BODY = 64 * 1024
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def bodies(language: str | None, role: str | None, text: str, tree) -> Iterator[tuple[int, bytes]]:
    """(line offset, script) for each shell script the document holds: a script's line 1 is document line
    offset + 1, so findings in it keep the document's line numbers."""
    if language == "dockerfile" and tree is not None:
        yield from _dockerfile(tree)
    elif role == "workflow":
        yield from _with_secrets(_workflow(text, ("run",), _ENV_SECRETS))
    elif role == "ci":
        yield from _workflow(text, _CI_KEYS)
    elif role == "makefile":
        yield from _makefile(text)
    elif role == "package.json" and '"scripts"' in text:
        yield from _npm_hooks(text)


# npm lifecycle scripts that run by themselves on `npm install` (of the package, or in its checkout)
NPM_INSTALL_HOOKS = ("preinstall", "install", "postinstall", "prepare")


def _npm_hooks(text: str) -> Iterator[tuple[int, bytes]]:
    """Each install hook's command line of a package.json, at the hook's line (`node -e CODE` in it is then read
    as JavaScript, as in any shell script)."""
    from .dependencies import line_of, load_json

    data = load_json(text)
    scripts = data.get("scripts") if isinstance(data, dict) else None
    if not isinstance(scripts, dict):
        return
    start = line_of(text, '"scripts"')[1]
    for hook in NPM_INSTALL_HOOKS:
        command = scripts.get(hook)
        if isinstance(command, str) and command.strip():
            line = line_of(text, f'"{hook}"', start)[0]
            yield line - 1, command[:MAX_BODY].replace("\n", " ").encode("utf-8", "replace")


# make's own syntax in a recipe line: `$$` is one `$` for the shell; `$(NAME)`/`${NAME}` a make variable (read as the
# shell variable of that name); `$(shell cmd)` runs cmd; other make functions ($(wildcard x)) are not commands
_MAKE_DOLLAR = re.compile(r"\$\$|\$\(shell\s+|\$[({]([A-Za-z_][A-Za-z0-9_]*)[)}]|\$\((?:[a-z-]+)\s[^()]*\)")


def _make_to_shell(match) -> str:
    text = match.group(0)
    if text == "$$":
        return "$"
    if text.startswith("$(shell"):
        return "$("
    if match.group(1):
        return "${" + match.group(1) + "}"
    return "MAKEFN"  # a make function's result: a word the shell cannot read


def _makefile(text: str) -> Iterator[tuple[int, bytes]]:
    """ONE script of a Makefile's recipe lines (tab-indented, with their `\\` continuations), each at its own
    line; the recipe prefixes @ - + dropped and make's `$` syntax read as the shell's (_MAKE_DOLLAR)."""
    out, recipe, continued = [], False, False
    for line in text.split("\n")[:20000]:
        if continued or line.startswith("\t"):
            body = line[1:] if line.startswith("\t") and not continued else line
            if not continued:
                stripped = body.lstrip("@-+ ")
                body = " " * (len(body) - len(stripped)) + stripped
            out.append(" " + _MAKE_DOLLAR.sub(_make_to_shell, body))
            recipe = True
            continued = line.endswith("\\")
        else:
            out.append("")
    if recipe:
        script = "\n".join(out).encode("utf-8", "replace")
        if len(script) <= MAX_BODY * 4:
            yield 0, script


# GitLab (script, before_script, after_script), CircleCI (run, command), Travis (install, before_install, script...),
# Azure (script, bash), Bitbucket and Drone (script, commands): a scalar or a list of command lines.
_CI_KEYS = ("script", "before_script", "after_script", "run", "command", "commands", "bash", "install",
            "before_install", "after_success", "after_failure", "before_deploy", "after_deploy")


def _dockerfile(tree) -> Iterator[tuple[int, bytes]]:
    """ONE script of the image's build: RUN's shell form (`RUN a && \\` continuation lines are shell continuations
    too), CMD/ENTRYPOINT's shell form, and `ADD <url> <dest>` without --checksum read as the download it is
    (`curl -fsSL -o <dest> <url>`), each at its own line. Files persist from one instruction to the next, so a file
    ADDed from a bare IP, chmod-ed in a later RUN and started by CMD is one dropper."""
    pieces = []
    for instruction in tree.root_node.named_children:
        if len(pieces) >= MAX_BODIES:
            break
        if instruction.type in ("run_instruction", "cmd_instruction", "entrypoint_instruction"):
            for child in instruction.named_children:
                if child.type == "shell_command" and child.end_byte - child.start_byte <= MAX_BODY:
                    text = child.text.replace(HERE_STRING_MASK, HERE_STRING)  # (languages.grammar_input)
                    pieces.append((child.start_point[0], child.start_point[1], text))
                elif child.type == "json_string_array" and instruction.type != "run_instruction" and \
                        child.end_byte - child.start_byte <= MAX_BODY:
                    line = _exec_form(child)  # CMD ["/usr/local/bin/w", "-o", "pool:443"]: the command it starts
                    if line is not None:
                        pieces.append((child.start_point[0], child.start_point[1], line))
        elif instruction.type == "add_instruction":
            line = _remote_add(instruction)
            if line is not None:
                pieces.append((instruction.start_point[0], 0, line))
    first = row = pieces[0][0] if pieces else 0
    script = b""
    for start, column, text in pieces:
        if start < row:
            continue
        # the command starts mid-line (after `RUN `): pad with its column so columns stay where they were
        script += b"\n" * (start - row) + b" " * column + text
        row = start + text.count(b"\n")
    if script:
        yield first, script


def _exec_form(array) -> bytes | None:
    """CMD/ENTRYPOINT's exec form (a JSON array of words) as the one shell line that starts the same program, each
    word quoted; None when a word is not a plain JSON string."""
    words = []
    for item in array.named_children:
        try:
            word = json.loads(item.text)
        except ValueError:
            return None
        if not isinstance(word, str):
            return None
        words.append(shlex.quote(word))
    return " ".join(words).encode() if words else None


def _remote_add(instruction) -> bytes | None:
    """`ADD http://host/f /dest` as the shell line that does the same (`curl -fsSL -o /dest http://host/f`; a
    destination ending in / gets the URL's file name); None for a local source, several sources, or a pinned
    --checksum."""
    words = [c.text for c in instruction.named_children]
    if any(w.startswith(b"--checksum") for w in words):
        return None
    paths = [c.text for c in instruction.named_children if c.type == "path"]
    if len(paths) != 2 or not re.match(rb"(?i)(?:https?|ftp)://[^\s'\"`$;&|]+$", paths[0]) or \
            not re.match(rb"[\w./-]+$", paths[1]):
        return None
    source, dest = paths
    if dest.endswith(b"/"):
        dest += source.rstrip(b"/").rsplit(b"/", 1)[-1]
    return b"curl -fsSL -o " + dest + b" " + source


def _workflow(text: str, keys: tuple[str, ...], track=None) -> Iterator[tuple]:
    """Steps under `keys` (`run:`) written as a literal block (`run: |`) or on one line, or a list of such lines;
    folded and quoted scalars are left out (their lines do not map one to one onto the file's). track (workflows):
    each body comes with the {variable: secret} its step sees through `env:` (workflow, job and step level)."""
    try:
        root = yaml.compose(text, Loader=_LOADER)
    except yaml.YAMLError:
        return
    found = []
    stack = [(root, ())] if root is not None else []
    while stack and len(found) < MAX_BODIES:
        node, env = stack.pop()
        if isinstance(node, yaml.MappingNode):
            if track is not None:
                env = env + track(node)
            for key, value in node.value:
                if isinstance(key, yaml.ScalarNode) and key.value in keys and isinstance(value, yaml.ScalarNode):
                    body = _run_body(value)
                    if body is not None:
                        found.append(body + ((env,) if track is not None else ()))
                elif isinstance(key, yaml.ScalarNode) and key.value in keys and isinstance(value, yaml.SequenceNode) \
                        and keys != ("run",):
                    for item in value.value:
                        body = _run_body(item) if isinstance(item, yaml.ScalarNode) else None
                        if body is not None and len(found) < MAX_BODIES:
                            found.append(body)
                elif not (isinstance(key, yaml.ScalarNode) and key.value in ("variables", "env")):  # (values, not steps)
                    stack.append((value, env))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend((item, env) for item in node.value)
    yield from sorted(set(found))  # in document order (a YAML alias may reach one node twice)


_SECRET_EXPR = re.compile(r"\$\{\{\s*secrets\.([A-Za-z_][A-Za-z0-9_]*)\s*\}\}")


def _ENV_SECRETS(node) -> tuple[tuple[str, str], ...]:
    """(variable, secret name) for each `env:` entry of this mapping whose value is `${{ secrets.NAME }}`."""
    out = []
    for key, value in node.value:
        if isinstance(key, yaml.ScalarNode) and key.value == "env" and isinstance(value, yaml.MappingNode):
            for name, bound in value.value:
                if isinstance(name, yaml.ScalarNode) and isinstance(bound, yaml.ScalarNode) \
                        and re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name.value):
                    found = _SECRET_EXPR.search(bound.value)
                    if found:
                        out.append((name.value, found.group(1)))
    return tuple(out)


def _secret_variable(secret: str) -> str:
    """A shell variable that reads as the secret it holds (its own name when that already says secret)."""
    return secret if SECRET_NAME.search(secret) else f"{secret}_SECRET"


def _with_secrets(bodies) -> Iterator[tuple[int, bytes]]:
    """A workflow step sees its `env:` secrets as variables and `${{ secrets.X }}` pasted into its text: the body
    gets one line in front (its offset moves up one, so every line keeps its number) binding each such variable to
    an environment variable named like the secret, and each pasted secret is read as that variable."""
    for offset, body, env in bodies:
        body = _SECRET_EXPR.sub(lambda m: "${" + _secret_variable(m.group(1)) + "}",
                                body.decode("utf-8", "replace")).encode("utf-8", "replace")
        if env:
            # (`;` after each: tree-sitter-bash reads `A=x B=y` + newline + a command as one command with prefixes)
            head = " ".join(f'{name}="${{{_secret_variable(secret)}}}";' for name, secret in dict(env).items())
            yield offset - 1, head.encode() + b"\n" + body
        else:
            yield offset, body


def _run_body(node) -> tuple[int, bytes] | None:
    script = node.value
    if not script.strip() or len(script) > MAX_BODY:
        return None
    if node.style == "|":
        return node.start_mark.line + 1, script.encode("utf-8", "replace")
    if not node.style and "\n" not in script:  # plain (the C loader says "", the Python one None)
        return node.start_mark.line, b" " * node.start_mark.column + script.encode("utf-8", "replace")
    return None
