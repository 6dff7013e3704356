"""Python downloads written to a file, seen from the call that later runs the file.

- A file a constant path names (`urlretrieve(url, "/tmp/.a")`, `open("/tmp/.a", "wb").write(resp.content)`,
  `Path("/tmp/.a").write_bytes(body)`) carries the download to a later call whose command names that path where it
  runs: as the program, or given to chmod or an interpreter (`os.system("chmod +x /tmp/.a && /tmp/.a")`,
  `subprocess.Popen(["/tmp/.a"])`); `tar -xf /tmp/.a` only reads it.
- `urlretrieve(url, filename=path)`: the keyword names the file too.
- A download checked against a pinned digest before it is used (`if hashlib.sha256(data).hexdigest() != SHA:
  raise ...`) is what the author chose, not what the server sent: its network labels give way to
  `verified-download` (shell and JavaScript downloads are graded the same way)."""
from __future__ import annotations

import re

from ..constants import UNKNOWN
from ..facts import NOTHING, Value
from ..names import canonical
from .written_paths import MIN_PATH, constant_writes, runs_path, with_writes

# callees that run (or make runnable) the file their first argument names
RUNNERS = ("os.system", "os.popen", "os.startfile", "os.chmod", "subprocess.", "os.exec", "os.spawn", "os.posix_spawn")
_RETRIEVE = frozenset(("urllib.request.urlretrieve", "urllib.urlretrieve"))
_WRITES = re.compile(rb"\b(?:urlretrieve|open|write_bytes)\s*\(")
_WORDS = (b"urlretrieve", b"open", b"write_bytes")
_UNVERIFIED = frozenset(("network", "downloaded", "socket"))
# a digest of the data: hashlib.sha256(x) / sha256(x) / hashlib.new("sha256", x) / hashlib.file_digest(fh, "sha256")
_DIGESTS = rb"sha(?:224|256|384|512)|sha3_(?:224|256|384|512)|blake2[bs]|file_digest|hashlib\.new"
_DIGEST = re.compile(rb"\b(?:" + _DIGESTS + rb")\s*\(")
_HASHED = re.compile(rb"\b(?:read|read_bytes|content|body|data|blob|fh?|file|chunk)\b")
_COMPARED = re.compile(rb"(?:!=|==|\bcompare_digest\s*\(|\bnot\s+in\b)")
_STOPS = re.compile(rb"\b(?:raise|sys\.exit|exit|abort|return)\b")
MAX_CHECK = 4096  # bytes of code after a write (or before it) looked at for its digest or signature check
# the data a file is written with, right after the call that opens it: fh.write(blob), .write_bytes(blob)
_WRITTEN_DATA = re.compile(rb"\.write(?:_bytes)?\s*\(\s*([A-Za-z_]\w*)\s*\)")


_BARE = frozenset(("Popen", "check_call", "check_output"))  # a snippet's subprocess names without an import


def runs(callee: str) -> bool:
    return callee.startswith(RUNNERS) or callee in _BARE


def linked(values, callee: str, call, arg: Value) -> Value:
    """`arg` (a runner's first argument) with the data of a download written earlier to the constant path its
    command names where it runs."""
    if "downloaded" in arg.labels or "verified-download" in arg.labels:
        return arg
    text = _command_text(arg.const)
    if text is None:
        return arg
    writes = constant_writes(values, _WRITES, _WORDS, "argument_list",
                             lambda write, word: _written_to_constant(values, write, word))
    # `tar -xf /tmp/a.tgz` reads the file; `chmod +x /tmp/t && /tmp/t` runs it
    return with_writes(arg, call, writes, lambda path: path in text and runs_path(text, path))


def _command_text(const) -> str | None:
    if isinstance(const, str):
        return const
    if isinstance(const, (list, tuple)) and const and all(isinstance(c, str) for c in const[:8]):
        return " ".join(const[:8])
    return None


def _written_to_constant(values, call, word: bytes):
    from .python_mutations import written  # (python_mutations imports this module)
    if call.type != "call":
        return None  # class X(open(...)): an argument list of a class definition
    args = [a for a in call.child_by_field_name("arguments").named_children if a.type != "comment"]
    if word == b"write_bytes":  # Path("/tmp/.a").write_bytes(body)
        fn = call.child_by_field_name("function")
        owner = fn.child_by_field_name("object") if fn.type == "attribute" else None
        if owner is None or owner.type != "call" or not args:
            return None
        inner = [a for a in owner.child_by_field_name("arguments").named_children if a.type != "comment"]
        path = values.ev(inner[0]) if inner else NOTHING
        data = values.ev(args[0])
    elif word == b"urlretrieve":
        target = _retrieve_target(args)
        if target is None:
            return None
        path = values.ev(target)
        data = retrieved(values, call, "")
    else:
        if not args:
            return None
        path = values.ev(args[0])
        if not isinstance(path.const, str) or len(path.const) < MIN_PATH:
            return None
        data = written(values, path.const, args[0], call)
    if not isinstance(path.const, str) or len(path.const) < MIN_PATH or "network" not in data.labels and \
            "verified-download" not in data.labels:
        return None
    data = verified(values, call, data, call.parent.end_byte + MAX_CHECK, path.const)
    if "network" in data.labels:
        data = Value(UNKNOWN, data.labels | {"downloaded"}, None, None, data.trace)
    return path.const, call, data


def _retrieve_target(args):
    if len(args) > 1 and args[1].type != "keyword_argument":
        return args[1]
    for a in args:
        if a.type == "keyword_argument" and a.child_by_field_name("name").text == b"filename":
            return a.child_by_field_name("value")
    return None


def retrieved(values, call, name: str) -> Value:
    """What `urlretrieve(url, name)` writes: whatever the URL's server sends."""
    if canonical(values.ev(call.child_by_field_name("function")).name) not in _RETRIEVE:
        return NOTHING
    args = [a for a in call.child_by_field_name("arguments").named_children if a.type != "comment"]
    url = values.ev(args[0]) if args and args[0].type != "keyword_argument" else NOTHING
    out = Value(UNKNOWN, url.labels | {"network"}, None, None, url.trace)
    return out.with_step(call.start_point[0] + 1, f"downloaded into {name}" if name else "downloaded")


def retrieved_keyword(values, name: str, use) -> Value:
    """`urlretrieve(url, filename=name)`: the file `name` names holds the download."""
    keyword = use.parent
    if keyword.child_by_field_name("value") != use or keyword.child_by_field_name("name").text != b"filename":
        return NOTHING
    args = keyword.parent
    if args is None or args.type != "argument_list" or args.parent is None or args.parent.type != "call":
        return NOTHING
    return retrieved(values, args.parent, name)


def verified(values, write, data: Value, until: int, name: str = "") -> Value:
    """`data` written by `write` to the file `name`; when a digest of what was read back (or of the data) is compared
    before `until` in the same block of code, with a raise, exit or return on the way, it is pinned:
    `verified-download` instead of its network labels."""
    if not data.labels & _UNVERIFIED:
        return data
    source = values.source
    start = write.end_byte
    scope = values.scopes.scope_of(write)
    end = min(until, start + MAX_CHECK, len(source) if scope is None else scope.end_byte)
    text = source[start:end]
    line = _checked_after(text, name)
    if line is not None:
        line += write.start_point[0] + 1
        why = "the download's digest is checked against a pinned value"
    else:
        begin = max(0 if scope is None else scope.start_byte, write.start_byte - MAX_CHECK)
        line, why = _checked_before(source[begin:write.start_byte], source[write.start_byte:end])
        if line is None:
            return data
        line = write.start_point[0] + 1 - source[begin:write.start_byte].count(b"\n") + line
    out = Value(data.const, (data.labels - _UNVERIFIED) | {"verified-download"}, data.name, data.via, data.trace)
    return out.with_step(line, why)


def _checked_after(text: bytes, name: str) -> int | None:
    """The line (0-based, in `text`) of a digest of the file read back, compared with a stop on the way."""
    digest = _DIGEST.search(text)
    if digest is None or b"digest" not in text[digest.end():digest.end() + 400]:
        return None
    hashed = text[digest.end():digest.end() + 200].split(b")")[0]
    if not _HASHED.search(hashed) and not (name and name.encode("utf-8", "replace") in hashed):
        return None  # hashlib.sha256(b"salt").hexdigest(): a digest of something else
    compared = _COMPARED.search(text, digest.end())
    if compared is None or _STOPS.search(text, compared.end(), compared.end() + 400) is None:
        return None
    return text[:digest.start()].count(b"\n")


def _checked_before(before: bytes, after: bytes) -> tuple[int | None, str]:
    """The data written (`fh.write(blob)`, `.write_bytes(blob)` in `after`) was checked in `before`, with a stop on
    the way: its digest compared (`if sha256(blob).hexdigest() != PIN: raise`) or a signature over it (or over its
    digest) verified (`key.verify(sig, blob)` in a try whose except raises, `if not rsa_verify(blob, sig): sys.exit`),
    as self-updaters do. Returns the line (0-based, in `before`) of the check."""
    data = _WRITTEN_DATA.search(after[:600])
    if data is None or b"verify" not in before and b"digest" not in before:
        return None, ""
    name = re.escape(data.group(1))
    for check in re.finditer(rb"\.verify\w{0,16}\s*\(|\b(?:" + _DIGESTS + rb")\s*\(", before):
        args = before[check.end():check.end() + 300].split(b"\n)")[0].split(b"\n\n")[0]
        if not re.match(rb"[^;]{0,200}?\b" + name + rb"\b", args):
            continue
        rest = before[check.end():check.end() + 600]
        if check.group().startswith(b"."):  # a signature: raises on failure, or tested
            head = before[max(0, check.start() - 80):check.start()].rsplit(b"\n", 1)[-1]
            handled = re.search(rb"\bexcept\b[^\n]{0,120}:", rest)
            stop = _STOPS.search(rest, handled.end(), handled.end() + 200) if handled else \
                _STOPS.search(rest, 0, 400) if re.search(rb"\b(?:if\s+not|assert)\b", head) else None
            why = "a signature over the download is verified before it is written"
        else:  # a digest compared with a pinned value
            compared = _COMPARED.search(rest, 0, 400) if b"digest" in rest[:200] else None
            stop = _STOPS.search(rest, compared.end(), compared.end() + 400) if compared else None
            why = "the download's digest is checked against a pinned value before it is written"
        if stop is not None:
            return before[:check.start()].count(b"\n"), why
    return None, ""
