"""Rust canonical names: `use` declarations and aliases folded into dotted paths (`std.process.Command.new`),
the types a call returns (builders, streams, clients) so methods are named by their receiver's type."""
from __future__ import annotations

from functools import lru_cache

import tree_sitter as ts

# A path whose first part is none of the file's `use` names: these roots are the standard library's modules or
# types, written without their `use` in snippets (`env::var`, `Command::new`).
STD_MODULES = frozenset(("env", "fs", "process", "net", "io", "os", "path", "thread"))
STD_TYPES = {"Command": "std.process.Command", "TcpStream": "std.net.TcpStream", "UdpSocket": "std.net.UdpSocket",
             "TcpListener": "std.net.TcpListener", "File": "std.fs.File", "OpenOptions": "std.fs.OpenOptions",
             "Permissions": "std.fs.Permissions", "PermissionsExt": "std.os.unix.fs.PermissionsExt",
             "Stdio": "std.process.Stdio", "PathBuf": "std.path.PathBuf", "Path": "std.path.Path"}
# Other crates' types that behave as the standard one for the rules (async runtimes' Command and streams, the
# blocking reqwest client): one canonical type, so a rule names the behaviour once.
SAME_TYPE = {"tokio.process.Command": "std.process.Command", "async_process.Command": "std.process.Command",
             "async_std.process.Command": "std.process.Command", "tokio.net.TcpStream": "std.net.TcpStream",
             "async_std.net.TcpStream": "std.net.TcpStream", "tokio.net.UdpSocket": "std.net.UdpSocket",
             "async_std.net.UdpSocket": "std.net.UdpSocket", "reqwest.blocking.Client": "reqwest.Client",
             "reqwest.blocking.ClientBuilder": "reqwest.ClientBuilder",
             "reqwest.blocking.RequestBuilder": "reqwest.RequestBuilder", "std.os.unix.fs.PermissionsExt":
             "std.fs.Permissions", "std.os.unix.prelude.PermissionsExt": "std.fs.Permissions",
             "ureq.Agent": "ureq.Agent", "hyper.client.Client": "hyper.Client",
             "hyper_util.client.legacy.Client": "hyper.Client", "hyper_util.client.legacy.Builder": "hyper.client.Builder",
             "hyper.client.Builder": "hyper.client.Builder"}
# callee -> the type of what it returns (after `?`, .unwrap(), .expect(..), .await)
RETURNS = {
    "std.process.Command.new": "std.process.Command",
    "std.net.TcpStream.connect": "std.net.TcpStream", "std.net.TcpStream.connect_timeout": "std.net.TcpStream",
    "std.net.UdpSocket.bind": "std.net.UdpSocket",
    "std.fs.File.create": "std.fs.File", "std.fs.File.open": "std.fs.File", "std.fs.OpenOptions.open": "std.fs.File",
    "std.fs.File.create_new": "std.fs.File",
    "reqwest.Client.new": "reqwest.Client", "reqwest.Client.builder": "reqwest.ClientBuilder",
    "reqwest.ClientBuilder.new": "reqwest.ClientBuilder", "reqwest.ClientBuilder.build": "reqwest.Client",
    "ureq.agent": "ureq.Agent", "ureq.AgentBuilder.new": "ureq.AgentBuilder", "ureq.AgentBuilder.build": "ureq.Agent",
    "ureq.Agent.new": "ureq.Agent", "ureq.builder": "ureq.AgentBuilder",
    "std.fs.Permissions.from_mode": "std.fs.Permissions",
    # the curl crate's handles and hyper's client
    "curl.easy.Easy.new": "curl.easy.Easy", "curl.easy.Easy2.new": "curl.easy.Easy2",
    "curl.easy.Easy.transfer": "curl.easy.Transfer", "hyper.Client.new": "hyper.Client",
    "hyper.Client.builder": "hyper.client.Builder", "hyper.client.Builder.build": "hyper.Client",
    "hyper.client.Builder.build_http": "hyper.Client",
}
for _verb in ("get", "post", "put", "patch", "delete", "head", "request"):
    RETURNS[f"reqwest.Client.{_verb}"] = "reqwest.RequestBuilder"
    RETURNS[f"ureq.{_verb}"] = "ureq.Request"
    RETURNS[f"ureq.Agent.{_verb}"] = "ureq.Request"
# builder types: every method but the listed terminal ones returns the builder itself
BUILDERS = {"std.process.Command": frozenset(("spawn", "output", "status", "exec", "get_program", "get_args")),
            "reqwest.RequestBuilder": frozenset(("send", "build", "try_clone")),
            "reqwest.ClientBuilder": frozenset(("build",)), "ureq.AgentBuilder": frozenset(("build",)),
            "ureq.Request": frozenset(("call", "send_string", "send_json", "send_form", "send_bytes", "send")),
            "hyper.client.Builder": frozenset(("build", "build_http"))}
# methods that give what their receiver holds (Result/Option unwrapping, borrowing, cloning, string views)
PASS_THROUGH = frozenset(("unwrap", "expect", "unwrap_or_default", "unwrap_unchecked", "ok", "clone", "as_mut",
                          "as_ref", "by_ref", "to_string", "to_owned", "as_str", "as_bytes", "into_bytes", "to_vec",
                          "into", "trim", "trim_end", "trim_start", "as_slice", "borrow", "into_owned", "to_lowercase",
                          "to_uppercase", "as_os_str", "to_str", "to_string_lossy", "display", "into_os_string",
                          "into_string", "try_into", "as_path", "to_path_buf", "iter", "into_iter", "collect",
                          "text", "bytes", "into_string", "into_reader", "json", "bytes_mut", "lines", "flatten",
                          "unwrap_or_else", "map_err", "context", "with_context"))
_WRAPPERS = frozenset(("reference_expression", "parenthesized_expression", "try_expression", "await_expression",
                       "type_cast_expression", "unary_expression"))


def _text(node) -> str:
    return node.text.decode("utf-8", "replace") if node is not None else ""


def unwrap(node):
    """The expression inside `&x`, `&mut x`, `(x)`, `x?`, `x.await`, `x as T`, `*x`."""
    while node is not None and node.type in _WRAPPERS and node.named_children:
        inner = node.child_by_field_name("value") or node.named_children[0]
        if inner is node:
            break
        node = inner
    return node


def path_parts(node) -> list[str] | None:
    """`std::process::Command` -> ['std', 'process', 'Command'] (generic arguments left out), else None."""
    kind = node.type
    if kind in ("identifier", "type_identifier", "self", "crate", "super", "field_identifier"):
        return [_text(node)]
    if kind in ("scoped_identifier", "scoped_type_identifier"):
        path = node.child_by_field_name("path")
        name = node.child_by_field_name("name")
        head = path_parts(path) if path is not None else []
        return head + [_text(name)] if head is not None and name is not None else None
    if kind in ("generic_type", "generic_function"):
        inner = node.child_by_field_name("type") or node.child_by_field_name("function")
        return path_parts(inner) if inner is not None else None
    return None


def read_uses(root, language) -> dict[str, list[str]]:
    """Every `use` in the file: local name -> full path (`use std::process::Command as C;` gives C)."""
    out: dict[str, list[str]] = {}
    query = _use_query(language)
    for node in ts.QueryCursor(query).captures(root).get("u", []):
        argument = node.child_by_field_name("argument")
        if argument is not None:
            _use_tree(argument, [], out)
    return out


@lru_cache(maxsize=4)
def _use_query(language):
    return ts.Query(language, "(use_declaration) @u")


def _use_tree(node, prefix: list[str], out: dict) -> None:
    kind = node.type
    if kind == "use_as_clause":
        path, alias = node.child_by_field_name("path"), node.child_by_field_name("alias")
        parts = path_parts(path) if path is not None else None
        if parts and alias is not None and _text(alias) != "_":
            out[_text(alias)] = prefix + parts
    elif kind == "scoped_use_list":
        path = node.child_by_field_name("path")
        head = path_parts(path) if path is not None else []
        listed = node.child_by_field_name("list")
        for child in (listed.named_children if listed is not None and head is not None else []):
            _use_tree(child, prefix + head, out)
    elif kind == "use_list":
        for child in node.named_children:
            _use_tree(child, prefix, out)
    elif kind == "self" and prefix:
        out[prefix[-1]] = list(prefix)
    else:
        parts = path_parts(node)
        if parts and parts[-1] not in ("self", "*"):
            out[parts[-1]] = prefix + parts
        elif parts and parts[-1] == "self" and len(parts) > 1:
            out[parts[-2]] = prefix + parts[:-1]


def canonical(parts: list[str], uses: dict[str, list[str]], local: frozenset = frozenset()) -> str | None:
    """The dotted canonical name of a path as written, through the file's `use` names; None for the file's own
    items (`crate::`, `self::`, `super::`, a local variable)."""
    if not parts or parts[0] in ("crate", "self", "super", "Self"):
        return None
    first = parts[0]
    if first in local:
        return None
    if first in uses:
        full = uses[first] + parts[1:]
        if full and full[0] in ("crate", "self", "super"):
            return None
    elif first in STD_TYPES:
        full = STD_TYPES[first].split(".") + parts[1:]
    elif first in STD_MODULES and len(parts) > 1:
        full = ["std"] + parts
    else:
        full = list(parts)
    if full and full[0] == "core":
        full = ["std"] + full[1:]
    name = ".".join(full)
    for other, same in SAME_TYPE.items():
        if name == other or name.startswith(other + "."):
            return same + name[len(other):]
    return name


def returned_type(callee: str | None) -> str | None:
    """The canonical type a call gives: constructors and builder methods (a builder's methods give the builder)."""
    if not callee:
        return None
    found = RETURNS.get(callee)
    if found is not None:
        return found
    owner, _, method = callee.rpartition(".")
    terminals = BUILDERS.get(owner)
    if terminals is not None and method not in terminals:
        return owner
    return None
