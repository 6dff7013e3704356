"""Go writers that wrap other writers: what is written through `zip.NewWriter(buf)`, `multipart.NewWriter(&body)`,
`gzip.NewWriter(f)`... (and through the entries they create: `w, _ := zw.Create(name)`, `part, _ :=
mw.CreateFormFile("file", name)`) ends up in the variable they wrap, and `io.Copy(dst, src)` / `fmt.Fprint*(w, ..)`
write into dst / w."""
from __future__ import annotations

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


def wrapped(flow, ident, at, depth: int = 0) -> list:
    """The identifiers whose data also grows when `ident` is written at `at`: the writer it was made from, and
    what that one wraps (a few levels)."""
    if depth >= MAX_CHAIN:
        return []
    bound = flow.handle_binding(ident, at)
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
