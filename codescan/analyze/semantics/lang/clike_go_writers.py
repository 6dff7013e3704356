"""Go writers that wrap other writers: what is written through `zip.NewWriter(buf)`, `multipart.NewWriter(&body)`,
`gzip.NewWriter(f)`... (and through the entries they create: `w, _ := zw.Create(name)`, `part, _ :=
mw.CreateFormFile("file", name)`) ends up in the variable they wrap, and `io.Copy(dst, src)` / `fmt.Fprint*(w, ..)`
write into dst / w."""
from __future__ import annotations

from ..facts import NOTHING, merge

# constructors whose result writes into one of their arguments (index), `-1`: every argument (io.MultiWriter)
WRAPPERS = {"archive/zip.NewWriter": 0, "archive/tar.NewWriter": 0, "mime/multipart.NewWriter": 0,
            "compress/gzip.NewWriter": 0, "compress/gzip.NewWriterLevel": 0, "compress/zlib.NewWriter": 0,
            "compress/zlib.NewWriterLevel": 0, "compress/flate.NewWriter": 0, "bufio.NewWriter": 0,
            "bufio.NewWriterSize": 0, "encoding/base64.NewEncoder": 1, "encoding/hex.NewEncoder": 0,
            "encoding/json.NewEncoder": 0, "encoding/csv.NewWriter": 0, "io.MultiWriter": -1}
# methods of an archive or form writer that open an entry: what is written to the entry goes into the writer, and
# so do their arguments (the entry's name, a form field's value)
ENTRIES = frozenset(("Create", "CreateHeader", "CreateRaw", "CreateFormFile", "CreateFormField", "CreatePart",
                     "WriteField", "WriteHeader", "Encode", "Write", "WriteString", "WriteByte", "WriteRune"))
# functions that write their data arguments into their first argument
COPIES = frozenset(("io.Copy", "io.CopyN", "io.CopyBuffer", "io.WriteString", "fmt.Fprint", "fmt.Fprintf",
                    "fmt.Fprintln"))
MAX_CHAIN = 4


def target(node):
    """The identifier a writer argument names (`buf`, `&body`), or None."""
    while node is not None and node.type in ("unary_expression", "parenthesized_expression") and node.named_children:
        node = node.named_children[-1]
    return node if node is not None and node.type == "identifier" else None


def _binding(flow, ident, at):
    """The node `ident` was last set to before `at`, in the innermost scope around `at` that binds it (a closure
    writing to an entry of its function's archive writer reads that function's binding)."""
    name = ident.text.decode("utf-8", "replace")
    scope = flow.scope_at(at)
    while scope is not None and name not in scope.events:
        scope = scope.parent
    for event in reversed(scope.events.get(name, []) if scope is not None else []):
        if event.pos <= at.start_byte and event.kind == "set" and event.node is not None:
            return event.node
    return None


def wrapped(flow, ident, at, depth: int = 0) -> list:
    """The identifiers whose data also grows when `ident` is written at `at`: the writer it was made from, and
    what that one wraps (a few levels)."""
    if depth >= MAX_CHAIN:
        return []
    bound = _binding(flow, ident, at)
    if bound is not None and bound.type == "expression_list" and bound.named_children:
        bound = bound.named_children[0]
    if bound is None or bound.type != "call_expression":
        return []
    out = []
    function = bound.child_by_field_name("function")
    args = bound.child_by_field_name("arguments")
    listed = [c for c in args.named_children if "comment" not in c.type] if args is not None else []
    callee = flow.dotted(function) if function is not None else None
    if callee in WRAPPERS:
        index = WRAPPERS[callee]
        for arg in (listed if index < 0 else listed[index:index + 1]):
            inner = target(arg)
            if inner is not None:
                out.append(inner)
                out.extend(wrapped(flow, inner, bound, depth + 1))
    elif function is not None and function.type == "selector_expression" and \
            function.child_by_field_name("field").text.decode() in ENTRIES:
        owner = target(function.child_by_field_name("operand"))
        if owner is not None and callee is None:
            out.append(owner)
            out.extend(wrapped(flow, owner, bound, depth + 1))
    return out


WALKS = {"path/filepath.Walk": 0, "path/filepath.WalkDir": 0, "io/fs.WalkDir": 1}  # the root's argument index


def walk_root(flow, function):
    """The root argument of the filepath.Walk/WalkDir call a function literal is the callback of, else None."""
    args = function.parent if function is not None and function.type == "func_literal" else None
    call = args.parent if args is not None and args.type == "argument_list" else None
    if call is None or call.type != "call_expression":
        return None
    index = WALKS.get(flow.dotted(call.child_by_field_name("function")) or "")
    listed = [c for c in args.named_children if "comment" not in c.type]
    return listed[index] if index is not None and len(listed) > index + 1 and listed[-1] == function else None


MAX_OUT_EVENTS = 16  # appends to one helper parameter read back at a call site


def out_param(flow, helper: str, index: int, call):
    """A thunk: what the same-file function `helper` appends to its parameter `index` (a pointer given as `&x`)."""
    def thunk():
        scope = flow.functions.get(helper)
        if scope is None or index >= len(scope.params) or scope.node is None or \
                scope.node.start_byte <= call.start_byte < scope.node.end_byte:
            return NOTHING
        name = scope.params[index]
        adds = [e for e in scope.events.get(name, ()) if e.kind == "add"][:MAX_OUT_EVENTS]
        data = merge(flow._event_value(name, e, scope) for e in adds)
        return data.with_step(call.start_point[0] + 1, f"written into by {helper}()") if data.labels else NOTHING
    return thunk
