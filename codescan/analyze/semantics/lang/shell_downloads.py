"""Shell downloads: what curl/wget fetch (labels, the https URL) and write (`-o F`, also through a function's "$2"),
and where tar/unzip unpack."""
from __future__ import annotations

import re

from .flowscope import Event


def node_text(node) -> str:
    """A node's source text (empty for no node)."""
    return node.text.decode("utf-8", "replace") if node is not None else ""


_INSECURE_ORIGIN = re.compile(r"^[\"']?(?:(?:http|ftp|tftp)://|[a-z]+://(?:\d{1,3}\.){3}\d{1,3}(?:[:/\"']|$))", re.I)


def fetched_labels(args, values) -> tuple[str, ...]:
    """network, and insecure-origin when the URL is plain http/ftp or a bare IP address (no name, no TLS identity)."""
    texts = [v.const if isinstance(v.const, str) and "://" in v.const else node_text(a) for a, v in zip(args, values)]
    return ("network", "insecure-origin") if any(_INSECURE_ORIGIN.match(t) for t in texts) else ("network",)


def fetched_url(name: str, args, values) -> str | None:
    """The https URL curl/wget fetch, as the name of what they print (rules grade official installers by it);
    None when TLS checks are turned off, the URL is not a constant or more than one is fetched."""
    words = [node_text(a).strip("'\"") for a in args]
    if name not in ("curl", "wget") or any(w in ("-k", "--insecure", "--no-check-certificate") or
                                           (re.fullmatch(r"-[a-zA-Z]+", w) and "k" in w and name == "curl")
                                           for w in words):
        return None
    urls = [v.const for v in values if isinstance(v.const, str) and "://" in v.const]
    return urls[0] if len(urls) == 1 and urls[0].startswith("https://") else None


_OUTPUT = {"curl": ("o", "--output"), "wget": ("O", "--output-document")}


def unpack_folder(name: str, texts: list[str]) -> str | None:
    """The folder `tar -x... -C D` / `tar --directory=D` / `unzip ... -d D` unpacks into (`.`: the working folder)."""
    words = [t.strip("'\"") for t in texts]
    if name == "unzip":
        for i, w in enumerate(words):
            if w == "-d" and i + 1 < len(words):
                return words[i + 1]
        return "."
    if not any(re.fullmatch(r"-?[a-zA-Z]*x[a-zA-Z]*|--extract|--get", w) for w in words[:3]):
        return None
    for i, w in enumerate(words):
        if w == "-C" and i + 1 < len(words):
            return words[i + 1]
        if w.startswith("--directory="):
            return w.split("=", 1)[1]
    return "."


def archive_target(name: str, texts: list[str]) -> int | None:
    """The index of the archive file `tar -czf F ...` / `tar cf F ...` / `zip -r F ...` creates, else None."""
    words = [t.strip("'\"") for t in texts]
    if name == "zip":
        return next((i for i, w in enumerate(words) if not w.startswith("-")), None)
    for i, w in enumerate(words[:4]):
        if re.fullmatch(r"-?[a-zA-Z]*c[a-zA-Z]*f", w) and i + 1 < len(words):  # czf F, -cvzf F: F follows
            return i + 1
        if w == "-f" and i + 1 < len(words) and any(re.fullmatch(r"-?[a-zA-Z]*c[a-zA-Z]*|--create", x)
                                                    for x in words[:i]):
            return i + 1
    return None


def download_target(name: str, texts: list[str]) -> str | None:
    """The file curl/wget writes its download to: `-o F`, `-sSLo F`, `-oF`, `--output F`, `--output=F` for curl;
    `-O F`, `-qO F`, `--output-document=F` for wget (`-` is standard output, not a file)."""
    letter, long = _OUTPUT[name]
    for i, t in enumerate(texts):
        following = texts[i + 1] if i + 1 < len(texts) else None
        if t == long:
            value = following
        elif t.startswith(long + "="):
            value = t[len(long) + 1:]
        elif (t.startswith("-") and not t.startswith("--") and letter in t[1:]
              and all(c.isalpha() for c in t[1:t.index(letter)])):  # a cluster of short flags ending in it
            rest = t[t.index(letter) + 1:]
            value = rest or following
        else:
            continue
        if value and value != "-":
            return value
    return None


# checksum and signature tools: `sha256sum -c`, `shasum -a 256 -c`, `gpg --verify SIG FILE`, `cosign verify-blob ... FILE`
VERIFIERS = frozenset({"sha256sum", "sha512sum", "sha384sum", "sha224sum", "sha1sum", "md5sum", "b2sum", "shasum",
                       "gpg", "gpgv", "cosign", "minisign", "signify"})
_VARIABLE_FILE = re.compile(r"\s\*?(\$\{?\w+\}?)[\"']?\s*$")
_PATHLIKE = re.compile(r"(?<![\w$.{}~-])(?:[\w$.{}~-]*/[\w$.{}/~-]+|[\w$.{}~-]+\.[A-Za-z0-9]{1,8})")  # from a word's start: linear


def verified_files(name: str, texts: list[str], piped: str) -> list[str]:
    """The files a checksum/signature command checks: the names in the `SUM  FILE` lines piped or here-stringed
    into `sha256sum -c` (a checksum file's own lines are not known here), the file `gpg --verify SIG FILE`,
    `cosign verify-blob ... FILE`, `minisign -V -m FILE` name."""
    words = [t.strip("'\"") for t in texts]
    if name.endswith("sum"):
        if not any(w in ("-c", "--check") or (w.startswith("-") and not w.startswith("--") and "c" in w[1:])
                   for w in words):
            return []
        lines = piped.replace("\\n", "\n").split("\n")
        found = []
        for line in lines:
            if "$(" in line or "`" in line:  # a sum fetched or computed at run time pins nothing
                continue
            # "<hex or ${VAR}>  <file>": the last path-like word of the line
            names = [m.group(0) for m in _PATHLIKE.finditer(line) if not m.group(0).startswith(("echo", "printf"))]
            if not names:  # "<sum>  $FILE": the file named by a variable
                held = _VARIABLE_FILE.search(line)
                names = [held.group(1)] if held else []
            if names:
                found.append(names[-1].strip("'\""))
        return found[:16]
    if name in ("gpg", "gpgv") and ("--verify" in words or name == "gpgv"):
        files = [w for w in words if not w.startswith("-")]
        return files[-1:] if len(files) >= 2 else []
    if name == "cosign" and words[:1] and words[0].startswith("verify"):
        files = [w for w in words[1:] if not w.startswith("-")]
        return files[-1:]
    if name == "minisign" and "-V" in words and "-m" in words:
        at = words.index("-m")
        return words[at + 1:at + 2]
    return []


_POSITIONAL_FILE = re.compile(r"file:\$\{?([1-9])\}?")
MAX_SITES = 8


def files_through_callers(flow, file_key, text) -> None:
    """`get() { wget -qO "$2" "$1"; }; get "$URL" "$DEST"`: a file a function writes to one of its positional
    parameters is written, at each call of the function, to the path that call passes (so running "$DEST" later runs
    what was downloaded)."""
    fields, added = flow._fields, False
    for key, events in list(fields.items()):
        found = _POSITIONAL_FILE.fullmatch(key)
        if not found:
            continue
        index = int(found.group(1)) - 1
        for scope in flow.scopes:
            inside = [e for e in events if scope.name and scope.node.start_byte <= e.pos <= scope.node.end_byte]
            for site, args in (flow.sites.get(scope.name, [])[:MAX_SITES] if inside else ()):
                if index < len(args):
                    target = fields.setdefault("file:" + file_key(text(args[index])), [])
                    target.extend(Event(site.end_byte, e.kind, e.node, e.value, e.index, e.thunk) for e in inside)
                    added = True
    if added:  # call parts and values read before these files were known are read again
        flow._parts.clear()
        flow._memo.clear()
