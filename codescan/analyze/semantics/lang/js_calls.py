"""The value of a JavaScript call: require/import names, sources, same-file function summaries, propagation."""
from __future__ import annotations

import posixpath
import re

from ..constants import UNKNOWN
from ..facts import NOTHING, Step, Value, merge
from ..names import js_module
from ..skeleton import HOLE, kept
from ..host_data import command_output_labels, escapes, host_held
from ..sources import clears, labels_of, narrowed
from ..text_labels import constant_labels
from ..values import public_key_only
from .js_dom import field_labels
from .js_files import FILE_FINDERS, READERS, found_secret_files, read_back
from .js_fold import fold_call, fold_reference
from .js_loops import mapped
from .js_map_tables import map_lookup
from .js_this import this_method
from .js_property_paths import GETTERS, path_member
from .js_reflection import reflection
from .js_site_args import site_values
from .python_summaries import def_start, short, substitute

PROMISIFY = {"util.promisify", "bluebird.promisify", "Promise.promisify", "pify"}
REQUIRE = {"require", "module.require", "process.mainModule.require", "import", "module.createRequire()",
           "module.constructor._load", "module._load", "module.Module._load", "process.mainModule.constructor._load"}
# the loader's internals and the process's back door: a module loaded this way is loaded out of sight of `require`
_BACK_DOORS = frozenset({"process.mainModule.require", "module.constructor._load", "module._load", "module.Module._load",
                         "process.mainModule.constructor._load"})
_CALLBACKS = ("arrow_function", "function_expression", "function")


# what a helper returns that no constant can stand for: a module or a global object (`return require(m)`)
_NOT_FOLDED = ("require", "import", "process", "globalThis", "global", "window", "module")


def arguments(node) -> list:
    args = node.child_by_field_name("arguments")
    if args is None:
        return []
    if args.type == "template_string":  # a tagged template (zx's $`curl ${u} | sh`): one argument, the whole text
        return [args]
    return [c for c in args.named_children if c.type != "comment"]


_GLOBAL_BODY = re.compile(r"\s*(?:'use strict';?\s*)?return\s*+\(?\s*+(?:this|globalThis|global|window|self)\s*+\)?\s*+;?\s*+$")


def _returns_global(values, fn) -> bool:
    """`new Function('return this')`, `Function('return globalThis')`: a function made from text that gives the
    global object (how code reaches `process` or `require` without naming them)."""
    while fn.type == "parenthesized_expression" and fn.named_children:
        fn = fn.named_children[0]
    if fn.type not in ("new_expression", "call_expression"):
        return False
    made = fn.child_by_field_name("constructor") or fn.child_by_field_name("function")
    if made is None or values.ev(made).name != "Function":
        return False
    parts = arguments(fn)
    body = values.ev(parts[-1]).const if parts else None
    return isinstance(body, str) and _GLOBAL_BODY.match(body) is not None


def call_value(values, node) -> Value:
    line = node.start_point[0] + 1
    fn = node.child_by_field_name("function") or node.child_by_field_name("constructor")
    callee = values.ev(fn) if fn is not None else NOTHING
    if fn is not None and fn.type == "import":  # await import('child' + '_process'): a module named at run time
        callee = Value(name="import")
    name = callee.name
    args = arguments(node)
    if fn is not None and _returns_global(values, fn):  # new Function('return this')(): the global object
        return Value(name="globalThis", via="dynamic")
    if name in REQUIRE and args:
        module = values.ev(args[0])
        if isinstance(module.const, str):
            text = js_module(module.const)
            # named at run time, or loaded through a require that was itself reached at run time or through the
            # process's back door (new Function('return this')().process.mainModule.require)
            hidden = args[0].type not in ("string",) or callee.via == "dynamic" or name in _BACK_DOORS
            return Value(name=text, via="dynamic" if hidden else None)
        return Value(UNKNOWN, module.labels, None, "dynamic", module.trace)
    if name == "String.raw" and args and args[0].type == "template_string":
        return _raw_template(values, args[0])
    if name in FILE_FINDERS and args:  # findFiles('**/.env*'): every secrets file of the workspace, listed to read
        found = found_secret_files(values, name, args[0], node)
        if found is not None:
            return found
    if name in PROMISIFY and len(args) == 1:  # util.promisify(exec): the same function, returning a promise
        target = values.ev(args[0])
        if target.name:
            return Value(name=target.name, via=target.via)
    if name == "Promise" and node.type == "new_expression" and args:  # new Promise(resolve => ... resolve(x))
        settled = _resolved(values, args[0])
        if settled is not None:
            return settled
    if name == "Proxy" and node.type == "new_expression" and len(args) == 2:
        from .js_proxy import proxied
        reached = proxied(values, args[0], args[1])
        if reached is not None:
            return reached
    if name and name.endswith("Map().get"):  # TABLE.get('run') / TABLE.get(kind) of a Map the file fills
        looked = map_lookup(values, fn, args)
        if looked is not None:
            return looked
    reflected = reflection(values, name, args, fn) or (
        path_member(values, name, args, node) if name in GETTERS else None)  # _.get(global, 'eval')
    if reflected is not None:
        return reflected
    arg_values = [values.ev(a) for a in args]
    method = this_method(fn) if def_start(name) is None else None
    if method is not None:  # this.command(): what the class's own method returns, given these arguments
        values.defs[method.start_byte] = method
        returned = substitute(_returns(values, method), method.start_byte, site_values(values, node, method, arg_values),
                              line)
        if returned.labels or returned.known:
            return returned
    if def_start(name) is not None:
        function = values.defs.get(def_start(name))
        if function is None:
            return merge(arg_values)
        arg_values = site_values(values, node, function, arg_values)  # sh`df ${dir}`, run(cmd, ...args)
        returned = substitute(_returns(values, function), function.start_byte, arg_values, line)
        if not returned.known and arg_values and all(v.known for v in arg_values) and \
                not (returned.name or "").startswith(_NOT_FOLDED):
            folded = fold_call(values, function, arg_values)  # _0x51c2(0x1a3): the string-array accessor
            if isinstance(folded, str):
                return Value(folded, constant_labels(folded))
            if not returned.name and not returned.labels:  # pick('eval') where pick returns globalThis[name]
                reached = fold_reference(values, function, arg_values)
                if reached is not None:
                    return reached
        return returned
    receiver = NOTHING
    if fn is not None and fn.type == "member_expression":
        receiver = values.ev(fn.child_by_field_name("object"))
    const = UNKNOWN
    # (a `null` / `undefined` argument is a constant too: String.fromCharCode.apply(null, CODES))
    if node.type == "call_expression" and all(v.known or a.type in ("null", "undefined") for v, a in zip(arg_values, args)):
        const = values._constant(node)
        const = _joined_constant(name, arg_values) if const is None else const
    elif len(args) in (1, 2) and args[-1].type in ("arrow_function", "function_expression", "function") and (
            name == "Array.from" and len(args) == 2 or len(args) == 1 and receiver.known and fn is not None and
            fn.type == "member_expression" and fn.child_by_field_name("property").text == b"map"):
        # Array.from(TEXT, c => String.fromCharCode(c.charCodeAt(0) - 1)), LIST.map(c => ...): every item folded
        const = mapped(values, arg_values[0].const if name == "Array.from" else receiver.const, args[-1])
    elif len(args) == 2 and args[0].type in ("arrow_function", "function_expression", "function") and receiver.known \
            and arg_values[1].known and fn.type == "member_expression" and fn.child_by_field_name("property").text == b"reduce":
        # CODES.reduce((s, n) => s + String.fromCharCode(n ^ 42), ''): every item folded into the text
        const = values._constant(node)
        const = UNKNOWN if const is None else const
    if clears(name) and not (args and args[0].type in _CALLBACKS):  # (list.find(h => ..) gives an item, not an index)
        held = merge(arg_values) if escapes(name) else NOTHING  # encodeURIComponent(token): escaped, still the token
        kept = host_held(held.labels) if held.labels else held.labels
        if kept:  # (a parameter's placeholder: the host data each caller passes, `:host`)
            return Value(const, kept, None, None, held.trace).with_step(line, f"{short(name)}(...)")
        return Value(const)
    labels = labels_of(name) | field_labels(fn, arg_values)  # form.querySelector("[name=cvc]"): a secret field
    if name in _PATH_JOINS and const is UNKNOWN and len(args) > 2:
        labels = labels | _joined_tail(arg_values)
    if name == "Buffer.from" and "decoded" in labels and not _buffer_decodes(args, arg_values):
        labels = labels - {"decoded"}  # Buffer.from(text): the text as UTF-8 bytes, nothing decoded
    if arg_values and arg_values[0].known:  # execSync("whoami"): what the command prints is who runs it
        labels = labels | command_output_labels(name, arg_values[0].const)
    result = f"{name}()" if name else None
    staged = read_back(values, args[0], node) if name in READERS and args else NOTHING  # loot staged in a temp file
    base = merge([receiver, *arg_values, *_callback_results(values, fn, args), staged], const, result)
    if name in _PATH_JOINS and arg_values and isinstance(arg_values[-1].const, str):
        base = public_key_only(base, arg_values[-1].const)  # path.join(home, ".ssh", "id_rsa.pub"): a public key
    if labels:
        if callee.via == "dynamic":  # Reflect.get(os, "hostname")(): the source itself was hidden from a reader
            labels = labels | {"concealed"}
        # (a field's selector read through a receiver with no name, `const form = this; form.querySelector(..)`)
        called = short(name) if name else fn.text[:64].decode("utf-8", "replace") if fn is not None else "call"
        step = Step(line, f"{called}(...) ({', '.join(sorted(labels))})")
        return Value(const, narrowed(base.labels | labels, name), result, None, base.trace + (step,))
    if const is not UNKNOWN and constant_labels(const):
        base = Value(const, base.labels | constant_labels(const), result, None, base.trace)
    if base.labels and name:
        base = base.with_step(line, f"{short(name)}(...)")
    if base.labels and _strips_to_words(fn, args, arg_values):
        # name.replace(/[^\w-]/g, ''): only letters, digits, _ and - are left (no '.', '/', quote, space or
        # metacharacter): not a path, a command line or SQL the client writes; a parameter's data is taken as such
        # (the function's callers hand it request input), other data (a secret, a host name) stays what it is
        kept_labels = frozenset(x for x in base.labels if x not in _INJECTED and not x.startswith("param:"))
        return Value(base.const, kept_labels, None, None, base.trace if kept_labels else ())
    return _replaced(fn, base, arg_values)


_INJECTED = frozenset({"request", "url-input", "archive-entry", "checked"})
# a global regex of one negated class of word characters (or \W): what it removes is everything else
_WORD_STRIP = re.compile(r"/(?:\\W\+?|\[\^(?:\\w|a-z|A-Z|0-9|_|\\-|-(?=\]))+\]\+?)/[a-z]*g[a-z]*")


def _strips_to_words(fn, args, arg_values: list) -> bool:
    """`text.replace(/\\W/g, '')`, `.replaceAll(/[^a-zA-Z0-9_-]/g, '_')`: the result holds word characters only."""
    if fn is None or fn.type != "member_expression" or len(args) != 2 or args[0].type != "regex" or \
            fn.child_by_field_name("property").text not in (b"replace", b"replaceAll"):
        return False
    return arg_values[1].const in ("", "_", "-") and \
        _WORD_STRIP.fullmatch(args[0].text.decode("utf-8", "replace")) is not None


def _raw_template(values, template) -> Value:
    """String.raw`powershell -Enc ${b64}`: the template's text with its escapes kept as written (the cooked value
    when a substitution is among them: the backslashes are then approximated)."""
    escaped = any(c.type == "escape_sequence" for c in template.named_children)
    if escaped and not any(c.type == "template_substitution" for c in template.named_children):
        text = template.text[1:-1].decode("utf-8", "replace")
        return Value(text, constant_labels(text))
    return values.ev(template)


_PATH_JOINS = frozenset({"path.join", "path.resolve", "path.posix.join", "path.posix.resolve", "path.win32.join"})


def _joined_constant(name, arg_values: list):
    """path.join('./node_modules/.bin/eslint'), path.join('lib', 'cli.js'): constant pieces give a constant path
    (joined with '/' and normalized as Node does; path.resolve is not folded: it starts from the working folder)."""
    if name not in ("path.join", "path.posix.join") or not arg_values or \
            not all(isinstance(v.const, str) for v in arg_values) or sum(len(v.const) for v in arg_values) > 4096:
        return UNKNOWN
    joined = "/".join(v.const for v in arg_values if v.const)
    if not joined:
        return "."
    normal = posixpath.normpath(joined)
    return normal + "/" if joined.endswith("/") and normal != "/" else normal


def _joined_tail(arg_values: list) -> frozenset:
    """path.join(os.homedir(), '.config', 'systemd', 'user'): the labels of the constant pieces at the end joined
    (`/.config/systemd/user` names a startup folder where no piece alone does)."""
    tail = []
    for value in reversed(arg_values):
        if not isinstance(value.const, str) or not value.const:
            break
        tail.append(value.const)
    return constant_labels("/" + "/".join(reversed(tail))) if len(tail) > 1 else frozenset()


_DECODING = frozenset({"base64", "base64url", "hex"})


def _buffer_decodes(args: list, arg_values: list) -> bool:
    """Buffer.from(s, "base64" | "hex" ...) decodes, as Buffer.from([99, 117, ...]) does (character codes); an
    encoding not known here may be one; Buffer.from(text) or Buffer.from(text, "utf8") only re-encodes."""
    if args and args[0].type == "array":
        return True
    if len(arg_values) < 2:
        return False
    encoding = arg_values[1].const
    return not isinstance(encoding, str) or encoding.lower().replace("-", "") in _DECODING


_ITERATING = frozenset((b"reduce", b"reduceRight", b"map", b"flatMap"))


def _callback_results(values, fn, args) -> list:
    """`keys.reduce((acc, k) => { acc[k] = process.env[k]; return acc }, {})`, `names.map(n => process.env[n])`:
    the array they build holds what their callback returns (its own parameters' marks left out)."""
    if fn is None or fn.type != "member_expression" or not args or \
            fn.child_by_field_name("property").text not in _ITERATING or \
            args[0].type not in ("arrow_function", "function_expression", "function"):
        return []
    returned = _returns(values, args[0])
    if not returned.labels:
        return []
    own = f"param:{args[0].start_byte}:"
    return [Value(UNKNOWN, frozenset(x for x in returned.labels if not x.startswith(own)), None, None, returned.trace)]


MAX_YIELDS = 64


def _yielded(values, body) -> Value:
    """What a generator gives, as the list of what its body yields in order when each is a constant and no loop or
    branch is around it (`function* parts() { yield "child_"; yield "process" }`); its data's labels otherwise."""
    found, straight = [], True
    stack = [(body, True)]
    while stack and len(found) < MAX_YIELDS:
        node, plain = stack.pop()
        for child in reversed(node.named_children):
            if child.type in ("function_declaration", "function_expression", "arrow_function", "function",
                              "generator_function", "generator_function_declaration", "class_declaration"):
                continue
            if child.type == "yield_expression":
                straight = straight and plain and not any(c.type == "*" for c in child.children)
                found.append(values.ev(child.named_children[0]) if child.named_children else NOTHING)
                continue
            stack.append((child, plain and child.type in ("expression_statement", "statement_block")))
    if straight and found and all(v.known for v in found):
        return Value([v.const for v in found])
    return merge(found)


def _replaced(fn, base: Value, arg_values: list) -> Value:
    """`text.replace(RE, MINE)` on text not known here: its shape is what was put in, among unknown parts."""
    if base.known or base.text or len(arg_values) != 2 or not isinstance(arg_values[1].const, str) or \
            fn is None or fn.type != "member_expression":
        return base
    prop = fn.child_by_field_name("property")
    text = kept(HOLE + arg_values[1].const + HOLE) if prop is not None and \
        prop.text in (b"replace", b"replaceAll") else None
    return base if text is None else Value(base.const, base.labels, base.name, base.via, base.trace, base.choices, text)


MAX_EXECUTOR = 8_000  # bytes of a Promise executor searched for calls of its resolve parameter


def _resolved(values, executor) -> Value | None:
    """What a `new Promise((resolve, reject) => ...)` settles with: the arguments its body passes to `resolve`."""
    if executor.type not in ("arrow_function", "function_expression", "function") or \
            executor.end_byte - executor.start_byte > MAX_EXECUTOR:
        return None
    params = executor.child_by_field_name("parameters")
    first = executor.child_by_field_name("parameter")
    if first is None and params is not None:
        named = [c for c in params.named_children if c.type != "comment"]
        first = named[0] if named else None
        if first is not None and first.type == "required_parameter":
            first = first.named_children[0] if first.named_children else None
    if first is None or first.type != "identifier":
        return None
    resolve = first.text
    found = []
    stack = [executor.child_by_field_name("body")]
    while stack and len(found) < 8:
        node = stack.pop()
        if node is None:
            continue
        if node.type == "call_expression":
            fn = node.child_by_field_name("function")
            if fn is not None and fn.type == "identifier" and fn.text == resolve:
                given = arguments(node)
                if given:
                    found.append(values.ev(given[0]).with_step(node.start_point[0] + 1, "the promise resolves with it"))
        stack.extend(node.named_children)
    return merge(found) if found else None


def _returns(values, function) -> Value:
    body = function.child_by_field_name("body")
    if body is None:
        return NOTHING
    if function.type in ("generator_function_declaration", "generator_function"):
        return _yielded(values, body)
    if body.type != "statement_block":
        return values.ev(body)  # an arrow function's expression body
    found = []
    stack = [body]
    while stack and len(found) < 32:
        node = stack.pop()
        for child in node.named_children:
            if child.type == "return_statement":
                found.extend(values.ev(c) for c in child.named_children[:1])
            elif child.type in ("statement_block", "if_statement", "else_clause", "try_statement", "catch_clause",
                                "finally_clause", "for_statement", "for_in_statement", "while_statement"):
                stack.append(child)
    return merge(found, found[0].const if len(found) == 1 else UNKNOWN,
                 found[0].name if len(found) == 1 else None) if found else NOTHING
